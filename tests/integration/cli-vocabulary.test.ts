// One CLI vocabulary, as a user runs the real bin: results as JSON on stdout (models, predict,
// bench), the human table behind --table, a stray positional refused, `--media NAME` (an item
// of the project) apart from `--media-file PATH`, and the old spellings still working this
// release with a warning on stderr.

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

const FIXTURE = resolve('tests/fixtures/packs/tiny-late-fusion');

let dir: string;
/** Only the fixture pack, so listings are small and predict runs the tiny graph. */
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-cli-vocabulary-');
  cpSync(FIXTURE, join(dir, 'models', 'tiny-late-fusion'), { recursive: true });
  env = { ...process.env, SENTISCOPE_MODELS: join(dir, 'models'), SENTISCOPE_DATA_DIR: undefined };
});
afterAll(() => removeTempDir(dir));

describe('results as JSON on stdout', () => {
  it('models lists JSON by default, a table behind --table, and --json still works with a warning', async () => {
    const json = await runSentiscope(['models'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    const models = JSON.parse(json.stdout) as { kind: string; id: string; isDefault: boolean }[];
    expect(models.find((m) => m.kind === 'fusion-pack')).toMatchObject({ id: 'tiny-late-fusion', isDefault: true });

    const table = await runSentiscope(['models', '--table'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^pack {2}tiny-late-fusion {2}0\.0\.1 {2}\[shipped\] {2}\(default\)$/m);
    expect(() => JSON.parse(table.stdout)).toThrow();

    const old = await runSentiscope(['models', '--json'], env);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toBe('sentiscope models: --json is deprecated; JSON is the default now (--table for the table)\n');
    expect(JSON.parse(old.stdout)).toEqual(models);
  });

  it('predict writes its CSV to --out as before and a summary as JSON on stdout', async () => {
    const input = join(dir, 'two.csv');
    writeFileSync(input, 'id,text\na,"i loved it, truly"\nb,the ending was awful\n');
    const out = join(dir, 'two.pred.csv');
    const run = await runSentiscope(['predict', '--in', input, '--out', out, '--model', FIXTURE, '--device', 'cpu'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      rows: 2,
      resumed: 0,
      rowsWithAbsence: 0,
      model: { id: 'tiny-late-fusion', version: '0.0.1' },
      provider: 'cpu',
      fallbacks: [],
      output: out,
      shard: null,
    });
    expect(run.stderr).toMatch(/sentiscope predict: model tiny-late-fusion@0\.0\.1 on cpu, 2 rows/);
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    expect(header.slice(0, 3)).toEqual(['id', 'pred_score', 'pred_label']);
    expect(rows.map((r) => r.cells[0])).toEqual(['a', 'b']);
  }, 120_000);

  it('bench prints only its JSON on stdout (figures per stage on stderr); --clip still names the clip, with a warning', async () => {
    const run = await runSentiscope(['bench', '--clip', MOSI_CLIP, '--minutes', '0.1', '--model', FIXTURE], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('sentiscope bench: --clip is deprecated; use --media-file');
    expect(run.stderr).toContain(`(${MOSI_CLIP} looped)`);
    expect(run.stderr).toMatch(/sentiscope bench: wall +\d+\.\d\d s for [\d.]+ s of media/);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ model: { id: 'tiny-late-fusion' } });
    expect(result.media_seconds).toBeCloseTo(6, 0);
    for (const key of ['rtf', 'peak_rss_mb', 'decode_ratio', 'wall_seconds']) expect(result[key], key).toBeGreaterThan(0);

    const missing = join(dir, 'nowhere.mp4');
    const refused = await runSentiscope(['bench', '--media-file', missing], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`sentiscope bench: ${missing} does not exist: give a video with --media-file.\n`);
  }, 180_000);
});

describe('positionals', () => {
  it('a command refuses a word it does not take, as a usage mistake naming it', async () => {
    const project = join(dir, 'stray.sentiscope');
    const calls = [
      ['info', 'stray'],
      ['models', 'stray'],
      ['eval', '--scheme', 'mosi', 'stray'],
      ['predict', '--in', 'x.csv', 'stray', '--out', 'y.csv'],
      ['export', '--project', project, '--format', 'mosi', '--out', 'x.csv', 'stray'],
      ['probe', MOSI_CLIP, 'stray'],
    ];
    for (const args of calls) {
      const run = await runSentiscope(args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout, args.join(' ')).toBe('');
      expect(run.stderr, args.join(' ')).toContain(`sentiscope ${args[0]}: unexpected argument 'stray'\nusage: sentiscope ${args[0]}`);
    }
    const none = await runSentiscope(['probe'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('sentiscope probe: expected one FILE');
  }, 120_000);
});

describe('--media NAME and --media-file PATH', () => {
  const srt = () => join(dir, 'clip.srt');
  const mediaRows = (project: string) => {
    const db = new Database(project, { readonly: true });
    try {
      return db.prepare('SELECT name, path FROM media').all();
    } finally {
      db.close();
    }
  };

  it('import adds a file with --media-file, finds an item by --media NAME, and still takes a path under --media with a warning', async () => {
    writeFileSync(srt(), '1\n00:00:00,500 --> 00:00:03,000\nfirst words\n');
    const project = join(dir, 'media.sentiscope');
    const byFile = await runSentiscope(['import', '--project', project, '--format', 'srt', srt(), '--media-file', MOSI_CLIP], env);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(byFile.stderr).toBe('');
    expect(JSON.parse(byFile.stdout)).toMatchObject({ format: 'srt', segments: 1 });
    expect(mediaRows(project)).toEqual([{ name: 'Oz06ZWiO20M_6', path: MOSI_CLIP }]);

    const byName = await runSentiscope(['import', '--project', project, '--format', 'srt', srt(), '--media', 'Oz06ZWiO20M_6'], env);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stderr).toBe('');
    expect(mediaRows(project)).toHaveLength(1);

    const old = await runSentiscope(['import', '--project', project, '--format', 'srt', srt(), '--media', MOSI_CLIP], env);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toBe(
      'sentiscope import: --media PATH is deprecated; use --media-file PATH (--media names an item of the project)\n',
    );
    expect(JSON.parse(old.stdout)).toMatchObject({ format: 'srt', segments: 1 });
    expect(mediaRows(project)).toHaveLength(1);

    const unknown = await runSentiscope(['import', '--project', project, '--format', 'srt', srt(), '--media', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`${project} has no media named 'nope' (some it has: Oz06ZWiO20M_6)`);

    const both = await runSentiscope(
      ['import', '--project', project, '--format', 'srt', srt(), '--media', 'Oz06ZWiO20M_6', '--media-file', MOSI_CLIP],
      env,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --media NAME (an item of the project) or --media-file PATH (a file to add), not both');
  }, 120_000);

  it('export takes --media NAME, never a path', async () => {
    const project = join(dir, 'media.sentiscope');
    const out = join(dir, 'back.srt');
    const byName = await runSentiscope(['export', '--project', project, '--format', 'srt', '--media', 'Oz06ZWiO20M_6', '--out', out], env);
    expect(byName.code, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout)).toMatchObject({ format: 'srt', file: out });
    const byPath = await runSentiscope(['export', '--project', project, '--format', 'srt', '--media', MOSI_CLIP, '--out', out], env);
    expect(byPath.code).toBe(1);
    expect(byPath.stderr).toContain(`has no media named '${MOSI_CLIP}'`);
    const flag = await runSentiscope(['export', '--project', project, '--format', 'srt', '--media-file', MOSI_CLIP, '--out', out], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--media-file'");
  }, 60_000);
});

describe('--model is a fusion pack, --asr a speech recognizer', () => {
  it("refit's --from still names the pack refitted, with a warning; both spellings at once are refused", async () => {
    const labels = join(dir, 'labels.csv');
    writeFileSync(labels, 'id,text,label\na,good,1\n');
    const old = await runSentiscope(['refit', '--in', labels, '--id', 'mine', '--from', 'no-such-pack'], env);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('sentiscope refit: --from is deprecated; use --model\n');
    expect(old.stderr).toContain('No model pack "no-such-pack"');
    const both = await runSentiscope(['refit', '--in', labels, '--id', 'mine', '--from', 'a', '--model', 'b'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --model only (--from is its old spelling)');
  }, 60_000);

  it("transcribe's --model still names the recognizer, with a warning", async () => {
    const nowhere = join(dir, 'no-whisper');
    const old = await runSentiscope(['transcribe', MOSI_CLIP, '--model', nowhere], env);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('sentiscope transcribe: --model is deprecated; use --asr\n');
    expect(old.stderr).toContain(`Speech recognition model folder not found: ${nowhere}`);
    const none = await runSentiscope(['transcribe', MOSI_CLIP], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('sentiscope transcribe: --asr is required');
  }, 60_000);
});
