import { importParseError } from '../parse-error.js';
import type { OfxToken } from './ofx-tokenizer.js';

export interface OfxElement {
  name: string;
  line: number;
  /** Text of a leaf element; null for aggregates. */
  value: string | null;
  children: OfxElement[];
}

// Leaf elements that banks sometimes send without a value ("<MEMO>" then the next tag).
// Knowing them lets such an empty element close itself instead of swallowing its siblings.
const KNOWN_LEAVES = new Set([
  'TRNTYPE',
  'DTPOSTED',
  'DTUSER',
  'DTAVAIL',
  'TRNAMT',
  'FITID',
  'CORRECTFITID',
  'CORRECTACTION',
  'SRVRTID',
  'CHECKNUM',
  'REFNUM',
  'SIC',
  'PAYEEID',
  'NAME',
  'EXTDNAME',
  'MEMO',
  'CURDEF',
  'CURSYM',
  'CURRATE',
  'DTSTART',
  'DTEND',
  'BANKID',
  'BRANCHID',
  'ACCTID',
  'ACCTTYPE',
  'ACCTKEY',
  'BALAMT',
  'DTASOF',
  'TRNUID',
  'CODE',
  'SEVERITY',
  'MESSAGE',
  'DTSERVER',
  'LANGUAGE',
  'ORG',
  'FID',
  'ADDR1',
  'ADDR2',
  'ADDR3',
  'CITY',
  'STATE',
  'POSTALCODE',
  'COUNTRY',
  'PHONE',
  'INTU.BID',
  'INTU.USERID',
  'MKTGINFO',
  'SUBACCTFUND',
  'INV401KSOURCE',
  'INCTYPE',
]);

// Real statements nest about ten deep; the cap keeps every walk over the tree shallow.
const MAX_DEPTH = 64;

/**
 * Builds the element tree from tokens, tolerating SGML leaves without end tags but not
 * unclosed aggregates: a statement cut in the middle leaves <STMTTRN>, <BANKTRANLIST> or
 * <OFX> open, and that is reported with the line where the open element started.
 */
export function buildOfxTree(tokens: readonly OfxToken[], lastLine: number): OfxElement {
  const root: OfxElement = { name: '#root', line: 0, value: null, children: [] };
  const stack: OfxElement[] = [root];
  const top = () => stack[stack.length - 1] as OfxElement;
  const closesItself = (el: OfxElement) =>
    el !== root && el.children.length === 0 && (el.value !== null || KNOWN_LEAVES.has(el.name));

  for (const token of tokens) {
    switch (token.kind) {
      case 'open': {
        if (closesItself(top())) stack.pop();
        const el: OfxElement = { name: token.name, line: token.line, value: null, children: [] };
        if (stack.length > MAX_DEPTH) {
          throw importParseError(
            token.line,
            `<${token.name}> is nested more than ${MAX_DEPTH} elements deep; this is not a bank statement`,
          );
        }
        top().children.push(el);
        stack.push(el);
        break;
      }
      case 'text': {
        const el = top();
        if (el === root)
          throw importParseError(
            token.line,
            `unexpected text "${token.value.slice(0, 30)}" outside <OFX>`,
          );
        if (el.children.length > 0) {
          throw importParseError(
            token.line,
            `unexpected text "${token.value.slice(0, 30)}" inside <${el.name}> after its elements`,
          );
        }
        el.value = el.value === null ? token.value : `${el.value} ${token.value}`;
        break;
      }
      case 'close': {
        while (top().name !== token.name) {
          const el = top();
          if (el === root)
            throw importParseError(token.line, `</${token.name}> has no matching <${token.name}>`);
          if (el.children.length > 0 && el.value === null) {
            throw importParseError(
              token.line,
              `</${token.name}> found while <${el.name}> (line ${el.line}) is still open`,
            );
          }
          stack.pop();
        }
        stack.pop();
        break;
      }
    }
  }
  while (stack.length > 1) {
    const el = top();
    if (!closesItself(el)) {
      throw importParseError(
        lastLine,
        `the file ends before </${el.name}> (opened on line ${el.line}); it may be truncated`,
      );
    }
    stack.pop();
  }
  return root;
}

export function child(el: OfxElement, name: string): OfxElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Every descendant named `name`, in document order, not looking inside matches. */
export function findAll(el: OfxElement, name: string): OfxElement[] {
  return findAllOf(el, new Set([name]));
}

/** Every descendant whose name is in `names`, in document order, not looking inside matches. */
export function findAllOf(el: OfxElement, names: ReadonlySet<string>): OfxElement[] {
  const found: OfxElement[] = [];
  const pending: OfxElement[] = [...el.children].reverse();
  // An explicit stack: a hostile file can nest aggregates deeper than the call stack allows.
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (names.has(node.name)) found.push(node);
    else
      for (let k = node.children.length - 1; k >= 0; k--)
        pending.push(node.children[k] as OfxElement);
  }
  return found;
}
