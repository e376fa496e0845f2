// `--model ID` finds a pack the user added (`sentiscope models add`) as well as the shipped
// ones: the real bin, the fixture pack added into a temporary per-user folder
// (SENTISCOPE_DATA_DIR), then `predict` and `analyze` run by its id.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const FIXTURE = resolve('tests/fixtures/packs/tiny-late-fusion');

let dir: string;
/** A shipped folder without the fixture, so only the added copy can answer its id. */
let shipped: string;
let dataDir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-models-resolve-');
  shipped = join(dir, 'shipped');
  mkdirSync(shipped);
  dataDir = join(dir, 'data');
});
afterAll(() => removeTempDir(dir));

function sentiscope(env: NodeJS.ProcessEnv, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('--model with the id of an added pack', () => {
  it('predicts with a pack added into the per-user folder, by its id', () => {
    const env = { SENTISCOPE_MODELS: shipped, SENTISCOPE_DATA_DIR: dataDir };
    const input = join(dir, 'two.csv');
    writeFileSync(input, 'id,text\na,"i loved it, truly"\nb,the ending was awful\n');
    const out = join(dir, 'two.pred.csv');

    // Before it is added the id is refused, naming where it was looked for.
    const before = sentiscope(env, 'predict', '--in', input, '--out', out, '--model', 'tiny-late-fusion', '--device', 'cpu');
    expect(before.code).toBe(1);
    expect(before.stderr).toContain(`No model pack "tiny-late-fusion" in ${shipped} or ${join(dataDir, 'models')} (installed: none)`);

    const add = sentiscope(env, 'models', 'add', FIXTURE);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain(`added tiny-late-fusion 0.0.1 at ${join(dataDir, 'models', 'tiny-late-fusion')}`);
    expect(JSON.parse(add.stdout)).toEqual({
      kind: 'fusion-pack',
      id: 'tiny-late-fusion',
      version: '0.0.1',
      dir: join(dataDir, 'models', 'tiny-late-fusion'),
    });

    const run = sentiscope(env, 'predict', '--in', input, '--out', out, '--model', 'tiny-late-fusion', '--device', 'cpu');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/model tiny-late-fusion@0\.0\.1 on cpu, 2 rows/);
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    expect(header.slice(0, 3)).toEqual(['id', 'pred_score', 'pred_label']);
    expect(rows.map((r) => r.cells[0])).toEqual(['a', 'b']);
    for (const r of rows) expect(r.cells[1]).toMatch(/^-?\d+\.\d{4}$/);

    // An unknown id still fails, listing what both folders hold.
    const unknown = sentiscope(env, 'predict', '--in', input, '--out', out, '--model', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('(installed: tiny-late-fusion)');
  }, 240_000);

  it('analyzes a file with the added pack, by its id', () => {
    const env = { SENTISCOPE_MODELS: shipped, SENTISCOPE_DATA_DIR: join(dir, 'data-analyze') };
    expect(sentiscope(env, 'models', 'add', FIXTURE).code).toBe(0);
    const out = join(dir, 'clip.csv');
    const run = sentiscope(
      env,
      'analyze',
      MOSI_CLIP,
      '--model',
      'tiny-late-fusion',
      '--device',
      'cpu',
      '--segmentation',
      'vad',
      '--out',
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/model tiny-late-fusion@0\.0\.1 on cpu/);
    expect(parseCsv(readFileSync(out, 'utf8')).rows.length).toBeGreaterThan(0);
  }, 240_000);
});
