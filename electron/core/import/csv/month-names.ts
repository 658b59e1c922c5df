// Month names and abbreviations in English, German, French, Spanish, Italian and Dutch,
// lowercased without accents or a trailing dot ("März" → "marz", "févr." → "fevr").
// prettier-ignore
const MONTHS: readonly (readonly string[])[] = [
  ['jan', 'january', 'januar', 'janner', 'jan', 'janv', 'janvier', 'ene', 'enero', 'gen', 'gennaio', 'januari'],
  ['feb', 'february', 'februar', 'fev', 'fevr', 'fevrier', 'febrero', 'febbraio', 'februari'],
  ['mar', 'march', 'marz', 'maerz', 'mrz', 'mars', 'marzo', 'mrt', 'maart'],
  ['apr', 'april', 'avr', 'avril', 'abr', 'abril', 'aprile'],
  ['may', 'mai', 'mayo', 'mag', 'maggio', 'mei'],
  ['jun', 'june', 'juni', 'juin', 'junio', 'giu', 'giugno'],
  ['jul', 'july', 'juli', 'juil', 'juillet', 'julio', 'lug', 'luglio'],
  ['aug', 'august', 'aout', 'ago', 'agosto', 'augustus'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'setiembre', 'set', 'settembre'],
  ['oct', 'october', 'okt', 'oktober', 'octobre', 'octubre', 'ott', 'ottobre'],
  ['nov', 'november', 'novembre', 'noviembre'],
  ['dec', 'december', 'dez', 'dezember', 'decembre', 'dic', 'diciembre', 'dicembre'],
];

const BY_NAME: ReadonlyMap<string, number> = new Map(
  MONTHS.flatMap((names, index) => names.map((name) => [name, index + 1] as const)),
);

/** 1–12 for a month name or abbreviation in one of the six languages, else null. */
export function monthNumber(word: string): number | null {
  const key = word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\.$/, '');
  return BY_NAME.get(key) ?? null;
}
