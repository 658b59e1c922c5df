import type { DocumentLineInput } from '../../shared/domain/invoicing.schema.js';
import { parsePercentPpm, parseQuantityMilli } from '../../shared/invoice/parse-line-values.js';
import { amountArg } from './amounts.js';
import { UsageError } from './usage-error.js';

export const LINE_USAGE = '--line "DESCRIPTION|QUANTITY|UNIT_PRICE[|TAX_%[|DISCOUNT_%]]"';

/** One `--line` value: `Design work|10|85.00|20` is ten units at 85.00 with 20 % tax. */
export function parseLineArg(text: string, currency: string): DocumentLineInput {
  const parts = text.split('|').map((p) => p.trim());
  if (parts.length < 3 || parts.length > 5) {
    throw new UsageError(`a line is ${LINE_USAGE}; got "${text}"`);
  }
  const [description, quantity, unitPrice, tax, discount] = parts as [
    string,
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  return {
    description,
    quantityMilli: parseQuantityMilli(quantity),
    unitPriceMinor: amountArg(unitPrice, currency),
    ...(tax === undefined || tax === '' ? {} : { taxRatePpm: parsePercentPpm(tax) }),
    ...(discount === undefined || discount === ''
      ? {}
      : { discountPpm: parsePercentPpm(discount) }),
  };
}

export function linesArg(
  values: string | boolean | (string | boolean)[] | undefined,
  currency: string,
): DocumentLineInput[] {
  const list = (Array.isArray(values) ? values : [values]).filter(
    (v): v is string => typeof v === 'string',
  );
  return list.map((line) => parseLineArg(line, currency));
}
