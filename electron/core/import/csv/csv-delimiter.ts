export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const SAMPLE_LINES = 60;

/**
 * Guesses the delimiter from the first lines: for each candidate, the field count most
 * lines share; the candidate most lines agree on wins, more fields breaking a tie. Preamble
 * lines above the table ("Kontonummer:;DE12…") and ';' files with decimal-comma amounts
 * are why a plain "most frequent character" count is not enough. Falls back to ','.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = text
    .split(/\r\n?|\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, SAMPLE_LINES);
  let best: { delimiter: CsvDelimiter; lines: number; count: number } | null = null;
  for (const delimiter of CSV_DELIMITERS) {
    const tally = new Map<number, number>();
    for (const line of lines) {
      const count = countOutsideQuotes(line, delimiter);
      if (count > 0) tally.set(count, (tally.get(count) ?? 0) + 1);
    }
    for (const [count, agreeing] of tally) {
      if (
        best === null ||
        agreeing > best.lines ||
        (agreeing === best.lines && count > best.count)
      ) {
        best = { delimiter, lines: agreeing, count };
      }
    }
  }
  return best?.delimiter ?? ',';
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let inQuotes = false;
  let count = 0;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === delimiter && !inQuotes) count++;
  }
  return count;
}
