// A small, strict XML reader and the escaping a writer needs. Enough for the annotation
// files tools like ELAN write (elements, attributes, text, CDATA, comments, character and
// the five predefined entity references); no DTDs or namespaces beyond keeping prefixed
// names as written. Every element keeps its line, so a reader can name where a file is wrong.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, concatenated. */
  text: string;
  /** 1-based line of its start tag. */
  line: number;
}

export class XmlError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'XmlError';
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For attribute values in double quotes; newlines and tabs kept as references so they survive. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Parses a whole document and returns its root element; throws XmlError naming the line. */
export function parseXml(text: string): XmlElement {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  const fail = (reason: string): never => {
    throw new XmlError(line, reason);
  };
  const advanceTo = (end: number) => {
    for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
    i = end;
  };
  const skipPast = (terminator: string, what: string): string => {
    const end = text.indexOf(terminator, i);
    if (end < 0) fail(`${what} is never closed`);
    const body = text.slice(i, end);
    advanceTo(end + terminator.length);
    return body;
  };
  const decode = (raw: string): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) fail('a bare "&" (write it as &amp;)');
      if (ref![0] === '#') {
        const code = ref![1] === 'x' ? parseInt(ref!.slice(2), 16) : parseInt(ref!.slice(1), 10);
        if (!(code > 0 && code <= 0x10ffff)) fail(`the character reference ${whole} is not a character`);
        return String.fromCodePoint(code);
      }
      if (!(ref! in ENTITIES)) fail(`the entity ${whole} is not defined`);
      return ENTITIES[ref!];
    });
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) advanceTo(i + 1);
  };
  const addText = (value: string) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.text += value;
    else if (value.trim() !== '') fail('text outside the root element');
  };

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      addText(decode(text.slice(i)));
      advanceTo(text.length);
      break;
    }
    if (lt > i) {
      addText(decode(text.slice(i, lt)));
      advanceTo(lt);
    }
    if (text.startsWith('<!--', i)) {
      advanceTo(i + 4);
      skipPast('-->', 'a comment');
    } else if (text.startsWith('<![CDATA[', i)) {
      advanceTo(i + 9);
      addText(skipPast(']]>', 'a CDATA section'));
    } else if (text.startsWith('<?', i)) {
      advanceTo(i + 2);
      skipPast('?>', 'a processing instruction');
    } else if (text.startsWith('<!', i)) {
      advanceTo(i + 2);
      skipPast('>', 'a declaration');
    } else if (text.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (text[i] !== '>') fail(`the end tag </${name}> is not closed with ">"`);
      i++;
      const open = stack.pop();
      if (!open) fail(`</${name}> closes nothing`);
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}> (opened on line ${open!.line})`);
    } else {
      i++;
      if (root && stack.length === 0) fail('a second root element');
      const element: XmlElement = { name: readName(), attributes: {}, children: [], text: '', line };
      for (;;) {
        skipSpace();
        if (text.startsWith('/>', i) || text[i] === '>') break;
        if (i >= text.length) fail(`<${element.name}> is never closed`);
        const attribute = readName();
        skipSpace();
        if (text[i] !== '=') fail(`attribute ${attribute} of <${element.name}> has no value`);
        i++;
        skipSpace();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") fail(`the value of ${attribute} is not quoted`);
        i++;
        const value = skipPast(quote, `the value of ${attribute}`);
        if (value.includes('<')) fail(`the value of ${attribute} holds a "<"`);
        if (attribute in element.attributes) fail(`attribute ${attribute} appears twice on <${element.name}>`);
        // Literal whitespace normalises to spaces; character references keep what they name.
        element.attributes[attribute] = decode(value.replace(/[\t\n\r]/g, ' '));
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      if (text.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(element);
      }
    }
  }
  if (stack.length) throw new XmlError(line, `<${stack[stack.length - 1].name}> (line ${stack[stack.length - 1].line}) is never closed`);
  if (!root) throw new XmlError(line, 'no root element: this is not an XML document');
  return root;
}

/** The children named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
