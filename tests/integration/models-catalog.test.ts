// The catalog of recommended models: `sentiscope models catalog` (JSON) as an outside check
// reads it (at least two Whisper entries, one multilingual listing zh, each pinned to a
// commit with its licence), and every entry names the files a Whisper folder needs.

import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECOMMENDED_MODELS, type CatalogModel } from '../../src/shared/recommended-models';
import { runSentiscope } from '../helpers/sentiscope-cli';

describe('sentiscope models catalog', () => {
  it('prints the catalog as JSON: pinned Whisper entries, one multilingual with zh, each with revision and licence', async () => {
    const run = await runSentiscope(['models', 'catalog']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const entries = JSON.parse(run.stdout) as CatalogModel[];
    expect(entries).toEqual(RECOMMENDED_MODELS);
    const whisper = entries.filter((m) => m.kind === 'speech-recognizer' && /whisper/i.test(m.repo));
    expect(whisper.length).toBeGreaterThanOrEqual(2);
    expect(whisper.some((m) => m.multilingual && m.languages.includes('zh'))).toBe(true);
    expect(whisper.some((m) => !m.multilingual && m.languages.join() === 'en')).toBe(true);
    for (const m of entries) {
      expect(m.revision).toMatch(/^[0-9a-f]{40}$/);
      expect(m.license).not.toBe('');
      expect(m.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(m.bytes).toBeGreaterThan(0);
      expect(m.files).toEqual(
        expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']),
      );
    }
    expect(new Set(entries.map((m) => m.id)).size).toBe(entries.length);
  });

  it('prints one readable block per model behind --table, fetching nothing', async () => {
    const run = await runSentiscope(['models', 'catalog', '--table'], { ...process.env, HF_ENDPOINT: 'http://127.0.0.1:9' });
    expect(run.code).toBe(0);
    for (const m of RECOMMENDED_MODELS) {
      expect(run.stdout).toContain(`speech-recognizer  ${m.id}  about`);
      expect(run.stdout).toContain(`from: ${m.repo} @ ${m.revision}`);
    }
  });

  it('reads SENTISCOPE_CATALOG when set, and refuses a file that is not a catalog naming it and the entry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentiscope-catalog-'));
    try {
      const file = join(dir, 'catalog.json');
      const mirror = { ...RECOMMENDED_MODELS[0], id: 'mirrored-whisper' };
      writeFileSync(file, JSON.stringify([mirror]));
      const ok = await runSentiscope(['models', 'catalog'], { ...process.env, SENTISCOPE_CATALOG: file });
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toEqual([mirror]);

      writeFileSync(file, JSON.stringify([{ ...mirror, revision: 'main' }]));
      const bad = await runSentiscope(['models', 'catalog'], { ...process.env, SENTISCOPE_CATALOG: file });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(
        `sentiscope models: ${file} (SENTISCOPE_CATALOG): entry 0: "revision" must be a commit (40 hex digits). Point SENTISCOPE_CATALOG at a JSON list shaped like \`sentiscope models catalog\` prints, or unset it for the built-in catalog.\n`,
      );
      writeFileSync(file, '{ not json');
      const broken = await runSentiscope(['models', 'get', 'whisper-tiny'], { ...process.env, SENTISCOPE_CATALOG: file });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`${file} (SENTISCOPE_CATALOG) is not a readable JSON file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a stray argument as a usage mistake', async () => {
    const run = await runSentiscope(['models', 'catalog', 'whisper-base']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unexpected argument 'whisper-base'");
  });
});
