// Praat TextGrid, written and read as text.
//
// Writing: the long text format, UTF-8; one IntervalTier per annotation tier, tiling the
// whole file from 0 to `xmax` (empty intervals fill the gaps between annotations), text in
// double quotes with a quote written twice, times in seconds as JavaScript prints them
// (exact, so touching intervals share their boundary).
// Reading: the long and the short text format, as Praat does: the file is a stream of
// numbers, "strings" and <flags>; everything else (xmin =, item [1]:, ! comments) is
// skipped. Point tiers (TextTier) are read and reported as tiers of their own kind, never
// as intervals. A file that ends early or holds a word where a number belongs is refused
// with its line.

import type { AnnotationTier, ReadTier } from '../../shared/annotation-tiers';
import { FileProblems } from './file-problems';

export interface TextGridDocument {
  tiers: AnnotationTier[];
  /** End of the annotated time (the media's duration, or later). */
  xmax: number;
}

export interface ParsedTextGrid {
  xmin: number;
  xmax: number;
  /** Interval tiers; point tiers are only named (in `pointTiers`). */
  tiers: ReadTier[];
  pointTiers: string[];
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function time(seconds: number): string {
  return String(seconds);
}

/** The tier's annotations with empty intervals in every gap, from 0 to xmax. */
function tiling(tier: AnnotationTier, xmax: number): { start: number; end: number; value: string }[] {
  const out: { start: number; end: number; value: string }[] = [];
  let cursor = 0;
  for (const a of [...tier.annotations].sort((x, y) => x.start - y.start)) {
    if (a.start > cursor) out.push({ start: cursor, end: a.start, value: '' });
    out.push(a);
    cursor = a.end;
  }
  if (cursor < xmax || out.length === 0) out.push({ start: cursor, end: Math.max(xmax, cursor), value: '' });
  return out;
}

export function formatTextGrid(doc: TextGridDocument): string {
  const lines = ['File type = "ooTextFile"', 'Object class = "TextGrid"', '', 'xmin = 0 ', `xmax = ${time(doc.xmax)} `];
  lines.push('tiers? <exists> ', `size = ${doc.tiers.length} `, 'item []: ');
  doc.tiers.forEach((tier, t) => {
    const intervals = tiling(tier, doc.xmax);
    lines.push(`    item [${t + 1}]:`, '        class = "IntervalTier" ', `        name = ${quoted(tier.name)} `);
    lines.push('        xmin = 0 ', `        xmax = ${time(doc.xmax)} `, `        intervals: size = ${intervals.length} `);
    intervals.forEach((a, k) => {
      lines.push(`        intervals [${k + 1}]:`, `            xmin = ${time(a.start)} `, `            xmax = ${time(a.end)} `);
      lines.push(`            text = ${quoted(a.value)} `);
    });
  });
  return lines.join('\n') + '\n';
}

type Token =
  | { kind: 'number'; value: number; line: number }
  | { kind: 'string'; value: string; line: number }
  | { kind: 'flag'; value: string; line: number };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function tokenize(text: string, problems: FileProblems): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '"') {
      const start = line;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) {
          problems.add(start, 'a text in quotes never ends (a quote inside a text is written twice: "")');
          return tokens;
        }
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\n') line++;
        value += text[i++];
      }
      tokens.push({ kind: 'string', value, line: start });
    } else if (c === '!') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '<') {
      const end = text.indexOf('>', i);
      const stop = end < 0 ? text.length : end + 1;
      tokens.push({ kind: 'flag', value: text.slice(i + 1, stop - 1), line });
      i = stop;
    } else {
      let end = i;
      while (end < text.length && !/\s/.test(text[end]) && text[end] !== '"') end++;
      const word = text.slice(i, end);
      if (NUMBER.test(word)) tokens.push({ kind: 'number', value: Number(word), line });
      i = end;
    }
  }
  return tokens;
}

class TokenReader {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly problems: FileProblems,
  ) {}

  private lastLine(): number {
    return this.tokens[Math.min(this.at, this.tokens.length - 1)]?.line ?? 1;
  }

  private next(kind: Token['kind'], what: string): Token {
    const token = this.tokens[this.at];
    if (!token) {
      this.problems.add(this.lastLine(), `the file ends where ${what} should be`);
      this.problems.throwIfAny();
    }
    if (token.kind !== kind) {
      this.problems.add(token.line, `expected ${what}, found ${token.kind === 'string' ? `"${token.value}"` : String(token.value)}`);
      this.problems.throwIfAny();
    }
    this.at++;
    return token;
  }

  number(what: string): { value: number; line: number } {
    const t = this.next('number', what);
    return { value: t.value as number, line: t.line };
  }

  string(what: string): { value: string; line: number } {
    const t = this.next('string', what);
    return { value: t.value as string, line: t.line };
  }

  /** An optional <flag>; its name, or null when the next token is not one. */
  flag(): string | null {
    const token = this.tokens[this.at];
    if (token?.kind !== 'flag') return null;
    this.at++;
    return token.value;
  }
}

const WHAT_TO_DO = 'Nothing was imported; fix the TextGrid (or save it again from Praat as a text file) and import it again.';

/** Reads TextGrid text (long or short format); throws a 'bad-file' FileProblemsError naming `file` and the line. */
export function parseTextGrid(text: string, file: string): ParsedTextGrid {
  const problems = new FileProblems(file, 'bad-file', WHAT_TO_DO);
  const reader = new TokenReader(tokenize(text, problems), problems);
  problems.throwIfAny();
  const fileType = reader.string('File type = "ooTextFile"');
  const objectClass = reader.string('Object class = "TextGrid"');
  if (fileType.value !== 'ooTextFile' || objectClass.value !== 'TextGrid') {
    problems.add(fileType.line, `this is a Praat "${objectClass.value}" (${fileType.value}), not a TextGrid text file`);
    problems.throwIfAny();
  }
  const xmin = reader.number("the TextGrid's start time (xmin)").value;
  const xmax = reader.number("the TextGrid's end time (xmax)").value;
  const parsed: ParsedTextGrid = { xmin, xmax, tiers: [], pointTiers: [] };
  if (reader.flag() === 'absent') return parsed;
  const count = reader.number('the number of tiers').value;
  for (let t = 0; t < count; t++) {
    const kind = reader.string('a tier class ("IntervalTier" or "TextTier")');
    const name = reader.string('a tier name');
    reader.number(`the start time of tier "${name.value}"`);
    reader.number(`the end time of tier "${name.value}"`);
    const size = reader.number(`the number of intervals of tier "${name.value}"`).value;
    if (kind.value === 'TextTier') {
      for (let k = 0; k < size; k++) {
        reader.number(`the time of point ${k + 1} of tier "${name.value}"`);
        reader.string(`the mark of point ${k + 1} of tier "${name.value}"`);
      }
      parsed.pointTiers.push(name.value);
      continue;
    }
    if (kind.value !== 'IntervalTier') {
      problems.add(kind.line, `tier class "${kind.value}" is neither IntervalTier nor TextTier`);
      problems.throwIfAny();
    }
    const tier: ReadTier = { name: name.value, line: name.line, annotations: [] };
    for (let k = 0; k < size; k++) {
      const start = reader.number(`the start of interval ${k + 1} of tier "${name.value}"`);
      const end = reader.number(`the end of interval ${k + 1} of tier "${name.value}"`).value;
      const value = reader.string(`the text of interval ${k + 1} of tier "${name.value}"`).value;
      tier.annotations.push({ start: start.value, end, value, line: start.line });
    }
    parsed.tiers.push(tier);
  }
  return parsed;
}
