// The argument habits every CLI command shares (src/cli/command.ts): positionals counted in
// one place, renamed flags that still work with a warning, whole-number flags.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError, parseCommandArgs, renamedOption, wholeNumberOption } from '../../src/cli/command';
import { DEVICES } from '../../src/shared/devices';
import { DEVICES as CORE_DEVICES } from '../../src/core/models/execution-providers';
import { EXPORT_FORMATS } from '../../src/shared/io-formats';
import { EXPORT_FORMATS as CONTRACT_EXPORT_FORMATS, contract } from '../../src/shared/contract';
import { ITEM_SEGMENTATION_MODES, SEGMENTATION_MODES } from '../../src/shared/analysis-job';

const usage = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('parseCommandArgs', () => {
  const options = { out: { type: 'string' } } as const;

  it('takes no positional unless the command says so, naming the first stray one', () => {
    expect(parseCommandArgs(['--out', 'x'], options).values.out).toBe('x');
    expect(usage(() => parseCommandArgs(['--out', 'x', 'stray', 'more'], options))).toBe("unexpected argument 'stray'");
  });

  it('counts positionals between min and max, saying what is missing', () => {
    const one = { name: 'FILE', min: 1, max: 1 };
    expect(parseCommandArgs(['a.mp4'], {}, one).positionals).toEqual(['a.mp4']);
    expect(usage(() => parseCommandArgs([], {}, one))).toBe('expected one FILE');
    expect(usage(() => parseCommandArgs(['a', 'b'], {}, one))).toBe("unexpected argument 'b'");
    const many = { name: 'VIDEO', min: 1, max: Infinity, missing: 'give at least one VIDEO' };
    expect(parseCommandArgs(['a', 'b', 'c'], {}, many).positionals).toHaveLength(3);
    expect(usage(() => parseCommandArgs([], {}, many))).toBe('give at least one VIDEO');
  });

  it('refuses an unknown flag as a usage mistake', () => {
    expect(usage(() => parseCommandArgs(['--nope'], options))).toContain("Unknown option '--nope'");
  });
});

describe('renamedOption', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads the new flag silently, the old one with a warning, and refuses both', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    expect(renamedOption('transcribe', { asr: 'w' }, 'model', 'asr')).toBe('w');
    expect(written).toEqual([]);
    expect(renamedOption('transcribe', { model: 'w' }, 'model', 'asr')).toBe('w');
    expect(written).toEqual(['sentiscope transcribe: --model is deprecated; use --asr\n']);
    expect(renamedOption('transcribe', {}, 'model', 'asr')).toBeUndefined();
    expect(usage(() => renamedOption('transcribe', { model: 'a', asr: 'b' }, 'model', 'asr'))).toBe(
      'give --asr only (--model is its old spelling)',
    );
  });
});

describe('wholeNumberOption', () => {
  it('is undefined when absent, the number when whole and large enough, else a usage mistake', () => {
    expect(wholeNumberOption(undefined, '--n', 1)).toBeUndefined();
    expect(wholeNumberOption('0', '--seed', 0)).toBe(0);
    for (const bad of ['0', '1.5', '', ' ', 'x']) {
      expect(usage(() => wholeNumberOption(bad, '--n', 1))).toBe(`--n must be a whole number >= 1 (got '${bad}')`);
    }
  });
});

describe('the shared lists', () => {
  it('are one list each, whichever module a caller imports them from', () => {
    expect(CORE_DEVICES).toBe(DEVICES);
    expect(CONTRACT_EXPORT_FORMATS).toBe(EXPORT_FORMATS);
    expect(ITEM_SEGMENTATION_MODES).toEqual(SEGMENTATION_MODES.filter((m) => m !== 'transcript'));
  });

  it("drive the contract's validators", () => {
    const start = contract['analysis:start'].validate;
    expect(start({ mediaId: 1, segmentation: 'existing' }, '')).toMatchObject({ segmentation: 'existing' });
    expect(() => start({ mediaId: 1, segmentation: 'transcript' }, '')).toThrow(/segmentation: expected one of auto, vad, existing/);
    const exported = contract['io:export'].validate;
    for (const format of EXPORT_FORMATS) expect(exported({ format, path: 'x' }, '')).toMatchObject({ format });
    expect(() => exported({ format: 'docx', path: 'x' }, '')).toThrow(/one of mosi, mvsa, segments, srt, vtt, eaf, textgrid/);
  });
});
