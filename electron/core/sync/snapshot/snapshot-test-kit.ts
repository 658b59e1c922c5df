/**
 * Snapshot lines as tests edit them: the records of version 3 and 4's blocks one by one, as
 * the record lines versions 1 and 2 wrote, and edits applied to each record wherever it lies.
 */
import { columnValues } from './snapshot-lines.js';

/**
 * A block line parsed, its columns as lists (version 4 writes a column of equal values once),
 * so a test can read or change any record's value and write the line back as it is.
 */
export function parseBlock(
  text: string,
): [string, string, string[], string[], string[], unknown[][]] {
  const block = JSON.parse(text) as [string, string, string[], string[], string[], unknown[]];
  const records = block[3].length;
  return [
    block[0],
    block[1],
    block[2],
    block[3],
    block[4],
    block[5].map((column) => {
      const values = columnValues(column, records);
      if (values === null) throw new Error('not a block line of this version');
      return values;
    }),
  ];
}

/**
 * `lines` (header and end line included) with each block of records written as one record
 * line per record, as versions 1 and 2 wrote them, and the end line counting the lines again.
 */
export function recordLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of lines) {
    if (!text.startsWith('["R",')) {
      if (!text.startsWith('["end",')) out.push(text);
      continue;
    }
    const [, collection, fields, ids, clocks, columns] = parseBlock(text);
    ids.forEach((id, row) => {
      const record = Object.fromEntries(fields.map((name, i) => [name, columns[i]![row]]));
      out.push(JSON.stringify(['r', collection, id, record, clocks[row]]));
    });
  }
  out.push(JSON.stringify(['end', out.length]));
  return out;
}

/**
 * `lines` with every record, in a record line or a block, passed to `edit` as a record line
 * `["r", collection, id, fields, clocks]` it may change in place (ids, clocks and the values
 * of the fields it has; a block keeps its field names).
 */
export function editRecords(lines: readonly string[], edit: (line: unknown[]) => void): string[] {
  return lines.map((text) => {
    if (text.startsWith('["r",')) {
      const line = JSON.parse(text) as unknown[];
      edit(line);
      return JSON.stringify(line);
    }
    if (!text.startsWith('["R",')) return text;
    const block = parseBlock(text);
    const [, collection, fields, ids, clocks, columns] = block;
    ids.forEach((id, row) => {
      const record: Record<string, unknown> = Object.fromEntries(
        fields.map((name, i) => [name, columns[i]![row]]),
      );
      const line: unknown[] = ['r', collection, id, record, clocks[row]];
      edit(line);
      ids[row] = line[2] as string;
      clocks[row] = line[4] as string;
      fields.forEach((name, i) => {
        columns[i]![row] = (line[3] as Record<string, unknown>)[name];
      });
    });
    return JSON.stringify(block);
  });
}
