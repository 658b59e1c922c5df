/**
 * The form under which a rule's text and a row's payee are compared for contains, equals
 * and starts_with: lowercase, accents dropped, every run of spaces and punctuation one
 * space. "MÜLLER  GmbH," and "muller gmbh" are equal. Unlike `descriptionKey` the words
 * keep their order, since "starts with" means the first words.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
