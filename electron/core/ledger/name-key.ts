/**
 * The form under which names are compared: "Checking", "checking" and "CHECKING" are
 * one account. SQLite's NOCASE folds ASCII only, so full Unicode folding happens here.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

export function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(s);
}
