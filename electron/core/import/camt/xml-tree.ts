import { importParseError } from '../parse-error.js';
import type { XmlEvent, XmlScanner } from './xml-scanner.js';

export interface XmlElement {
  name: string;
  line: number;
  attrs: Readonly<Record<string, string>>;
  /** The element's own text, whitespace runs folded to one space and trimmed. */
  text: string;
  children: XmlElement[];
}

/** Deeper than any ISO 20022 message goes; stops a hostile file from nesting without end. */
const MAX_DEPTH = 64;

/**
 * Reads the element `open` starts, with everything inside it, from the scanner. Loops
 * with an explicit stack rather than recursing, and reports a file that ends early or
 * closes the wrong element at the line of the element left open.
 */
export function readElement(
  scanner: XmlScanner,
  open: XmlEvent & { kind: 'open' },
  depth = 0,
): XmlElement {
  const root = newElement(open);
  if (open.selfClosing) return root;
  const stack: XmlElement[] = [root];
  const raw: string[] = [''];
  for (;;) {
    const event = scanner.next();
    const top = stack[stack.length - 1] as XmlElement;
    if (event === null) {
      throw importParseError(
        scanner.line,
        `the file ends before </${top.name}> (opened on line ${top.line}); it may be truncated`,
      );
    }
    switch (event.kind) {
      case 'text':
        raw[raw.length - 1] += event.value;
        break;
      case 'open': {
        if (depth + stack.length >= MAX_DEPTH) {
          throw importParseError(event.line, `elements nest deeper than ${MAX_DEPTH} levels`);
        }
        const el = newElement(event);
        top.children.push(el);
        if (!event.selfClosing) {
          stack.push(el);
          raw.push('');
        }
        break;
      }
      case 'close': {
        if (event.name !== top.name) {
          throw importParseError(
            event.line,
            `</${event.name}> found while <${top.name}> (line ${top.line}) is still open`,
          );
        }
        top.text = fold(raw.pop() ?? '');
        stack.pop();
        if (stack.length === 0) return root;
        break;
      }
    }
  }
}

function newElement(open: XmlEvent & { kind: 'open' }): XmlElement {
  return { name: open.name, line: open.line, attrs: open.attrs, text: '', children: [] };
}

const UNFOLDED = /[\t\n\r]| {2}/;

function fold(text: string): string {
  if (text === '') return '';
  return UNFOLDED.test(text) ? text.replace(/\s+/g, ' ').trim() : text.trim();
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el === undefined ? [] : el.children.filter((c) => c.name === name);
}

/** The element at a slash-separated path of child names, e.g. "Acct/Id/IBAN". */
export function at(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let names = PATHS.get(path);
  if (names === undefined) {
    names = path.split('/');
    PATHS.set(path, names);
  }
  let node = el;
  for (const name of names) {
    if (node === undefined) return undefined;
    node = child(node, name);
  }
  return node;
}

// The paths readers ask for are a few dozen literals; split each once.
const PATHS = new Map<string, string[]>();
