export interface Mt940Field {
  /** "20", "25", "60F", "61", "86" … */
  tag: string;
  /** The field's text, its continuation lines joined with "\n". */
  value: string;
  /** 1-based line where the field's tag is. */
  line: number;
  /** Offset of the field's first character in the text. */
  offset: number;
}

const TAG = /^:(\d{2}[A-Z]?):/;
// {1:…}{2:…}{3:{…}} headers, then the {4: block that holds the fields.
const BLOCK_HEAD = /^(?:\{[1-3]:(?:[^{}]|\{[^{}]*\})*\})*\{4:/;

/**
 * Splits MT940 text into fields from `from` to `to`, tolerating what banks wrap around
 * them: SWIFT blocks ({1:…}{2:…}{4: … -}{5:…}), "-" message separators, blank lines,
 * CRLF line ends, and a preamble before the first field (ABN AMRO's "ABNANL2A /
 * 940" lines). A line that starts with a tag starts a field; any other line continues
 * the field before it. Reads line by line with indexOf, so a large file is not split
 * into an array first.
 */
export function* mt940Fields(
  text: string,
  from = 0,
  to = text.length,
  firstLine = 1,
): Generator<Mt940Field> {
  let current: Mt940Field | null = null;
  let pos = from;
  let line = firstLine;
  while (pos < to) {
    let end = text.indexOf('\n', pos);
    if (end === -1 || end > to) end = to;
    let raw = text.slice(pos, end);
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const lineStart = pos;
    const lineNo = line;
    pos = end + 1;
    line++;
    const head = BLOCK_HEAD.exec(raw);
    if (head !== null) raw = raw.slice(head[0].length);
    const trimmed = raw.trimEnd();
    if (trimmed === '-' || trimmed.startsWith('-}') || trimmed.startsWith('{5:')) {
      if (current !== null) yield current;
      current = null;
      continue;
    }
    if (trimmed === '') continue;
    const tag = TAG.exec(raw);
    if (tag !== null) {
      if (current !== null) yield current;
      current = {
        tag: tag[1] ?? '',
        value: raw.slice(tag[0].length),
        line: lineNo,
        offset: lineStart + (head?.[0].length ?? 0),
      };
    } else if (current !== null) {
      current.value += `\n${raw}`;
    }
  }
  if (current !== null) yield current;
}
