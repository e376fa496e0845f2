// Which model packs the CLI sees, and what `--model ID` names: the same two roots for
// `sentiscope models` and for the commands that run a pack (predict, analyze, bench), so a
// pack added with `sentiscope models add` runs by its id everywhere.

import { existsSync, statSync } from 'node:fs';
import { listRootedPacks, modelRoots, type ModelRoots } from '../core/models';
import { SentiscopeError } from '../shared/errors';
import { cliDataDir } from './data-dir';

/**
 * resources/models, and the per-user folder <data dir>/models. SENTISCOPE_MODELS pins the
 * models to one folder (tests, reproducible runs): the per-user folder is then read only
 * when SENTISCOPE_DATA_DIR says where it is, so a user's added packs never leak in.
 */
export function cliModelRoots(): ModelRoots {
  const pinned = process.env.SENTISCOPE_MODELS !== undefined && process.env.SENTISCOPE_DATA_DIR === undefined;
  return modelRoots(pinned ? null : cliDataDir());
}

/**
 * What to hand the core for `--model SPEC`: nothing (the default shipped pack) when SPEC is
 * absent, a folder path as it is, a shipped id as it is (the core resolves it in the shipped
 * root), and an added id as its folder. An id in neither root is refused here, naming the ids
 * both roots hold, before any work starts.
 */
export async function resolveModelOption(spec: string | undefined, roots: ModelRoots = cliModelRoots()): Promise<string | undefined> {
  if (spec === undefined || spec === '') return undefined;
  const looksLikePath = /[\\/]/.test(spec) || spec.startsWith('.');
  if (looksLikePath || (existsSync(spec) && statSync(spec).isDirectory())) return spec;
  const listings = await listRootedPacks(roots);
  // Shipped first: an added pack can never take a shipped id (models add refuses it).
  const found = listings.find((l) => l.root === 'shipped' && l.id === spec) ?? listings.find((l) => l.id === spec);
  if (!found) {
    const ids = listings.map((l) => l.id);
    const where = roots.added === null ? roots.shipped : `${roots.shipped} or ${roots.added}`;
    throw new SentiscopeError(
      'not-found',
      `No model pack "${spec}" in ${where} (installed: ${ids.length ? ids.join(', ') : 'none'}). Give an installed id (see \`sentiscope models\`) or the path of a pack folder.`,
      roots.added ?? roots.shipped,
    );
  }
  return found.root === 'shipped' ? spec : found.dir;
}
