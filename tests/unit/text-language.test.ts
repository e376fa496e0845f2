// Language detection decides whether a pack may read a segment's text at all, so a wrong
// "en" on German or Russian text would be a silent English guess.

import { describe, expect, it } from 'vitest';
import { detectLanguage, unreadLanguageReason } from '../../src/core/analysis/text/language';

describe('detectLanguage', () => {
  it.each([
    ['anyhow it was really good', 'en'],
    ["i didn't like it at all", 'en'],
    ['这家酒店很好，服务态度也不错', 'zh'],
    ['WiFi很好用，早餐丰富', 'zh'],
    ['このホテルはとても良かったです', 'ja'],
    ['이 호텔은 정말 좋았어요', 'ko'],
    ['Это был очень хороший фильм', 'ru'],
    ['Das war ein sehr guter Film, aber die Musik ist nicht gut', 'de'],
    ["C'est un très bon film et la musique est belle", 'fr'],
    ['La película es muy buena y la música también', 'es'],
    ['great!!', 'en'],
    ['👍👍', 'und'],
    ['12345', 'und'],
  ])('%j -> %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});

describe('unreadLanguageReason', () => {
  it('names the language and what the pack reads; none for a language it reads, undetermined text or a pack without a list', () => {
    expect(unreadLanguageReason('de', ['en', 'zh'])).toBe('text in German (de); the model reads English (en), Chinese (zh)');
    expect(unreadLanguageReason('zh', ['en', 'zh'])).toBeNull();
    expect(unreadLanguageReason('und', ['en'])).toBeNull();
    expect(unreadLanguageReason('ru', undefined)).toBeNull();
  });
});
