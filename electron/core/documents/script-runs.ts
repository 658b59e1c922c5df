import { cjkSlice } from './cjk-slices.js';

/**
 * pdfmake draws each text run in one font and has no per-glyph fallback, and Roboto (its
 * own font) has Latin, Greek and Cyrillic but no CJK or Arabic. So text is split into runs
 * by script before it reaches pdfmake, and each run names a font that has its glyphs: Noto
 * Sans Arabic, or the slice of Noto Sans SC (Han, kana, CJK punctuation) or Noto Sans KR
 * (Hangul) that covers the character (see cjk-slices.ts), named `NotoSansSC-<slice>`.
 */
export type ScriptFont =
  'Roboto' | 'NotoSansArabic' | `NotoSansSC-${string}` | `NotoSansKR-${string}`;

export interface ScriptRun {
  text: string;
  font: ScriptFont;
}

type Range = readonly [number, number];

const HANGUL: readonly Range[] = [
  [0x1100, 0x11ff],
  [0x3130, 0x318f],
  [0xa960, 0xa97f],
  [0xac00, 0xd7ff],
];

/** Han ideographs, kana, CJK symbols and punctuation, full-width forms. */
const CJK: readonly Range[] = [
  [0x2e80, 0x2fff],
  [0x3000, 0x312f],
  [0x3190, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xffef],
  [0x20000, 0x3134f],
];

const ARABIC: readonly Range[] = [
  [0x0600, 0x06ff],
  [0x0750, 0x077f],
  [0x0870, 0x08ff],
  [0xfb50, 0xfdff],
  [0xfe70, 0xfeff],
];

const within = (ranges: readonly Range[], code: number): boolean =>
  ranges.some(([from, to]) => code >= from && code <= to);

/** The font for one character; null for whitespace, which stays in the run it is in. */
export function fontFor(char: string): ScriptFont | null {
  if (/^\s$/u.test(char)) return null;
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x0600) return 'Roboto';
  if (within(HANGUL, code) || within(CJK, code)) {
    const sc = within(HANGUL, code) ? null : cjkSlice('noto-sans-sc', code);
    if (sc !== null) return `NotoSansSC-${sc}`;
    const kr = cjkSlice('noto-sans-kr', code);
    if (kr !== null) return `NotoSansKR-${kr}`;
    return 'Roboto'; // in no slice: drawn as a missing glyph whatever the font
  }
  if (within(ARABIC, code)) return 'NotoSansArabic';
  return 'Roboto';
}

/**
 * Consecutive characters of one font form a run. Whitespace joins the run before it, so the
 * words of an Arabic name stay one run, which the font's shaper lays out right to left as a
 * whole.
 */
export function scriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  for (const char of text) {
    const last = runs[runs.length - 1];
    const font = fontFor(char) ?? last?.font ?? 'Roboto';
    if (last !== undefined && last.font === font) last.text += char;
    else runs.push({ text: char, font });
  }
  return runs;
}

/** True when a text needs a font other than Roboto. */
export function needsScriptFonts(text: string): boolean {
  return scriptRuns(text).some((run) => run.font !== 'Roboto');
}
