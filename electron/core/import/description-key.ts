/**
 * A bank's description text reduced to what stays the same however the file is read:
 * lowercase, accents dropped, punctuation and spacing gone, words sorted. "MÜLLER GmbH,
 * Berlin" and "berlin  Muller gmbh" give the same key, so the duplicate check does not
 * depend on which column was mapped to payee and which to memo.
 */
export function descriptionKey(...texts: readonly (string | null | undefined)[]): string {
  const words: string[] = [];
  for (const text of texts) {
    if (text === null || text === undefined || text === '') continue;
    const folded = text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase();
    for (const word of folded.split(/[^\p{L}\p{N}]+/u)) if (word !== '') words.push(word);
  }
  return words.sort().join(' ');
}
