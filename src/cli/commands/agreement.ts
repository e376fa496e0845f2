import { projectAgreement, type AgreementScheme } from '../../core/services/agreement';
import type { AgreementReport, FieldAgreement } from '../../shared/agreement/report';
import { oneOfOption, parseCommandArgs, printResult, warnDeprecated, wholeNumberOption, type Command } from '../command';
import { mediaNamed, openProjectOption } from '../project-option';

const SCHEMES: readonly AgreementScheme[] = ['mosi', 'mvsa'];

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
  usage: 'agreement --project DB --scheme mosi|mvsa [--table] [--media NAME] [--bootstrap N] [--seed N]',
  summary: "how far a project's annotators agree: Krippendorff's alpha, ICC, Fleiss' and Cohen's kappa, per field",
  async run(args) {
    const { values } = parseCommandArgs(args, {
      project: { type: 'string' },
      scheme: { type: 'string' },
      table: { type: 'boolean' },
      // JSON is the default now; --json stays accepted for one release.
      json: { type: 'boolean' },
      media: { type: 'string' },
      bootstrap: { type: 'string' },
      seed: { type: 'string' },
    });
    if (values.json) warnDeprecated('agreement', '--json', 'JSON is the default now (--table for the readings)');
    const scheme = oneOfOption(values.scheme, '--scheme', SCHEMES);
    const resamples = wholeNumberOption(values.bootstrap, '--bootstrap', 0);
    const seed = wholeNumberOption(values.seed, '--seed', 0);
    const store = openProjectOption(values.project);
    try {
      const mediaIds = values.media === undefined ? undefined : [mediaNamed(store, values.media)];
      const report = projectAgreement(store, {
        scheme,
        mediaIds,
        bootstrap: { ...(resamples === undefined ? {} : { resamples }), ...(seed === undefined ? {} : { seed }) },
      });
      if (!values.table) {
        printResult(agreementJson(report));
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
