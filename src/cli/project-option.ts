import { ProjectStore } from '../core/store';
import { SentiscopeError } from '../shared/errors';
import { requireOption } from './command';

/** Opens (creating if needed) the project named by --project, for one command. */
export function openProjectOption(project: string | undefined): ProjectStore {
  return ProjectStore.open(requireOption(project, '--project'));
}

/** The id of the media item called NAME (its MMSA video_id) in the project. */
export function mediaNamed(store: ProjectStore, name: string): number {
  const media = store.findMediaByName(name);
  if (!media) {
    const known = store
      .listMedia()
      .slice(0, 5)
      .map((m) => m.name)
      .join(', ');
    throw new SentiscopeError(
      'not-found',
      `${store.path} has no media named '${name}'${known ? ` (some it has: ${known})` : ''}.`,
      store.path,
    );
  }
  return media.id;
}
