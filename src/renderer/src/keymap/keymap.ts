// The one keymap: named actions (id -> keys -> handler), each with a scope. Global
// actions fire anywhere except while typing in a text field; panel actions fire only
// when focus is inside that panel (the closest [data-panel] of the focused element).
// The help overlay lists this table, so what is shown is what is bound.

import type { MessageKey } from '../i18n';

export type KeyScope = 'global' | 'table';

export interface KeyAction {
  id: string;
  /** Key chords as normalized by chordOf(): "Ctrl+Z", "Shift+ArrowLeft", "7", "?", " ". */
  keys: string[];
  scope: KeyScope;
  description: MessageKey;
  /** Fill-ins for the description. */
  params?: Record<string, string | number>;
  /** Fires even while a text field has focus (Escape, for instance). */
  inTextFields?: boolean;
  /** Only while this holds (live trace keys); otherwise the key keeps its ordinary use. */
  when?(): boolean;
  handler(event: KeyboardEvent): void;
}

/** "Ctrl+Shift+Z" style name of a key event; Meta counts as Ctrl (macOS Cmd). */
export function chordOf(event: KeyboardEvent): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('Ctrl');
  if (event.altKey) parts.push('Alt');
  // Shift is part of printable characters already ('?', '>'); name it only for named keys.
  const named = event.key.length > 1 || /^[a-z]$/i.test(event.key) || /^[0-9]$/.test(event.key);
  if (event.shiftKey && named && !/^[0-9]$/.test(event.key)) parts.push('Shift');
  const key = event.key.length === 1 && /[a-z]/i.test(event.key) ? event.key.toUpperCase() : event.key;
  parts.push(key);
  return parts.join('+');
}

/** How a chord is shown in help: " " -> "Space". */
export function displayChord(chord: string): string {
  return chord
    .replace(/^ $/, 'Space')
    .replace('ArrowLeft', '←')
    .replace('ArrowRight', '→')
    .replace('ArrowUp', '↑')
    .replace('ArrowDown', '↓');
}

function isTextField(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement) return true;
  if (element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(element.type);
  }
  return (element as HTMLElement).isContentEditable === true;
}

function panelOf(element: Element | null): string | null {
  return element?.closest('[data-panel]')?.getAttribute('data-panel') ?? null;
}

export class Keymap {
  private readonly byChord = new Map<string, KeyAction[]>();

  constructor(readonly actions: readonly KeyAction[]) {
    for (const action of actions) {
      for (const key of action.keys) {
        const list = this.byChord.get(key) ?? [];
        list.push(action);
        this.byChord.set(key, list);
      }
    }
  }

  /** The action a key event triggers here, if any (panel actions win over global ones). */
  match(event: KeyboardEvent): KeyAction | null {
    const candidates = this.byChord.get(chordOf(event));
    if (!candidates) return null;
    const focused = document.activeElement;
    const typing = isTextField(focused);
    const panel = panelOf(focused);
    const usable = candidates.filter(
      (a) => (!typing || a.inTextFields) && (a.scope === 'global' || a.scope === panel) && (a.when?.() ?? true),
    );
    return usable.find((a) => a.scope !== 'global') ?? usable[0] ?? null;
  }

  /** Installs the window listener; returns its remover. */
  listen(target: Window = window): () => void {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const action = this.match(event);
      if (!action) return;
      event.preventDefault();
      action.handler(event);
    };
    target.addEventListener('keydown', onKey);
    return () => target.removeEventListener('keydown', onKey);
  }
}
