// The workspace's key bindings. MOSI scores: keys 1..7 set -3..+3 (4 is neutral);
// [ and ] move the score by 0.1. MVSA posts: 1/2/3 set the text label and 4/5/6 the
// image label (negative/neutral/positive); the pair label follows by the merge rule.
// Live mode (V; C for the continuous trace) sends the number keys to stores/live.ts instead:
// they label what plays under the playhead, or set the trace value (up/down move it).

import type { Polarity } from '../../../shared/domain';
import { useAnnotations } from '../stores/annotations';
import { useEdits } from '../stores/edits';
import { useLive } from '../stores/live';
import { useTransport } from '../stores/transport';
import { useUi } from '../stores/ui';
import { Keymap, type KeyAction } from './keymap';

const POLARITY_KEYS: Polarity[] = ['negative', 'neutral', 'positive'];

/** The bindings over the domain stores; call it inside a component's setup (Pinia must be active). */
export function createWorkspaceKeymap(): Keymap {
  const annotations = useAnnotations();
  const edits = useEdits();
  const transport = useTransport();
  const ui = useUi();
  const live = useLive();
  const withSelected = (fn: (id: number) => void) => () => {
    if (annotations.selectedId !== null) fn(annotations.selectedId);
  };
  const go = (step: 1 | -1) => () => {
    const next = annotations.neighbour(step);
    if (!next) return;
    annotations.select(next.id);
    transport.controls?.seek(next.start);
  };
  const scoreKey = (digit: number) => (event: KeyboardEvent) => {
    void event;
    if (live.mode === 'trace' || (live.mode === 'label' && annotations.scheme === 'mosi')) {
      void live.pressScore(digit - 4);
      return;
    }
    if (annotations.selectedId === null) return;
    if (annotations.scheme === 'mvsa') {
      if (digit <= 3) void edits.setMvsa(annotations.selectedId, { text: POLARITY_KEYS[digit - 1] });
      else if (digit <= 6) void edits.setMvsa(annotations.selectedId, { image: POLARITY_KEYS[digit - 4] });
      return;
    }
    void edits.setMosi(annotations.selectedId, { score: digit - 4 });
  };

  const actions: KeyAction[] = [
    { id: 'help', keys: ['?'], scope: 'global', description: 'act_help', handler: () => (ui.helpOpen = !ui.helpOpen) },
    {
      id: 'escape',
      keys: ['Escape'],
      scope: 'global',
      description: 'act_escape',
      inTextFields: true,
      handler: () => {
        if (ui.helpOpen) ui.helpOpen = false;
        else if (ui.modelsOpen) ui.modelsOpen = false;
        else if (ui.agreementOpen) ui.agreementOpen = false;
        else if (ui.combineOpen) ui.combineOpen = false;
        else (document.activeElement as HTMLElement | null)?.blur?.();
      },
    },
    { id: 'playPause', keys: [' '], scope: 'global', description: 'act_playPause', handler: () => transport.controls?.playPause() },
    ...[1, 2, 3, 4, 5, 6, 7].map<KeyAction>((digit) => ({
      id: `score${digit}`,
      keys: [String(digit)],
      scope: 'global',
      description: 'act_score',
      params: { from: 1, to: 7 },
      handler: scoreKey(digit),
    })),
    {
      id: 'scoreDown',
      keys: ['['],
      scope: 'global',
      description: 'act_scoreDown',
      handler: withSelected((id) => void edits.nudgeScore(id, -0.1)),
    },
    {
      id: 'scoreUp',
      keys: [']'],
      scope: 'global',
      description: 'act_scoreUp',
      handler: withSelected((id) => void edits.nudgeScore(id, 0.1)),
    },
    {
      id: 'questionable',
      keys: ['Q'],
      scope: 'global',
      description: 'act_questionable',
      handler: withSelected((id) => {
        const questionable = !(annotations.scheme === 'mvsa' ? annotations.myLabel(id, 'mvsa') : annotations.myLabel(id, 'mosi'))
          ?.questionable;
        void edits.setLabelExtras(id, { questionable });
      }),
    },
    { id: 'prev', keys: ['P'], scope: 'global', description: 'act_prev', handler: go(-1) },
    { id: 'next', keys: ['N'], scope: 'global', description: 'act_next', handler: go(1) },
    { id: 'rowUp', keys: ['ArrowUp'], scope: 'table', description: 'act_rowUp', handler: go(-1) },
    { id: 'rowDown', keys: ['ArrowDown'], scope: 'table', description: 'act_rowDown', handler: go(1) },
    { id: 'seekBack', keys: ['ArrowLeft'], scope: 'global', description: 'act_seekBack', handler: () => transport.seekBy(-1) },
    { id: 'seekForward', keys: ['ArrowRight'], scope: 'global', description: 'act_seekForward', handler: () => transport.seekBy(1) },
    {
      id: 'startEarlier',
      keys: ['Alt+ArrowLeft'],
      scope: 'global',
      description: 'act_startEarlier',
      handler: withSelected((id) => void edits.nudgeEdge(id, 'start', -1)),
    },
    {
      id: 'startLater',
      keys: ['Alt+ArrowRight'],
      scope: 'global',
      description: 'act_startLater',
      handler: withSelected((id) => void edits.nudgeEdge(id, 'start', 1)),
    },
    {
      id: 'endEarlier',
      keys: ['Shift+ArrowLeft'],
      scope: 'global',
      description: 'act_endEarlier',
      handler: withSelected((id) => void edits.nudgeEdge(id, 'end', -1)),
    },
    {
      id: 'endLater',
      keys: ['Shift+ArrowRight'],
      scope: 'global',
      description: 'act_endLater',
      handler: withSelected((id) => void edits.nudgeEdge(id, 'end', 1)),
    },
    { id: 'loop', keys: ['L'], scope: 'global', description: 'act_loop', handler: () => (transport.loop = !transport.loop) },
    { id: 'spectrogram', keys: ['G'], scope: 'global', description: 'act_spectrogram', handler: () => transport.toggleSpectrogram() },
    {
      id: 'split',
      keys: ['S'],
      scope: 'global',
      description: 'act_split',
      handler: withSelected((id) => void edits.splitAt(id, transport.controls?.currentTime() ?? transport.currentTime)),
    },
    { id: 'merge', keys: ['M'], scope: 'global', description: 'act_merge', handler: withSelected((id) => void edits.mergeWithNext(id)) },
    {
      id: 'delete',
      keys: ['Delete', 'Backspace'],
      scope: 'global',
      description: 'act_delete',
      handler: withSelected((id) => void edits.deleteSegment(id)),
    },
    { id: 'edit', keys: ['E', 'Enter'], scope: 'global', description: 'act_edit', handler: withSelected((id) => (ui.editingId = id)) },
    { id: 'undo', keys: ['Ctrl+Z'], scope: 'global', description: 'act_undo', handler: () => void edits.undo() },
    { id: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], scope: 'global', description: 'act_redo', handler: () => void edits.redo() },
    { id: 'zoomIn', keys: ['Z'], scope: 'global', description: 'act_zoomIn', handler: () => transport.stepZoom(1) },
    { id: 'zoomOut', keys: ['Shift+Z'], scope: 'global', description: 'act_zoomOut', handler: () => transport.stepZoom(-1) },
    { id: 'liveMode', keys: ['V'], scope: 'global', description: 'act_liveMode', handler: () => void live.toggle('label') },
    { id: 'traceMode', keys: ['C'], scope: 'global', description: 'act_traceMode', handler: () => void live.toggle('trace') },
    {
      id: 'traceUp',
      keys: ['ArrowUp'],
      scope: 'global',
      description: 'act_traceUp',
      when: () => live.mode === 'trace',
      handler: () => live.nudgeTrace(1),
    },
    {
      id: 'traceDown',
      keys: ['ArrowDown'],
      scope: 'global',
      description: 'act_traceDown',
      when: () => live.mode === 'trace',
      handler: () => live.nudgeTrace(-1),
    },
    { id: 'slower', keys: ['<'], scope: 'global', description: 'act_slower', handler: () => transport.stepRate(-1) },
    { id: 'faster', keys: ['>'], scope: 'global', description: 'act_faster', handler: () => transport.stepRate(1) },
  ];
  return new Keymap(actions);
}
