import type { DocumentLine } from '../../../shared/domain/invoicing.schema.js';
import {
  computeDocumentTotals,
  type DocumentTotals,
} from '../../../shared/invoice/invoice-totals.js';
import type { IdGenerator } from '../ledger/id-generator.js';

export type LineContent = Omit<DocumentLine, 'id'>;

/**
 * Gives each line a fresh id (lines are rewritten as a whole, so ids only need to be
 * unique) and proves the document's totals fit in safe integers before anything is
 * written: AMOUNT_OUT_OF_RANGE otherwise.
 */
export function materializeLines(
  contents: readonly LineContent[],
  ids: IdGenerator,
): { lines: DocumentLine[]; totals: DocumentTotals } {
  const lines = contents.map((line) => ({
    id: ids.next(),
    description: line.description,
    quantityMilli: line.quantityMilli,
    unitPriceMinor: line.unitPriceMinor,
    taxRatePpm: line.taxRatePpm,
    discountPpm: line.discountPpm,
  }));
  return { lines, totals: computeDocumentTotals(lines) };
}
