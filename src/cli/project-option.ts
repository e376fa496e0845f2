import { ProjectStore } from '../core/store';
import { requireOption } from './command';

/** Opens (creating if needed) the project named by --project, for one command. */
export function openProjectOption(project: string | undefined): ProjectStore {
  return ProjectStore.open(requireOption(project, '--project'));
}
