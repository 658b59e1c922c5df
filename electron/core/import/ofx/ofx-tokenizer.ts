import { importParseError } from '../parse-error.js';

export type OfxToken =
  | { kind: 'open'; name: string; line: number }
  | { kind: 'close'; name: string; line: number }
  | { kind: 'text'; value: string; line: number };

// Tag name characters by code, checked without a regex: a statement has millions of them.
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 58) || c === 46 || c === 95 || c === 45;
}

/**
 * Splits OFX markup into tags and text. Serves both OFX 1.x SGML (leaf elements left
 * unclosed) and 2.x XML: nesting is left to the tree builder. Processing instructions,
 * comments and declarations are skipped; attributes, which OFX does not use, are ignored.
 * Tag names are upper-cased, text is trimmed and its entities decoded. A hand-written scan
 * (no regex per tag) because statements can hold hundreds of thousands of tags.
 */
export function tokenizeOfx(text: string, startLine = 1): OfxToken[] {
  const tokens: OfxToken[] = [];
  scanOfx(text, 0, startLine, {
    open: (name, line) => tokens.push({ kind: 'open', name, line }),
    close: (name, line) => tokens.push({ kind: 'close', name, line }),
    text: (value, line) => tokens.push({ kind: 'text', value, line }),
  });
  return tokens;
}

/** Receives the tokens of a scan as they are found, so no token list is ever built. */
export interface OfxTokenSink {
  open(name: string, line: number): void;
  close(name: string, line: number): void;
  text(value: string, line: number): void;
}

/** The scan behind tokenizeOfx, from offset `from` (which is on `startLine`) to the end. */
export function scanOfx(text: string, from: number, startLine: number, sink: OfxTokenSink): void {
  let line = startLine;
  let i = from;
  const n = text.length;
  while (i < n) {
    // Text up to the next tag, trimmed; `line` follows every newline passed. CDATA
    // sections are part of the text and taken verbatim, `<` and `>` included.
    let value = '';
    let runStart = -1;
    let runEnd = -1;
    let sawText = false;
    let hadCdata = false;
    let textLine = line;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 60 /* < */) {
        if (!text.startsWith(CDATA_OPEN, i)) break;
        const close = text.indexOf(CDATA_CLOSE, i + CDATA_OPEN.length);
        if (close === -1)
          throw importParseError(
            line,
            'a <![CDATA[ section is never closed; the file may be truncated',
          );
        if (!sawText) textLine = line;
        sawText = true;
        hadCdata = true;
        if (runStart !== -1) value += decodeRun(text.slice(runStart, i));
        value += text.slice(i + CDATA_OPEN.length, close);
        line += countNewlines(text, i, close);
        i = close + CDATA_CLOSE.length;
        runStart = i;
        runEnd = i;
        continue;
      }
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 0xa0) {
        if (!sawText) {
          sawText = true;
          textLine = line;
          runStart = i;
        }
        runEnd = i + 1;
      }
      i++;
    }
    if (sawText) {
      // Plain text is cut at its last visible character; text with CDATA is trimmed whole.
      const raw = hadCdata
        ? trimOfx(value + decodeRun(text.slice(runStart, Math.max(runStart, i))))
        : decodeRun(text.slice(runStart, runEnd));
      if (raw !== '') sink.text(raw, textLine);
    }
    if (i >= n) break;

    const tagLine = line;
    if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close === -1)
        throw importParseError(tagLine, 'a comment is never closed; the file may be truncated');
      line += countNewlines(text, i, close + 3);
      i = close + 3;
      continue;
    }
    const gt = text.indexOf('>', i + 1);
    const nextLt = text.indexOf('<', i + 1);
    if (gt === -1 || (nextLt !== -1 && nextLt < gt)) {
      throw importParseError(
        tagLine,
        `unterminated tag "${text.slice(i, i + 20).split('\n')[0] ?? ''}"; the file may be truncated`,
      );
    }
    const tagEnd = gt + 1;
    const first = text[i + 1];
    if (first === '?' || first === '!') {
      line += countNewlines(text, i, tagEnd);
      i = tagEnd;
      continue;
    }
    let k = i + 1;
    while (k < gt && isSpace(text.charCodeAt(k))) k++;
    const closing = text[k] === '/';
    if (closing) {
      k++;
      while (k < gt && isSpace(text.charCodeAt(k))) k++;
    }
    const nameStart = k;
    if (!isNameStart(text.charCodeAt(k)))
      throw importParseError(tagLine, `malformed tag "${text.slice(i, Math.min(tagEnd, i + 40))}"`);
    while (k < gt && isNameChar(text.charCodeAt(k))) k++;
    const name = text.slice(nameStart, k).toUpperCase();
    let last = gt - 1;
    while (last > k && isSpace(text.charCodeAt(last))) last--;
    const selfClosing = !closing && last >= k && text[last] === '/';
    if (closing && text.slice(k, gt).trim() !== '') {
      throw importParseError(tagLine, `malformed tag "${text.slice(i, Math.min(tagEnd, i + 40))}"`);
    }
    line += countNewlines(text, i, tagEnd);
    i = tagEnd;
    if (closing) sink.close(name, tagLine);
    else {
      sink.open(name, tagLine);
      if (selfClosing) sink.close(name, tagLine);
    }
  }
}

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

const EDGE_SPACE = /^[ \t\r\n\f\u00a0]+|[ \t\r\n\f\u00a0]+$/g;

function decodeRun(raw: string): string {
  return raw.includes('&') ? decodeEntities(raw) : raw;
}

/** Trims the spacing SGML files put around values (tabs, CR, form feed, no-break space). */
function trimOfx(value: string): string {
  return value.replace(EDGE_SPACE, '');
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (s.charCodeAt(k) === 10) n++;
  return n;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X'
          ? parseInt(body.slice(2), 16)
          : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}
