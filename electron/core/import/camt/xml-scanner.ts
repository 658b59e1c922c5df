import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { importParseError } from '../parse-error.js';

export type XmlEvent =
  | {
      kind: 'open';
      /** Local name: a namespace prefix ("camt:Ntry") is dropped, any camt version matches. */
      name: string;
      line: number;
      attrs: Readonly<Record<string, string>>;
      selfClosing: boolean;
    }
  | { kind: 'close'; name: string; line: number }
  | { kind: 'text'; value: string; line: number };

/**
 * A pull scanner for the XML subset bank statements use: elements, attributes, text,
 * CDATA, comments and processing instructions. Safe by construction: a document type
 * declaration is refused outright, so there are no external entities to fetch and no
 * entity definitions to expand; only the five predefined entities and numeric character
 * references are decoded, each to at most one character. It can start at any offset a
 * previous scan stopped at, so a statement's entries can be read again without keeping
 * them in memory.
 */
export class XmlScanner {
  private pos: number;
  private lineNo: number;

  constructor(
    private readonly text: string,
    offset = 0,
    line = 1,
  ) {
    this.pos = offset;
    this.lineNo = line;
  }

  get offset(): number {
    return this.pos;
  }

  get line(): number {
    return this.lineNo;
  }

  /** The next event, or null at the end of the text. */
  next(): XmlEvent | null {
    const text = this.text;
    while (this.pos < text.length) {
      const lt = text.indexOf('<', this.pos);
      if (lt !== this.pos) {
        const end = lt === -1 ? text.length : lt;
        const event = this.textEvent(this.pos, end);
        if (event !== null) return event;
        continue;
      }
      const line = this.lineNo;
      if (text.startsWith('<!--', lt)) {
        this.skipPast('-->', lt + 4, line, 'a comment is never closed');
        continue;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        const close = text.indexOf(']]>', lt + 9);
        if (close === -1) throw truncated(line, 'a CDATA section is never closed');
        const value = text.slice(lt + 9, close);
        this.advanceTo(close + 3);
        return { kind: 'text', value, line };
      }
      if (text.startsWith('<!', lt)) throw declarationRefused(line, text.slice(lt, lt + 12));
      if (text.startsWith('<?', lt)) {
        this.skipPast('?>', lt + 2, line, 'a processing instruction is never closed');
        continue;
      }
      return text.charCodeAt(lt + 1) === 47 /* / */
        ? this.closeTag(lt, line)
        : this.openTag(lt, line);
    }
    return null;
  }

  private textEvent(from: number, to: number): XmlEvent | null {
    const text = this.text;
    const line = this.lineNo;
    let blank = true;
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === 10) this.lineNo++;
      else if (c !== 32 && c !== 9 && c !== 13) blank = false;
    }
    this.pos = to;
    if (blank) return null;
    const raw = text.slice(from, to);
    return { kind: 'text', value: raw.includes('&') ? decodeReferences(raw, line) : raw, line };
  }

  private closeTag(lt: number, line: number): XmlEvent {
    const gt = this.tagEnd(lt, line);
    const name = checkedLocalName(this.text.slice(lt + 2, gt).trim());
    if (name === null) throw malformedTag(line, this.text.slice(lt, gt + 1));
    this.advanceTo(gt + 1);
    return { kind: 'close', name, line };
  }

  private openTag(lt: number, line: number): XmlEvent {
    const text = this.text;
    let k = lt + 1;
    const nameStart = k;
    while (k < text.length && !isTagDelimiter(text.charCodeAt(k))) k++;
    const qualified = text.slice(nameStart, k);
    const name = checkedLocalName(qualified);
    if (name === null) throw malformedTag(line, text.slice(lt, Math.min(k + 1, lt + 40)));
    const attrs: Record<string, string> = {};
    for (;;) {
      while (k < text.length && isSpace(text.charCodeAt(k))) k++;
      if (k >= text.length) throw truncated(line, `the tag <${qualified}> is never closed`);
      const c = text.charCodeAt(k);
      if (c === 62 /* > */ || (c === 47 && text.charCodeAt(k + 1) === 62)) {
        const selfClosing = c === 47;
        this.advanceTo(k + (selfClosing ? 2 : 1));
        return { kind: 'open', name, line, attrs, selfClosing };
      }
      const attrStart = k;
      while (k < text.length && !isTagDelimiter(text.charCodeAt(k)) && text[k] !== '=') k++;
      const attrName = text.slice(attrStart, k);
      while (k < text.length && isSpace(text.charCodeAt(k))) k++;
      const quote = text[k + 1 + countSpaces(text, k + 1)];
      if (attrName === '' || text[k] !== '=' || (quote !== '"' && quote !== "'")) {
        throw malformedTag(line, text.slice(lt, Math.min(k + 1, lt + 60)));
      }
      k += 1 + countSpaces(text, k + 1);
      const close = text.indexOf(quote, k + 1);
      const lt2 = text.indexOf('<', k + 1);
      if (close === -1 || (lt2 !== -1 && lt2 < close)) {
        throw malformedTag(line, text.slice(lt, Math.min(k + 20, lt + 60)));
      }
      const raw = text.slice(k + 1, close);
      // Namespace declarations and the local name are all a reader needs of an attribute.
      const key = attrName.startsWith('xmlns') ? attrName : localName(attrName);
      if (Object.hasOwn(attrs, key))
        throw malformedTag(line, `attribute ${attrName} given twice in <${qualified}>`);
      attrs[key] = raw.includes('&') ? decodeReferences(raw, line) : raw;
      k = close + 1;
    }
  }

  private tagEnd(lt: number, line: number): number {
    const gt = this.text.indexOf('>', lt + 1);
    const next = this.text.indexOf('<', lt + 1);
    if (gt === -1 || (next !== -1 && next < gt)) {
      throw truncated(line, `the tag "${firstLine(this.text.slice(lt, lt + 30))}" is never closed`);
    }
    return gt;
  }

  private skipPast(marker: string, from: number, line: number, what: string): void {
    const close = this.text.indexOf(marker, from);
    if (close === -1) throw truncated(line, what);
    this.advanceTo(close + marker.length);
  }

  private advanceTo(to: number): void {
    const text = this.text;
    for (let k = this.pos; k < to; k++) if (text.charCodeAt(k) === 10) this.lineNo++;
    this.pos = to;
  }
}

const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Decodes the five predefined entities and character references; anything else is refused. */
export function decodeReferences(raw: string, line: number): string {
  let out = '';
  let from = 0;
  for (;;) {
    const amp = raw.indexOf('&', from);
    if (amp === -1) return out + raw.slice(from);
    const semi = raw.indexOf(';', amp + 1);
    const body = semi === -1 || semi - amp > 10 ? null : raw.slice(amp + 1, semi);
    const decoded = body === null ? null : decodeReference(body);
    if (decoded === null) {
      let at = line;
      for (let k = 0; k < amp; k++) if (raw.charCodeAt(k) === 10) at++;
      throw importParseError(
        at,
        `"${raw.slice(amp, amp + 12)}" is not a character reference XML predefines; the file is not well-formed`,
      );
    }
    out += raw.slice(from, amp) + decoded;
    from = semi + 1;
  }
}

function decodeReference(body: string): string | null {
  if (body.charCodeAt(0) !== 35 /* # */) return PREDEFINED[body] ?? null;
  const hex = body[1] === 'x';
  const digits = body.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) return null;
  const code = parseInt(digits, hex ? 16 : 10);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return String.fromCodePoint(code);
}

export function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
// A statement repeats a few dozen tag names hundreds of thousands of times: check each once.
const KNOWN_NAMES = new Map<string, string>();

/** The local name of a well-formed tag name, or null. */
function checkedLocalName(qualified: string): string | null {
  const known = KNOWN_NAMES.get(qualified);
  if (known !== undefined) return known;
  const name = localName(qualified);
  if (!NAME.test(name)) return null;
  if (KNOWN_NAMES.size < 1000) KNOWN_NAMES.set(qualified, name);
  return name;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isTagDelimiter(c: number): boolean {
  return isSpace(c) || c === 62 /* > */ || c === 47 /* / */ || c === 60; /* < */
}

function countSpaces(text: string, from: number): number {
  let k = from;
  while (k < text.length && isSpace(text.charCodeAt(k))) k++;
  return k - from;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? '';
}

function truncated(line: number, what: string): CofferError {
  return importParseError(line, `${what}; the file may be truncated`);
}

function malformedTag(line: number, tag: string): CofferError {
  return importParseError(line, `malformed tag "${firstLine(tag).slice(0, 60)}"`);
}

function declarationRefused(line: number, start: string): CofferError {
  return new CofferError(
    'IMPORT_FORMAT_UNSUPPORTED',
    `line ${line}: the file carries a declaration ("${firstLine(start)}…"); statements with a DOCTYPE or entity definitions are refused, since entities can read other files or expand without bound`,
    { line },
  );
}
