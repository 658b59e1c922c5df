import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { withScriptFonts } from './script-fonts.js';
import { cjkSliceFiles } from './cjk-slices.js';
import type { ScriptFont } from './script-runs.js';

/**
 * pdfmake set up for the core. Roboto, the Unicode font pdfmake ships in its npm package
 * (Latin with its accents, Greek, Cyrillic), draws most text. CJK, Hangul and Arabic runs
 * (see script-fonts.ts) use Noto Sans from the `@fontsource` packages (SIL OFL): the ~50 kB
 * slices of Noto Sans SC (Han, kana) and KR (Hangul) that the text touches, and Noto Sans
 * Arabic (80 kB), each read only when a document has such text.
 * Fonts are loaded into pdfmake's virtual file system from the installed packages, so
 * nothing depends on fonts of the machine. Every URL and every local file is refused: a
 * document can only use the fonts and the image bytes handed to it, however its text was
 * made.
 */
interface FontFiles {
  normal: string;
  bold: string;
  italics: string;
  bolditalics: string;
}

const ROBOTO_FILES: FontFiles = {
  normal: 'pdfmake/fonts/Roboto/Roboto-Regular.ttf',
  bold: 'pdfmake/fonts/Roboto/Roboto-Medium.ttf',
  italics: 'pdfmake/fonts/Roboto/Roboto-Italic.ttf',
  bolditalics: 'pdfmake/fonts/Roboto/Roboto-MediumItalic.ttf',
};

/** The Noto fonts have no italics here: italic text of these scripts is drawn upright. */
function upright(regular: string, bold: string): FontFiles {
  return { normal: regular, bold, italics: regular, bolditalics: bold };
}

const ARABIC_FILES = upright(
  '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff',
  '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff',
);

function fontFiles(font: ScriptFont): FontFiles {
  if (font === 'Roboto') return ROBOTO_FILES;
  if (font === 'NotoSansArabic') return ARABIC_FILES;
  const [family = '', slice = ''] = font.split('-');
  const files = cjkSliceFiles(family === 'NotoSansKR' ? 'noto-sans-kr' : 'noto-sans-sc', slice);
  return upright(files.regular, files.bold);
}

/** pdfmake's virtual file system (Node build): present at run time, absent from its types. */
interface VirtualFs {
  writeFileSync(name: string, content: Buffer): void;
  existsSync(name: string): boolean;
}

type PdfMake = typeof import('pdfmake');

let pdfmakeModule: Promise<PdfMake> | undefined;

/**
 * pdfmake is loaded at the first PDF, not with the core: its code takes about a quarter of
 * a second to load, which every `coffer` command and every app start would otherwise pay.
 */
function loadPdfmake(): Promise<PdfMake> {
  pdfmakeModule ??= import('pdfmake').then((module) => module.default);
  return pdfmakeModule;
}

const loaded = new Set<ScriptFont>();
let policiesSet = false;

function vfsName(file: string): string {
  return `coffer-fonts/${file.replace(/[/@]/g, '_')}`;
}

/** Loads the fonts not loaded yet and tells pdfmake about every loaded one. */
function configure(pdfmake: PdfMake, fonts: ReadonlySet<ScriptFont>): void {
  if (!policiesSet) {
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy(() => false);
    policiesSet = true;
  }
  const wanted = (['Roboto', ...fonts] as ScriptFont[]).filter((font) => !loaded.has(font));
  if (wanted.length === 0) return;
  const require = createRequire(import.meta.url);
  const vfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs;
  for (const font of wanted) {
    const files = fontFiles(font);
    for (const file of [files.normal, files.bold, files.italics, files.bolditalics]) {
      const name = vfsName(file);
      if (!vfs.existsSync(name)) vfs.writeFileSync(name, fs.readFileSync(require.resolve(file)));
    }
    loaded.add(font);
  }
  const table: Record<string, FontFiles> = {};
  for (const font of loaded) {
    const files = fontFiles(font);
    table[font] = {
      normal: vfsName(files.normal),
      bold: vfsName(files.bold),
      italics: vfsName(files.italics),
      bolditalics: vfsName(files.bolditalics),
    };
  }
  pdfmake.setFonts(table);
}

/** The PDF bytes of a document definition. */
export async function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  const pdfmake = await loadPdfmake();
  const split = withScriptFonts(definition);
  configure(pdfmake, split.fonts);
  return pdfmake
    .createPdf({
      ...split.definition,
      defaultStyle: { font: 'Roboto', ...split.definition.defaultStyle },
    })
    .getBuffer();
}
