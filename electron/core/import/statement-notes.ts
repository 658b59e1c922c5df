import type { StatementExtra } from './statement.js';

/** The ledger's notes limit (NotesSchema). */
export const MAX_NOTES = 10_000;
const ELLIPSIS = '…';

/**
 * A row's notes: the memo, then every unmapped source field as a "Label: value" line, then
 * what the writer adds (an unknown category, splits it could not keep), so no field of the
 * file is lost. Longer than the ledger allows, the text is cut and ends with "…" so the
 * cut shows.
 */
export function buildNotes(
  memo: string | null,
  extras: readonly StatementExtra[],
  added: readonly string[] = [],
): string {
  const lines: string[] = [];
  const cleanMemo = memo === null ? '' : unixBreaks(memo).trim();
  if (cleanMemo !== '') lines.push(cleanMemo);
  for (const extra of extras) {
    const value = unixBreaks(extra.value).trim();
    if (value !== '') lines.push(`${extra.label.trim()}: ${value}`);
  }
  for (const line of added) lines.push(line);
  return capNotes(lines.join('\n'));
}

/** Every line break as "\n"; a value without "\r" (nearly all) is returned as it is. */
function unixBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

export function capNotes(text: string): string {
  if (text.length <= MAX_NOTES) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > MAX_NOTES - ELLIPSIS.length) break;
    out += ch;
  }
  return out + ELLIPSIS;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]+/g;
const MAX_NAME = 200;
/**
 * What cleanPayee would change: a control character, whitespace other than a single
 * space between words, or a space at either end.
 */
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u001f\u007f]|[^\S ]| {2}|^ | $/;

/** Bank payee fields carry tabs, padding and overlong text; the ledger wants a clean name. */
export function cleanPayee(value: string | null): string | null {
  if (value === null) return null;
  // Most payees are already clean: one test instead of two replacements and a trim.
  let cleaned = NEEDS_CLEANING.test(value)
    ? value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim()
    : value;
  if (cleaned.length > MAX_NAME) {
    let out = '';
    for (const ch of cleaned) {
      if (out.length + ch.length > MAX_NAME) break;
      out += ch;
    }
    cleaned = out.trim();
  }
  return cleaned === '' ? null : cleaned;
}
