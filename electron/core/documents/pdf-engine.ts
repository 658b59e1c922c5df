import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

/**
 * pdfmake set up for the core: Roboto, the Unicode font pdfmake ships in its npm package
 * (Latin with its accents, Greek, Cyrillic; no CJK), loaded into pdfmake's virtual file
 * system from the installed package, so nothing depends on fonts of the machine. Every
 * URL and every local file is refused: a document can only use the fonts and the image
 * bytes handed to it, however its text was made.
 */
const ROBOTO_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

/** pdfmake's virtual file system (Node build): present at run time, absent from its types. */
interface VirtualFs {
  writeFileSync(name: string, content: Buffer): void;
  existsSync(name: string): boolean;
}

let configured = false;

function configure(): void {
  if (configured) return;
  const require = createRequire(import.meta.url);
  const vfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs;
  for (const file of Object.values(ROBOTO_FILES)) {
    const name = `coffer-fonts/${file}`;
    if (!vfs.existsSync(name)) {
      vfs.writeFileSync(name, fs.readFileSync(require.resolve(`pdfmake/fonts/Roboto/${file}`)));
    }
  }
  pdfmake.setFonts({
    Roboto: {
      normal: `coffer-fonts/${ROBOTO_FILES.normal}`,
      bold: `coffer-fonts/${ROBOTO_FILES.bold}`,
      italics: `coffer-fonts/${ROBOTO_FILES.italics}`,
      bolditalics: `coffer-fonts/${ROBOTO_FILES.bolditalics}`,
    },
  });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  configured = true;
}

/** The PDF bytes of a document definition. */
export async function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  configure();
  return pdfmake
    .createPdf({ ...definition, defaultStyle: { font: 'Roboto', ...definition.defaultStyle } })
    .getBuffer();
}
