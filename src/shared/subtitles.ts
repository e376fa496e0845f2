// SRT and WebVTT codecs for transcripts. Pure text in, cues out.
//
// Cue text is meant for transcript use (segment text, the text model), so parsing
// flattens it: the cue's lines are joined with one space, markup tags (<i>, <b>,
// <font ...>, VTT <v Speaker>, <c.x>, inline <00:00:01.000> timestamps) and SRT
// {\an8}-style override codes are dropped, VTT character references (&amp; &lt;
// &gt; &nbsp; &lrm; &rlm; &quot; &#39;) are decoded, and runs of spaces collapse.
//
// Reading tolerates a BOM, CRLF/LF/CR, a missing final blank line, missing SRT cue
// numbers, ',' or '.' before the milliseconds in either format, optional hours
// (VTT style) in either format, VTT header lines, NOTE/STYLE/REGION blocks and cue
// settings. A bad timing line is an error with its line number; all such problems in
// a file are collected (up to MAX_SUBTITLE_PROBLEMS) and thrown together.

export interface Cue {
  /** Seconds from the start of the media. */
  start: number;
  end: number;
  text: string;
}

export interface SubtitleProblem {
  line: number;
  reason: string;
}

export const MAX_SUBTITLE_PROBLEMS = 20;

export class SubtitleError extends Error {
  readonly problems: SubtitleProblem[];
  constructor(problems: SubtitleProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.reason}`).join('; '));
    this.name = 'SubtitleError';
    this.problems = problems;
  }
}

const TIMESTAMP = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/;

/** Parses `[HH:]MM:SS.mmm` (or `,mmm`) to seconds; undefined when malformed. */
export function parseTimestamp(stamp: string): number | undefined {
  const m = TIMESTAMP.exec(stamp.trim());
  if (!m) return undefined;
  const [hours, minutes, seconds, millis] = [m[1] ?? '0', m[2], m[3], m[4]].map(Number);
  if (minutes > 59 || seconds > 59) return undefined;
  // Integer milliseconds first, so 51.905 comes out as the double nearest 51.905.
  return (((hours * 60 + minutes) * 60 + seconds) * 1000 + millis) / 1000;
}

/** Formats seconds as `HH:MM:SS<sep>mmm` (hours always two digits or more). */
export function formatTimestamp(seconds: number, sep: ',' | '.'): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`formatTimestamp: expected a time >= 0 seconds, got ${seconds}`);
  }
  const total = Math.round(seconds * 1000);
  const ms = total % 1000;
  const s = Math.floor(total / 1000) % 60;
  const m = Math.floor(total / 60_000) % 60;
  const h = Math.floor(total / 3_600_000);
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${sep}${pad(ms, 3)}`;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: ' ',
  lrm: '',
  rlm: '',
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function flattenCueText(lines: string[], vtt: boolean): string {
  let text = lines.join(' ').replace(/<[^>]*>/g, '');
  text = vtt ? decodeEntities(text) : text.replace(/\{\\[^}]*\}/g, '');
  return text.replace(/\s+/g, ' ').trim();
}

interface TimingLine {
  start: number;
  end: number;
}

/** Parses `start --> end [settings]`; a string reason when it is malformed. */
function parseTimingLine(line: string): TimingLine | string {
  const arrow = line.indexOf('-->');
  const left = line.slice(0, arrow).trim();
  const right =
    line
      .slice(arrow + 3)
      .trim()
      .split(/[ \t]+/)[0] ?? '';
  const start = parseTimestamp(left);
  const end = parseTimestamp(right);
  if (start === undefined || end === undefined) {
    return `bad cue timing ${JSON.stringify(line.trim())}: expected HH:MM:SS,mmm --> HH:MM:SS,mmm`;
  }
  if (end < start) return `cue ends (${right}) before it starts (${left})`;
  return { start, end };
}

function splitLines(text: string): string[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return src.split(/\r\n|\n|\r/);
}

const isBlank = (s: string | undefined) => s === undefined || s.trim() === '';

/**
 * Parses SubRip text. A line holding `-->` starts a cue; a number alone on the line
 * before it is the cue number and is dropped; other lines are the cue's text.
 */
export function parseSrt(text: string): Cue[] {
  const lines = splitLines(text);
  const cues: Cue[] = [];
  const problems: SubtitleProblem[] = [];
  // The cue being read and its raw text lines; flattened when the next cue starts.
  let cue: Cue | null = null;
  let cueLines: string[] = [];
  const finishCue = () => {
    if (cue) cue.text = flattenCueText(cueLines, false);
  };

  for (let i = 0; i < lines.length && problems.length < MAX_SUBTITLE_PROBLEMS; i++) {
    const line = lines[i];
    if (isBlank(line)) continue;
    if (line.includes('-->')) {
      finishCue();
      cue = null;
      const timing = parseTimingLine(line);
      if (typeof timing === 'string') {
        problems.push({ line: i + 1, reason: timing });
        // Skip this cue's text so it is not glued to the previous cue.
        while (i + 1 < lines.length && !isBlank(lines[i + 1])) i++;
        continue;
      }
      cue = { start: timing.start, end: timing.end, text: '' };
      cueLines = [];
      cues.push(cue);
      continue;
    }
    const isCueNumber = /^\d+$/.test(line.trim()) && (lines[i + 1] ?? '').includes('-->');
    if (isCueNumber) continue;
    if (!cue) {
      problems.push({
        line: i + 1,
        reason: `expected a cue number or a timing line (start --> end), found ${JSON.stringify(line.trim().slice(0, 40))}`,
      });
      while (i + 1 < lines.length && !isBlank(lines[i + 1])) i++;
      continue;
    }
    cueLines.push(line);
  }
  finishCue();
  if (problems.length > 0) throw new SubtitleError(problems);
  return cues;
}

/**
 * Parses WebVTT text. The file must start with `WEBVTT`; blocks are separated by
 * blank lines; NOTE, STYLE and REGION blocks are skipped; a cue block is an optional
 * identifier line, the timing line (settings after the end time are ignored), then text.
 */
export function parseVtt(text: string): Cue[] {
  const lines = splitLines(text);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    throw new SubtitleError([{ line: 1, reason: 'a WebVTT file must start with the line "WEBVTT"' }]);
  }
  const cues: Cue[] = [];
  const problems: SubtitleProblem[] = [];
  let i = 1;
  // Header lines run to the first blank line.
  while (i < lines.length && !isBlank(lines[i])) i++;

  while (i < lines.length && problems.length < MAX_SUBTITLE_PROBLEMS) {
    if (isBlank(lines[i])) {
      i++;
      continue;
    }
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && !isBlank(lines[i])) block.push(lines[i++]);

    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(block[0]) && !block[0].includes('-->')) continue;
    const timingAt = block[0].includes('-->') ? 0 : block.length > 1 && block[1].includes('-->') ? 1 : -1;
    if (timingAt < 0) {
      problems.push({
        line: blockStart + 1,
        reason: `expected a cue timing line (start --> end), found ${JSON.stringify(block[0].trim().slice(0, 40))}`,
      });
      continue;
    }
    const timing = parseTimingLine(block[timingAt]);
    if (typeof timing === 'string') {
      problems.push({ line: blockStart + timingAt + 1, reason: timing });
      continue;
    }
    cues.push({ start: timing.start, end: timing.end, text: flattenCueText(block.slice(timingAt + 1), true) });
  }
  if (problems.length > 0) throw new SubtitleError(problems);
  return cues;
}

// Text lines for writing: no blank lines (they would end the cue) and no '-->'
// (it would read as a timing line).
function writableLines(text: string): string[] {
  return text
    .split(/\r\n|\n|\r/)
    .map((l) => l.replace(/-->/g, '->'))
    .filter((l) => l.trim() !== '');
}

function escapeVtt(line: string): string {
  return line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes SubRip: numbered cues, `HH:MM:SS,mmm`, one blank line between cues, LF. */
export function formatSrt(cues: readonly Cue[]): string {
  const blocks = cues.map((c, i) =>
    [String(i + 1), `${formatTimestamp(c.start, ',')} --> ${formatTimestamp(c.end, ',')}`, ...writableLines(c.text)].join('\n'),
  );
  return blocks.length === 0 ? '' : blocks.join('\n\n') + '\n';
}

/** Writes WebVTT: `WEBVTT` header, `HH:MM:SS.mmm`, text escaped (&, <, >), LF. */
export function formatVtt(cues: readonly Cue[]): string {
  const blocks = cues.map((c) =>
    [`${formatTimestamp(c.start, '.')} --> ${formatTimestamp(c.end, '.')}`, ...writableLines(c.text).map(escapeVtt)].join('\n'),
  );
  return ['WEBVTT', ...blocks].join('\n\n') + '\n';
}
