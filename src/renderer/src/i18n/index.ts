// A small i18n: two message tables, a reactive locale kept in localStorage, and t().

import { ref } from 'vue';
import { en, zh, type MessageKey } from './messages';

export type Locale = 'en' | 'zh-CN';
export type { MessageKey };

const TABLES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zh };
const STORAGE_KEY = 'sentiscope.locale';

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved === 'zh-CN' || saved === 'en' ? saved : 'en';
}

export const locale = ref<Locale>(initialLocale());

export function setLocale(next: Locale): void {
  locale.value = next;
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

/** The message in the current locale, with {name} placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = TABLES[locale.value][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
