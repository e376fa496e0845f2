// The small XML reader behind the .eaf import: what it takes, and the lines it names when it refuses.

import { describe, expect, it } from 'vitest';
import { XmlError, escapeXmlAttribute, escapeXmlText, parseXml } from '../../src/core/io/xml';

function refusal(text: string): XmlError {
  try {
    parseXml(text);
  } catch (err) {
    if (err instanceof XmlError) return err;
    throw err;
  }
  throw new Error('expected the document to be refused');
}

describe('parseXml', () => {
  it('reads elements, attributes, text, references, CDATA and comments, keeping lines', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE x>\n<!-- a\ncomment -->\n<A k="1 &amp; 2" j=\'&#x41;&#10;b\'>\n' +
        '  <B>x &lt;y&gt; &quot;z&quot; &#233;</B>\n  <B><![CDATA[<raw> & ]]></B><C/>\n</A>\n',
    );
    expect(root).toMatchObject({ name: 'A', line: 5, attributes: { k: '1 & 2', j: 'A\nb' } });
    expect(root.children.map((c) => [c.name, c.text, c.line])).toEqual([
      ['B', 'x <y> "z" é', 6],
      ['B', '<raw> & ', 7],
      ['C', '', 7],
    ]);
  });

  it('round-trips what the writer escapes', () => {
    const value = 'a < b & "c" > d\n\te';
    const root = parseXml(`<V a="${escapeXmlAttribute(value)}">${escapeXmlText(value)}</V>`);
    expect(root.attributes.a).toBe(value);
    expect(root.text).toBe(value);
  });

  it('refuses malformed documents with their line', () => {
    expect(refusal('<A>\n<B>\n</A>')).toMatchObject({ line: 3, reason: '</A> closes <B> (opened on line 2)' });
    expect(refusal('<A>\n  x & y\n</A>').reason).toContain('a bare "&"');
    expect(refusal('<A>&nbsp;</A>').reason).toBe('the entity &nbsp; is not defined');
    expect(refusal('<A b="1" b="2"/>').reason).toBe('attribute b appears twice on <A>');
    expect(refusal('<A b=1/>').reason).toBe('the value of b is not quoted');
    expect(refusal('<A/><B/>').reason).toBe('a second root element');
    expect(refusal('<A>\n<B>\n')).toMatchObject({ line: 3, reason: '<B> (line 2) is never closed' });
    expect(refusal('just text').reason).toBe('text outside the root element');
    expect(refusal('').reason).toContain('no root element');
  });
});
