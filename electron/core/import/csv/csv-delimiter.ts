import { csvRecords } from './csv-tokenizer.js';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const SAMPLE_RECORDS = 60;

/**
 * Guesses the delimiter from the first records (quoted line breaks respected): for each
 * candidate, the field count most records share; the candidate most records agree on
 * wins, more fields breaking a tie. Preamble lines above the table ("Kontonummer:;DE12…")
 * and ';' files with decimal-comma amounts are why a plain character count is not enough,
 * and records left with stray quotes by a candidate do not count for it (comdirect quotes
 * every cell, its amounts included).
 * Falls back to ','.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  let best: { delimiter: CsvDelimiter; records: number; fields: number } | null = null;
  for (const delimiter of CSV_DELIMITERS) {
    const tally = new Map<number, number>();
    for (const fields of fieldCounts(text, delimiter)) {
      if (fields > 1) tally.set(fields, (tally.get(fields) ?? 0) + 1);
    }
    for (const [fields, records] of tally) {
      if (
        best === null ||
        records > best.records ||
        (records === best.records && fields > best.fields)
      ) {
        best = { delimiter, records, fields };
      }
    }
  }
  return best?.delimiter ?? ',';
}

function fieldCounts(text: string, delimiter: string): number[] {
  const counts: number[] = [];
  try {
    for (const record of csvRecords([text], delimiter)) {
      // Read with the wrong delimiter, a quoted cell holding the right one ("2.500,00" in a
      // ';' file read with ',') splits inside its quotes and leaves stray quotes in the
      // cells; such a record says nothing for this delimiter.
      if (record.cells.some((cell) => cell.includes('"'))) continue;
      counts.push(record.cells.length);
      if (counts.length >= SAMPLE_RECORDS) break;
    }
  } catch {
    // The sample may end inside a quoted field; the records before it still count.
  }
  return counts;
}
