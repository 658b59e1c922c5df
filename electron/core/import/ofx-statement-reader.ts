import * as z from 'zod';
import { parseInput } from '../validation/parse-input.js';
import { readOfxFile } from './ofx/read-ofx-file.js';
import type { StatementReader } from './statement-reader.js';

export const OfxReaderOptionsSchema = z.strictObject({});

/** OFX and QFX: every statement of the file, each routed to its account. */
export const readOfxStatements: StatementReader = (input, context) => {
  parseInput(OfxReaderOptionsSchema, context.options, 'OFX options');
  return readOfxFile(
    input.bytes(),
    context.currency === null ? {} : { accountCurrency: context.currency },
  );
};
