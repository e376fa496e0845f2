// The Agreement page's state: the report of one scheme (agreement:report), the review queue
// of segments largest disagreement first (adjudication:queue), the row in hand, and the
// adjudicator's final labels (MVSA side by side) with their own undo (a final label replaced
// or set is put back).

import { computed, ref, shallowRef } from 'vue';
import { scorePairs } from '../../../../shared/agreement/score-pairs';
import type { ContractClient } from '../../../../shared/contract';
import type { AgreementReport } from '../../../../shared/agreement/report';
import type { Adjudication, MosiLabelValues, MvsaLabelValues, Polarity, ReviewItem } from '../../../../shared/domain';
import { messageOf, type Status } from './status';

export type AgreementScheme = 'mosi' | 'mvsa';

export function createAgreement(api: ContractClient, status: Status) {
  const scheme = ref<AgreementScheme>('mosi');
  const report = shallowRef<AgreementReport | null>(null);
  /** Why there is no report (fewer than two annotators, no shared item), as the core says it. */
  const refusal = ref<string | null>(null);
  const queue = shallowRef<ReviewItem[]>([]);
  const cursor = ref(0);
  const current = computed(() => queue.value[cursor.value] ?? null);
  /** The scatter's two annotators (MOSI); empty: the report's first two. */
  const scatterA = ref('');
  const scatterB = ref('');
  /** One point per item both of them rated, from the queue (every segment two or more labelled). */
  const scatter = computed(() => {
    const names = report.value?.annotators ?? [];
    if (scheme.value !== 'mosi' || names.length < 2) return null;
    const a = names.includes(scatterA.value) ? scatterA.value : names[0];
    const b = names.includes(scatterB.value) && scatterB.value !== a ? scatterB.value : (names.find((n) => n !== a) ?? names[1]);
    return scorePairs(queue.value, a, b);
  });
  /** What each final label replaced, newest last: undo puts it back. */
  const undoStack: { segmentId: number; scheme: AgreementScheme; before: Adjudication | null }[] = [];

  async function load(next: AgreementScheme = scheme.value): Promise<void> {
    scheme.value = next;
    try {
      report.value = await api.invoke('agreement:report', { scheme: next });
      refusal.value = null;
    } catch (err) {
      report.value = null;
      refusal.value = messageOf(err);
    }
    await status.guard(async () => {
      queue.value = await api.invoke('adjudication:queue', { scheme: next });
      cursor.value = Math.min(cursor.value, Math.max(0, queue.value.length - 1));
    });
  }

  function move(step: 1 | -1): void {
    cursor.value = Math.max(0, Math.min(queue.value.length - 1, cursor.value + step));
  }

  async function write(segmentId: number, values: MosiLabelValues | MvsaLabelValues | null, adjudicator: string): Promise<void> {
    if (values === null) await api.invoke('adjudication:clear', { segmentId, scheme: scheme.value });
    else if (scheme.value === 'mosi')
      await api.invoke('adjudication:setMosi', { segmentId, adjudicator, values: values as MosiLabelValues });
    else await api.invoke('adjudication:setMvsa', { segmentId, adjudicator, values: values as MvsaLabelValues });
  }

  /** Sets the row in hand's final label (null clears it), remembering what it replaces. */
  async function setFinal(values: MosiLabelValues | MvsaLabelValues | null): Promise<void> {
    const item = current.value;
    const adjudicator = status.requireAnnotator();
    if (!item || !adjudicator) return;
    await status.guard(async () => {
      await write(item.segmentId, values, adjudicator);
      undoStack.push({ segmentId: item.segmentId, scheme: scheme.value, before: item.adjudication });
      await load();
    });
  }

  /**
   * MVSA: decides one side of the row in hand, keeping the side already decided (the
   * adjudicator decides field by field, as an annotator labels).
   */
  async function setFinalSide(side: 'text' | 'image', polarity: Polarity): Promise<void> {
    const held = current.value?.adjudication;
    const before: MvsaLabelValues = held?.scheme === 'mvsa' ? held.values : { text: null, image: null, pair: null };
    await setFinal({ ...before, [side]: polarity, pair: null });
  }

  async function undo(): Promise<void> {
    const last = undoStack.pop();
    if (!last) return;
    await status.guard(async () => {
      scheme.value = last.scheme;
      await write(last.segmentId, last.before?.values ?? null, last.before?.adjudicator ?? status.annotator.value.trim());
      await load();
    });
  }

  return { scheme, report, refusal, queue, cursor, current, scatterA, scatterB, scatter, load, move, setFinal, setFinalSide, undo };
}
