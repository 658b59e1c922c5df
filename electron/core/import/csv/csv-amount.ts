import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { parseAmount } from '../../../../shared/money/parse-amount.js';
import { decimalToMinor } from '../decimal-amount.js';

// Grouping in decimal-comma files: "1.234,56", "1 234,56" (also no-break spaces), "1234,56".
const DECIMAL_COMMA =
  /^([+\-\u2212])?(\d{1,3}(?:([. \u00a0\u202f'])\d{3}(?:\3\d{3})*)?|\d+)(?:,(\d*))?$/;

/**
 * One amount cell in minor units. The default style ("1234.56", "1,234.56", "(12.34)")
 * goes through the shared `parseAmount`, the same rules as typed amounts; a comma it
 * cannot read there gets a hint about the decimal-comma option. `decimalComma` reads the
 * continental style "1.234,56" (also "(1.234,56)" for a negative).
 */
export function parseCsvAmount(cell: string, currency: string, decimalComma: boolean): number {
  if (!decimalComma) {
    try {
      return parseAmount(cell, currency);
    } catch (err) {
      if (err instanceof CofferError && err.code === 'AMBIGUOUS_AMOUNT') {
        throw new CofferError(
          err.code,
          `${err.message}; if this file writes amounts like "1.234,56", use the decimal-comma option`,
          err.details,
        );
      }
      throw err;
    }
  }
  let text = cell.trim();
  let negate = false;
  const parenthesised = /^\((.*)\)$/.exec(text);
  if (parenthesised !== null) {
    text = (parenthesised[1] ?? '').trim();
    negate = true;
    if (/^[+-]/.test(text)) throw invalid(cell);
  }
  const minor = parseDecimalComma(text, currency, cell);
  return negate ? -minor : minor;
}

function parseDecimalComma(text: string, currency: string, cell: string): number {
  const m = DECIMAL_COMMA.exec(text);
  if (m === null) throw invalid(cell, ' (decimal-comma style expects e.g. "1.234,56")');
  const whole = (m[2] ?? '').replace(/[. \u00a0\u202f']/g, '');
  const fraction = m[4];
  return decimalToMinor(
    `${m[1] === undefined || m[1] === '+' ? '' : '-'}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
    currency,
  );
}

function invalid(cell: string, hint = ''): CofferError {
  return new CofferError('INVALID_AMOUNT', `"${cell.slice(0, 40)}" is not an amount${hint}`, {
    input: cell.slice(0, 40),
  });
}
