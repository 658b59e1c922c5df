import { importParseError } from '../parse-error.js';
import type { OfxToken, OfxTokenSink } from './ofx-tokenizer.js';

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

const NO_CHILDREN: OfxElement[] = Object.freeze([]) as unknown as OfxElement[];

// Real statements nest about ten deep; the cap keeps every walk over the tree shallow.
const MAX_DEPTH = 64;

/** Builds the element tree from a token list (see OfxTreeBuilder). */
export function buildOfxTree(tokens: readonly OfxToken[], lastLine: number): OfxElement {
  const builder = new OfxTreeBuilder();
  for (const token of tokens) {
    if (token.kind === 'open') builder.open(token.name, token.line);
    else if (token.kind === 'close') builder.close(token.name, token.line);
    else builder.text(token.value, token.line);
  }
  return builder.finish(lastLine);
}

/**
 * Builds the element tree as tokens arrive, tolerating SGML leaves without end tags but
 * not unclosed aggregates: a statement cut in the middle leaves <STMTTRN>, <BANKTRANLIST>
 * or <OFX> open, and that is reported with the line where the open element started.
 */
export class OfxTreeBuilder implements OfxTokenSink {
  private readonly root: OfxElement = { name: '#root', line: 0, value: null, children: [] };
  private readonly stack: OfxElement[] = [this.root];

  private top(): OfxElement {
    return this.stack[this.stack.length - 1] as OfxElement;
  }

  private closesItself(el: OfxElement): boolean {
    return (
      el !== this.root &&
      el.children.length === 0 &&
      (el.value !== null || KNOWN_LEAVES.has(el.name))
    );
  }

  open(name: string, line: number): void {
    if (this.closesItself(this.top())) this.stack.pop();
    if (this.stack.length > MAX_DEPTH) {
      throw importParseError(
        line,
        `<${name}> is nested more than ${MAX_DEPTH} elements deep; this is not a bank statement`,
      );
    }
    const el: OfxElement = { name, line, value: null, children: NO_CHILDREN };
    const parent = this.top();
    // Most elements are leaves: they share one empty list until a first child arrives.
    if (parent.children === NO_CHILDREN) parent.children = [el];
    else parent.children.push(el);
    this.stack.push(el);
  }

  text(value: string, line: number): void {
    const el = this.top();
    if (el === this.root)
      throw importParseError(line, `unexpected text "${value.slice(0, 30)}" outside <OFX>`);
    if (el.children.length > 0) {
      throw importParseError(
        line,
        `unexpected text "${value.slice(0, 30)}" inside <${el.name}> after its elements`,
      );
    }
    el.value = el.value === null ? value : `${el.value} ${value}`;
  }

  close(name: string, line: number): void {
    while (this.top().name !== name) {
      const el = this.top();
      if (el === this.root) throw importParseError(line, `</${name}> has no matching <${name}>`);
      if (el.children.length > 0 && el.value === null) {
        throw importParseError(
          line,
          `</${name}> found while <${el.name}> (line ${el.line}) is still open`,
        );
      }
      this.stack.pop();
    }
    this.stack.pop();
  }

  finish(lastLine: number): OfxElement {
    while (this.stack.length > 1) {
      const el = this.top();
      if (!this.closesItself(el)) {
        throw importParseError(
          lastLine,
          `the file ends before </${el.name}> (opened on line ${el.line}); it may be truncated`,
        );
      }
      this.stack.pop();
    }
    return this.root;
  }
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
