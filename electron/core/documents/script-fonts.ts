import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { scriptRuns, type ScriptFont } from './script-runs.js';

/** Keys under which a document definition holds text and nested content. */
const NESTED = new Set(['content', 'stack', 'columns', 'table', 'body', 'ul', 'ol']);

/** A text (string) as pdfmake inline runs, each with its font; the string itself when all Roboto. */
function splitText(text: string, fonts: Set<ScriptFont>): string | Content[] {
  const runs = scriptRuns(text);
  if (runs.every((run) => run.font === 'Roboto')) return text;
  for (const run of runs) fonts.add(run.font);
  return runs.map((run) => {
    if (run.font === 'Roboto') return run.text;
    // pdfmake breaks text into words at spaces and lays the words out left to right; a
    // right-to-left run must reach the shaper whole, so its spaces do not break.
    const text = run.font === 'NotoSansArabic' ? run.text.replace(/ /g, '\u00a0') : run.text;
    return { text, font: run.font };
  });
}

function walk(value: unknown, fonts: Set<ScriptFont>, inText: boolean): unknown {
  if (typeof value === 'string') {
    if (!inText) {
      const split = splitText(value, fonts);
      return typeof split === 'string' ? value : { text: split };
    }
    return splitText(value, fonts);
  }
  if (Array.isArray(value)) {
    if (inText) {
      // A text array: each element is a run (a string or a { text } object).
      return value.flatMap((item: unknown) => {
        if (typeof item === 'string') {
          const split = splitText(item, fonts);
          return typeof split === 'string' ? [item] : split;
        }
        return [walk(item, fonts, false)];
      });
    }
    return value.map((item: unknown) => walk(item, fonts, false));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'text') out[key] = walk(inner, fonts, true);
      else if (NESTED.has(key)) out[key] = walk(inner, fonts, false);
      else out[key] = inner;
    }
    return out;
  }
  return value;
}

/**
 * The definition with every text that holds CJK, Hangul or Arabic split into runs that name
 * a font with those glyphs, and the fonts it needs beyond Roboto (loaded only then). The
 * footer is a function of the page and prints only the document number, so it is left as is.
 */
export function withScriptFonts(definition: TDocumentDefinitions): {
  definition: TDocumentDefinitions;
  fonts: ReadonlySet<ScriptFont>;
} {
  const fonts = new Set<ScriptFont>();
  const content = walk(definition.content, fonts, false) as TDocumentDefinitions['content'];
  return { definition: { ...definition, content }, fonts };
}
