import { projectAgreement, type AgreementScheme } from '../../core/services/agreement';
import type { AgreementReport, FieldAgreement } from '../../shared/agreement/report';
import { UsageError, oneOfOption, parseCommandArgs, type Command } from '../command';
import { mediaNamed, openProjectOption } from '../project-option';

const SCHEMES: readonly AgreementScheme[] = ['mosi', 'mvsa'];

function wholeOption(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number >= ${min} (got '${value}')`);
  return n;
}

/** The JSON layout: one key per field at the top, beside who rated and the per-media figures. */
export function agreementJson(report: AgreementReport): Record<string, unknown> {
  const { fields, ...rest } = report;
  return {
    scheme: rest.scheme,
    annotators: rest.annotators,
    n_annotators: rest.n_annotators,
    ...fields,
    bootstrap: rest.bootstrap,
    per_media: rest.per_media,
  };
}

function fieldLines(name: string, field: FieldAgreement): string[] {
  const head = `${name}: ${field.n_items} items, ${field.n_complete} rated by every annotator`;
  const readings = Object.entries(field.reading ?? {}).map(([stat, line]) => {
    const ci = field.ci95?.[stat as keyof typeof field.ci95];
    return `  ${line}${ci ? ` [95% ${ci[0].toFixed(2)}, ${ci[1].toFixed(2)}]` : ''}`;
  });
  return [head, ...readings];
}

export const agreementCommand: Command = {
  name: 'agreement',
  usage: 'agreement --project DB --scheme mosi|mvsa [--json] [--media NAME] [--bootstrap N] [--seed N]',
  summary: "how far a project's annotators agree: Krippendorff's alpha, ICC, Fleiss' and Cohen's kappa, per field",
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      project: { type: 'string' },
      scheme: { type: 'string' },
      json: { type: 'boolean' },
      media: { type: 'string' },
      bootstrap: { type: 'string' },
      seed: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const scheme = oneOfOption(values.scheme, '--scheme', SCHEMES);
    const resamples = wholeOption(values.bootstrap, '--bootstrap', 0);
    const seed = wholeOption(values.seed, '--seed', 0);
    const store = openProjectOption(values.project);
    try {
      const mediaIds = values.media === undefined ? undefined : [mediaNamed(store, values.media)];
      const report = projectAgreement(store, {
        scheme,
        mediaIds,
        bootstrap: { ...(resamples === undefined ? {} : { resamples }), ...(seed === undefined ? {} : { seed }) },
      });
      if (values.json) {
        process.stdout.write(JSON.stringify(agreementJson(report), null, 2) + '\n');
        return;
      }
      const lines = [`${scheme.toUpperCase()} agreement of ${report.annotators.join(', ')}`];
      for (const [name, field] of Object.entries(report.fields)) lines.push(...fieldLines(name, field));
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      store.close();
    }
  },
};
