export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const SAMPLE_LINES = 20;

/**
 * Guesses the delimiter from the first lines: the candidate that splits every sampled
 * line into the same number of fields (counted outside quotes) wins, the most fields
 * first; ';' files with decimal-comma amounts are why a plain "most frequent" count is not
 * enough. Falls back to the most frequent candidate on the first line, then ','.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, SAMPLE_LINES);
  const first = lines[0];
  if (first === undefined) return ',';
  let best: { delimiter: CsvDelimiter; count: number } | null = null;
  for (const delimiter of CSV_DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, delimiter));
    const count = counts[0] ?? 0;
    const consistent = count > 0 && counts.every((c) => c === count);
    if (consistent && (best === null || count > best.count)) best = { delimiter, count };
  }
  if (best !== null) return best.delimiter;
  let fallback: { delimiter: CsvDelimiter; count: number } = { delimiter: ',', count: 0 };
  for (const delimiter of CSV_DELIMITERS) {
    const count = countOutsideQuotes(first, delimiter);
    if (count > fallback.count) fallback = { delimiter, count };
  }
  return fallback.delimiter;
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
