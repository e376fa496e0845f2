// The Models page's listing ('models:list'): every pack, pretrained folder and component
// model with its folder and origin, and what is known of the execution provider. The
// provider is only known once an inference session runs, so it comes from the last job.

import type { AnalysisJobStatus } from '../../shared/analysis-job';
import type { CatalogListing, ModelsOverview } from '../../shared/model-catalog';
import { listInstalledModels, pretrainedRoot, recommendedModels, type ModelRoots } from '../models';

export async function modelsOverview(roots: ModelRoots, jobs: AnalysisJobStatus[]): Promise<ModelsOverview> {
  const last = jobs.filter((j) => j.provider !== null).at(-1) ?? null;
  return {
    models: await listInstalledModels(roots),
    roots: { shipped: roots.shipped, added: roots.added, pretrained: pretrainedRoot(roots) },
    provider: {
      device: jobs.at(-1)?.spec.device ?? 'auto',
      lastUsed: last?.provider ?? null,
      lastModel: last?.model ? `${last.model.id}@${last.model.version}` : null,
    },
  };
}

/** The catalog ('models:catalog'), each entry marked installed when a model by its id is. */
export async function catalogListing(roots: ModelRoots): Promise<CatalogListing[]> {
  const installed = new Set((await listInstalledModels(roots)).map((m) => m.id));
  return recommendedModels().map((m) => ({ ...m, installed: installed.has(m.id) }));
}
