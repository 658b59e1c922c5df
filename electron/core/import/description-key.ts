/**
 * A bank's description text reduced to what stays the same however the file is read:
 * lowercase, accents dropped, punctuation and spacing gone, words sorted. "MÜLLER GmbH,
 * Berlin" and "berlin  Muller gmbh" give the same key, so the duplicate check does not
 * depend on which column was mapped to payee and which to memo.
 */
export function descriptionKey(...texts: readonly (string | null | undefined)[]): string {
  return descriptionKeyOf(texts);
}

/** `descriptionKey` of a list already gathered (a reader's row), without spreading it. */
export function descriptionKeyOf(texts: readonly (string | null | undefined)[]): string {
  const words: string[] = [];
  for (const text of texts) {
    if (text === null || text === undefined || text === '') continue;
    if (ASCII.test(text)) splitAscii(text.toLowerCase(), words);
    else {
      const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
      for (const word of folded.split(NON_WORD)) if (word !== '') words.push(word);
    }
  }
  return sortWords(words).join(' ');
}

/**
 * `words.sort()`, the same order (UTF-16 code units): a row's handful of words sorts by
 * insertion several times faster than through the generic sort, once per imported row.
 */
function sortWords(words: string[]): string[] {
  if (words.length > MAX_INSERTION_SORT) return words.sort();
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    let j = i - 1;
    while (j >= 0 && (words[j] as string) > word) {
      words[j + 1] = words[j] as string;
      j--;
    }
    words[j + 1] = word;
  }
  return words;
}

const MAX_INSERTION_SORT = 24;

// Most bank text is ASCII: a character loop is several times faster than normalising it.
// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;
const MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/u;

function splitAscii(lower: string, words: string[]): void {
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (word) {
      if (start === -1) start = i;
    } else if (start !== -1) {
      words.push(lower.slice(start, i));
      start = -1;
    }
  }
}
