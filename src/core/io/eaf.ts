// ELAN Annotation Format 3.0 (.eaf), written and read as text.
//
// Writing: times in milliseconds (one TIME_SLOT per distinct time), every tier time-alignable
// and top-level, one LINGUISTIC_TYPE per kind of tier (`transcript`, `mosi-score`,
// `rating-trace` for live mode's traces, `mvsa-polarity`, the last bound to the `polarity` controlled vocabulary), a MEDIA_DESCRIPTOR
// with the media's absolute file URL and its path relative to the .eaf, and the media item's
// name as a `sentiscope:media` header PROPERTY so an import finds it again. Valid against
// EAFv3.0.xsd (element order as the schema's sequence).
// Reading: alignable annotations take their slots' times; reference annotations (ELAN's
// dependent tiers) take the times of the annotation they point at. A malformed document,
// a dangling reference or a slot without a time on an annotation is refused with its line.

import { POLARITIES } from '../../shared/domain';
import type { AnnotationTier, ReadTier } from '../../shared/annotation-tiers';
import { FileProblems } from './file-problems';
import { XmlError, childrenNamed, escapeXmlAttribute, escapeXmlText, parseXml, type XmlElement } from './xml';

export interface EafMedia {
  /** Absolute, as a file:// URL. */
  url: string;
  /** Relative to the .eaf's folder, e.g. ./clip.mp4. */
  relativeUrl: string;
  mimeType: string;
}

export interface EafDocument {
  tiers: AnnotationTier[];
  media: EafMedia | null;
  mediaName: string;
  /** ISO date-time of the export. */
  date: string;
}

export interface ParsedEaf {
  mediaName: string | null;
  media: { url: string; relativeUrl: string | null }[];
  tiers: ReadTier[];
}

const MIME_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  mpg: 'video/mpeg',
  mpeg: 'video/mpeg',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  wav: 'audio/x-wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** The MIME_TYPE ELAN expects for a media file, by its extension ("unknown" as ELAN writes). */
export function eafMimeType(path: string): string {
  const extension = path.toLowerCase().split('.').pop() ?? '';
  return MIME_TYPES[extension] ?? 'unknown';
}

const LINGUISTIC_TYPES = { transcript: 'transcript', mosi: 'mosi-score', mvsa: 'mvsa-polarity', trace: 'rating-trace' } as const;
const POLARITY_CV = 'polarity';
const LANGUAGE = 'eng';

function linguisticTypeOf(tier: AnnotationTier): string {
  if (tier.role.kind === 'label') return LINGUISTIC_TYPES[tier.role.scheme];
  return LINGUISTIC_TYPES[tier.role.kind];
}

function milliseconds(seconds: number): number {
  return Math.round(seconds * 1000);
}

export function formatEaf(doc: EafDocument): string {
  const times = [...new Set(doc.tiers.flatMap((t) => t.annotations.flatMap((a) => [milliseconds(a.start), milliseconds(a.end)])))].sort(
    (a, b) => a - b,
  );
  const slot = new Map(times.map((ms, k) => [ms, `ts${k + 1}`]));
  let annotationCount = 0;
  const tierXml = doc.tiers.map((tier) => {
    const annotator = tier.role.kind !== 'transcript' ? ` ANNOTATOR="${escapeXmlAttribute(tier.role.annotator)}"` : '';
    const annotations = tier.annotations.map((a) => {
      const id = `a${++annotationCount}`;
      return (
        `        <ANNOTATION>\n` +
        `            <ALIGNABLE_ANNOTATION ANNOTATION_ID="${id}" TIME_SLOT_REF1="${slot.get(milliseconds(a.start))}" TIME_SLOT_REF2="${slot.get(milliseconds(a.end))}">\n` +
        `                <ANNOTATION_VALUE>${escapeXmlText(a.value)}</ANNOTATION_VALUE>\n` +
        `            </ALIGNABLE_ANNOTATION>\n` +
        `        </ANNOTATION>\n`
      );
    });
    const open = `    <TIER LINGUISTIC_TYPE_REF="${linguisticTypeOf(tier)}" TIER_ID="${escapeXmlAttribute(tier.name)}"${annotator}`;
    return annotations.length ? `${open}>\n${annotations.join('')}    </TIER>\n` : `${open}/>\n`;
  });
  const used = new Set(doc.tiers.map(linguisticTypeOf));
  const types = Object.values(LINGUISTIC_TYPES)
    .filter((t) => used.has(t))
    .map((t) => {
      const cv = t === LINGUISTIC_TYPES.mvsa ? ` CONTROLLED_VOCABULARY_REF="${POLARITY_CV}"` : '';
      return `    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="${t}" TIME_ALIGNABLE="true"${cv}/>\n`;
    });
  const vocabulary = used.has(LINGUISTIC_TYPES.mvsa)
    ? `    <CONTROLLED_VOCABULARY CV_ID="${POLARITY_CV}">\n` +
      `        <DESCRIPTION LANG_REF="${LANGUAGE}">Sentiment polarity of a text or an image (MVSA)</DESCRIPTION>\n` +
      POLARITIES.map(
        (p) =>
          `        <CV_ENTRY_ML CVE_ID="cveid_${p}">\n            <CVE_VALUE LANG_REF="${LANGUAGE}">${p}</CVE_VALUE>\n        </CV_ENTRY_ML>\n`,
      ).join('') +
      `    </CONTROLLED_VOCABULARY>\n`
    : '';
  const media = doc.media
    ? `        <MEDIA_DESCRIPTOR MEDIA_URL="${escapeXmlAttribute(doc.media.url)}" MIME_TYPE="${escapeXmlAttribute(doc.media.mimeType)}" RELATIVE_MEDIA_URL="${escapeXmlAttribute(doc.media.relativeUrl)}"/>\n`
    : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ANNOTATION_DOCUMENT AUTHOR="Sentiscope" DATE="${doc.date}" FORMAT="3.0" VERSION="3.0" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">\n` +
    `    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">\n` +
    media +
    `        <PROPERTY NAME="sentiscope:media">${escapeXmlText(doc.mediaName)}</PROPERTY>\n` +
    `        <PROPERTY NAME="lastUsedAnnotationId">${annotationCount}</PROPERTY>\n` +
    `    </HEADER>\n` +
    (times.length
      ? `    <TIME_ORDER>\n${times.map((ms) => `        <TIME_SLOT TIME_SLOT_ID="${slot.get(ms)}" TIME_VALUE="${ms}"/>\n`).join('')}    </TIME_ORDER>\n`
      : `    <TIME_ORDER/>\n`) +
    tierXml.join('') +
    types.join('') +
    `    <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00138502-001" LANG_ID="${LANGUAGE}" LANG_LABEL="English (eng)"/>\n` +
    `    <CONSTRAINT DESCRIPTION="Time subdivision of parent annotation's time interval, no time gaps allowed within this interval" STEREOTYPE="Time_Subdivision"/>\n` +
    `    <CONSTRAINT DESCRIPTION="Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered" STEREOTYPE="Symbolic_Subdivision"/>\n` +
    `    <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>\n` +
    `    <CONSTRAINT DESCRIPTION="Time alignable annotations within the parent annotation's time interval, gaps are allowed" STEREOTYPE="Included_In"/>\n` +
    vocabulary +
    `</ANNOTATION_DOCUMENT>\n`
  );
}

const WHAT_TO_DO = 'Nothing was imported; fix the .eaf file (or save it again from ELAN) and import it again.';

/** Reads .eaf text; throws a 'bad-file' FileProblemsError naming `file` and each bad line. */
export function parseEaf(text: string, file: string): ParsedEaf {
  const problems = new FileProblems(file, 'bad-file', WHAT_TO_DO);
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    problems.add(err.line, `not well-formed XML: ${err.reason}`);
    problems.throwIfAny();
    throw err;
  }
  if (root.name !== 'ANNOTATION_DOCUMENT') {
    problems.add(root.line, `the root element is <${root.name}>, not <ANNOTATION_DOCUMENT>: this is not an ELAN file`);
    problems.throwIfAny();
  }
  const header = childrenNamed(root, 'HEADER')[0];
  const units = header?.attributes.TIME_UNITS ?? 'milliseconds';
  if (units !== 'milliseconds') problems.add(header.line, `TIME_UNITS is "${units}"; only milliseconds are read (as ELAN writes)`);

  const slots = new Map<string, number | null>();
  for (const order of childrenNamed(root, 'TIME_ORDER')) {
    for (const ts of childrenNamed(order, 'TIME_SLOT')) {
      const value = ts.attributes.TIME_VALUE;
      const ms = value === undefined ? null : Number(value);
      if (ms !== null && !(Number.isInteger(ms) && ms >= 0))
        problems.add(ts.line, `TIME_VALUE "${value}" is not a whole number of milliseconds >= 0`);
      slots.set(ts.attributes.TIME_SLOT_ID ?? '', ms);
    }
  }

  // Reference annotations may point at annotations on any tier, before or after them.
  const alignable = new Map<string, { start: number; end: number }>();
  const references = new Map<string, { ref: string; line: number }>();
  const tiers = childrenNamed(root, 'TIER').map((tier) => {
    const read: { id: string; value: string; line: number; times?: { start: number; end: number } }[] = [];
    for (const wrapper of childrenNamed(tier, 'ANNOTATION')) {
      for (const a of wrapper.children) {
        const id = a.attributes.ANNOTATION_ID ?? '';
        const value = childrenNamed(a, 'ANNOTATION_VALUE')[0]?.text ?? '';
        if (a.name === 'ALIGNABLE_ANNOTATION') {
          const [r1, r2] = [a.attributes.TIME_SLOT_REF1, a.attributes.TIME_SLOT_REF2];
          const [start, end] = [slots.get(r1 ?? ''), slots.get(r2 ?? '')];
          if (start === undefined || end === undefined) {
            problems.add(a.line, `annotation ${id} refers to a time slot that does not exist (${start === undefined ? r1 : r2})`);
          } else if (start === null || end === null) {
            // An unaligned slot inside a subdivision: no time of its own to import.
            problems.add(
              a.line,
              `annotation ${id} on tier "${tier.attributes.TIER_ID}" has a time slot without a time; align it in ELAN first`,
            );
          } else {
            alignable.set(id, { start, end });
            read.push({ id, value, line: a.line, times: { start, end } });
          }
        } else if (a.name === 'REF_ANNOTATION') {
          references.set(id, { ref: a.attributes.ANNOTATION_REF ?? '', line: a.line });
          read.push({ id, value, line: a.line });
        }
      }
    }
    return { name: tier.attributes.TIER_ID ?? '', line: tier.line, read };
  });

  const timesOf = (id: string, seen: Set<string>): { start: number; end: number } | null => {
    const own = alignable.get(id);
    if (own) return own;
    const reference = references.get(id);
    if (!reference || seen.has(id)) return null;
    seen.add(id);
    return timesOf(reference.ref, seen);
  };
  const parsed: ParsedEaf = {
    mediaName: header
      ? (childrenNamed(header, 'PROPERTY')
          .find((p) => p.attributes.NAME === 'sentiscope:media')
          ?.text.trim() ?? null)
      : null,
    media: header
      ? childrenNamed(header, 'MEDIA_DESCRIPTOR').map((d) => ({
          url: d.attributes.MEDIA_URL ?? '',
          relativeUrl: d.attributes.RELATIVE_MEDIA_URL ?? null,
        }))
      : [],
    tiers: tiers.map(({ name, line, read }) => ({
      name,
      line,
      annotations: read.flatMap(({ id, value, line: at, times }) => {
        const found = times ?? timesOf(id, new Set());
        if (!found) {
          problems.add(at, `reference annotation ${id} on tier "${name}" points at no time-aligned annotation`);
          return [];
        }
        return [{ start: found.start / 1000, end: found.end / 1000, value, line: at }];
      }),
    })),
  };
  problems.throwIfAny();
  return parsed;
}
