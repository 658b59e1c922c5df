import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { decimalToMinor } from '../decimal-amount.js';
import { fieldError, importParseError } from '../parse-error.js';

export const QIF_DECIMAL_SEPARATORS = ['.', ','] as const;
export type QifDecimalSeparator = (typeof QIF_DECIMAL_SEPARATORS)[number];

const SHAPE = /^[+-]?[\d.,]*\d[\d.,]*$/;
const SPACES = /[\s\u00a0']/g;

/**
 * Finds the file's decimal separator from every amount in it. "1,234.56" and "-1.234,56"
 * prove their separator; a single separator followed by one or two digits is the decimal
 * one; followed by exactly three digits it is a thousands separator unless the currency
 * has three decimals, in which case the file alone cannot tell and the reader asks.
 */
export class QifAmountDetector {
  private pointLine: number | null = null;
  private commaLine: number | null = null;
  private undecidedLine: number | null = null;

  constructor(private readonly exponent: number) {}

  see(text: string, line: number): void {
    const value = text.replace(SPACES, '');
    if (!SHAPE.test(value)) return; // reported at its line when the row is read
    const dot = value.lastIndexOf('.');
    const comma = value.lastIndexOf(',');
    if (dot === -1 && comma === -1) return;
    if (dot !== -1 && comma !== -1) return this.prove(dot > comma ? '.' : ',', line);
    const sep = dot !== -1 ? '.' : ',';
    const other = sep === '.' ? ',' : '.';
    const at = dot !== -1 ? dot : comma;
    if (value.indexOf(sep) !== at) return this.prove(other, line); // repeated: thousands
    const after = value.length - at - 1;
    if (after !== 3) return this.prove(sep, line);
    if (this.exponent < 3) return this.prove(other, line);
    if (this.undecidedLine === null) this.undecidedLine = line;
  }

  private prove(separator: QifDecimalSeparator, line: number): void {
    if (separator === '.' && this.pointLine === null) this.pointLine = line;
    if (separator === ',' && this.commaLine === null) this.commaLine = line;
  }

  decide(flag: QifDecimalSeparator | undefined): {
    separator: QifDecimalSeparator;
    source: 'detected' | 'flag';
  } {
    if (flag !== undefined) return { separator: flag, source: 'flag' };
    if (this.pointLine !== null && this.commaLine !== null) {
      throw new CofferError(
        'IMPORT_NEEDS_CHOICE',
        `amounts use a decimal point on line ${this.pointLine} and a decimal comma on line ${this.commaLine}; pass --decimal-separator . or --decimal-separator ,`,
        {
          setting: 'decimal separator',
          options: [...QIF_DECIMAL_SEPARATORS],
          flag: '--decimal-separator',
        },
      );
    }
    if (this.commaLine !== null) return { separator: ',', source: 'detected' };
    if (this.pointLine !== null || this.undecidedLine === null) {
      return { separator: '.', source: 'detected' };
    }
    throw new CofferError(
      'IMPORT_NEEDS_CHOICE',
      `line ${this.undecidedLine}: an amount like "1.234" can be a thousand or one with three decimals; pass --decimal-separator . or --decimal-separator ,`,
      {
        setting: 'decimal separator',
        options: [...QIF_DECIMAL_SEPARATORS],
        flag: '--decimal-separator',
      },
    );
  }
}

/** A T, U or $ field in minor units of `currency`, read with the file's separator. */
export function qifAmountToMinor(
  text: string,
  separator: QifDecimalSeparator,
  currency: string,
  line: number,
  field: string,
): number {
  const value = text.replace(SPACES, '');
  if (!SHAPE.test(value)) {
    throw importParseError(line, `${field} "${text.trim().slice(0, 40)}" is not an amount`, {
      field,
    });
  }
  const plain = (separator === '.' ? value.replaceAll(',', '') : value.replaceAll('.', '')).replace(
    ',',
    '.',
  );
  try {
    return decimalToMinor(plain, currency);
  } catch (err) {
    throw fieldError(line, err, { field });
  }
}
