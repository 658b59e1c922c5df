import { importParseError } from '../parse-error.js';

/** One record of a CSV file: its cells and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 0x22;
const EQUALS = 0x3d;
const CR = 0x0d;
const LF = 0x0a;

/**
 * An incremental RFC 4180 reader over text pieces: quoted fields may hold the delimiter,
 * doubled quotes and line breaks, and line numbers stay right through them. Lenient where
 * bank exports are sloppy: a quote inside an unquoted field is kept as text, and text after
 * a closing quote joins the field. A field written ="…" (a spreadsheet's text cell) is the
 * quoted text. A quoted field still open at the end of the file is an
 * error at the line where it opened. Lines that are entirely empty yield no record.
 */
export function* csvRecords(chunks: Iterable<string>, delimiter: string): Generator<CsvRecord> {
  const delim = delimiter.charCodeAt(0);
  let cells: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteJustClosed = false;
  let atFieldStart = true;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let pendingCr = false;
  /** A field began with "=" as the chunk's last character: the next one says whether ="…". */
  let pendingEquals = false;
  let recordHasContent = false;

  for (const chunk of chunks) {
    let i = 0;
    const n = chunk.length;
    if (pendingCr && n > 0 && chunk.charCodeAt(0) === LF) i = 1;
    pendingCr = false;
    if (pendingEquals && n > 0) {
      pendingEquals = false;
      if (chunk.charCodeAt(0) === QUOTE) {
        inQuotes = true;
        quoteLine = line;
        i = 1;
      } else {
        field += '=';
      }
    }
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (inQuotes) {
        if (c === QUOTE) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === QUOTE) {
              field += '"';
              i += 2;
              continue;
            }
            inQuotes = false;
            quoteJustClosed = true;
            i++;
            continue;
          }
          // The quote is the chunk's last character: decide with the next chunk.
          inQuotes = false;
          quoteJustClosed = true;
          i++;
          continue;
        }
        const next = nextSpecial(chunk, i, true);
        if (next > i) {
          field += chunk.slice(i, next);
          i = next;
          continue;
        }
        // A line break inside quotes is part of the field; count it.
        if (c === CR) {
          field += '\n';
          line++;
          if (i + 1 < n && chunk.charCodeAt(i + 1) === LF) i++;
          else if (i + 1 === n) pendingCr = true;
        } else {
          field += '\n';
          line++;
        }
        i++;
        continue;
      }
      if (c === QUOTE && quoteJustClosed) {
        // `""` split across two chunks: an escaped quote after all.
        field += '"';
        inQuotes = true;
        quoteJustClosed = false;
        i++;
        continue;
      }
      quoteJustClosed = false;
      if (c === delim) {
        cells.push(field);
        field = '';
        atFieldStart = true;
        recordHasContent = true;
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        if (recordHasContent || field !== '' || cells.length > 0) {
          cells.push(field);
          yield { line: recordLine, cells };
        }
        cells = [];
        field = '';
        atFieldStart = true;
        recordHasContent = false;
        line++;
        if (c === CR) {
          if (i + 1 < n && chunk.charCodeAt(i + 1) === LF) i++;
          else if (i + 1 === n) pendingCr = true;
        }
        i++;
        recordLine = line;
        continue;
      }
      if (c === QUOTE && atFieldStart) {
        inQuotes = true;
        quoteLine = line;
        atFieldStart = false;
        recordHasContent = true;
        i++;
        continue;
      }
      // ="0123": how spreadsheet exports keep a cell as text. The "=" is no part of it.
      if (c === EQUALS && atFieldStart && (i + 1 === n || chunk.charCodeAt(i + 1) === QUOTE)) {
        atFieldStart = false;
        recordHasContent = true;
        if (i + 1 === n) {
          pendingEquals = true;
          i++;
          continue;
        }
        inQuotes = true;
        quoteLine = line;
        i += 2;
        continue;
      }
      const next = nextSpecial(chunk, i, false, delim);
      const end = next > i ? next : i + 1;
      field += chunk.slice(i, end);
      atFieldStart = false;
      recordHasContent = true;
      i = end;
    }
  }
  if (pendingEquals) field += '=';
  if (inQuotes) {
    throw importParseError(quoteLine, 'a quoted field starting on this line is never closed');
  }
  if (recordHasContent || field !== '' || cells.length > 0) {
    cells.push(field);
    yield { line: recordLine, cells };
  }
}

/** Index of the next character that changes the state (quote, line break, delimiter). */
function nextSpecial(chunk: string, from: number, inQuotes: boolean, delim = -1): number {
  let i = from;
  const n = chunk.length;
  while (i < n) {
    const c = chunk.charCodeAt(i);
    if (c === QUOTE || c === CR || c === LF || (!inQuotes && c === delim)) return i;
    i++;
  }
  return n;
}
