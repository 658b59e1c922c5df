/**
 * Reading amounts that people type or paste. The rules, in order:
 *
 * 1. Surrounding white space is ignored. Input longer than 100 characters is refused.
 * 2. Sign: one leading "+", "-" or "−" (U+2212), or accounting parentheses "(12.00)" for a
 *    negative amount. Not both, and nothing between the sign and the first digit.
 * 3. "." is the one and only decimal separator: "12.5", ".5" and "12." are fine,
 *    "12.3.4" is INVALID_AMOUNT.
 * 4. Thousands separators — ",", space, no-break space (U+00A0, U+202F), thin space
 *    (U+2009) or apostrophe (' ’) — may appear in the whole part only, one kind per amount,
 *    and only in well-formed groups: 1–3 digits then groups of 3 ("1,234,567"), or the
 *    Indian lakh/crore form with a last group of 3 ("12,34,567"). Anything else is
 *    INVALID_AMOUNT ("1,2345,678", "12 34").
 * 5. A comma that could be a decimal comma is refused with AMBIGUOUS_AMOUNT, never
 *    guessed: "12,5", "1 234,5", "1234,567", "1.234,56", and "1,234" when the currency has
 *    3 or more decimals (for KWD "1,234" could mean 1.234). Where a decimal reading is impossible
 *    ("1,234" in USD would have too many decimals; "1,234,567" has two commas) the comma
 *    is a thousands separator.
 * 6. More decimals than the currency has is TOO_MANY_DECIMALS ("12.345" in USD): amounts
 *    are never rounded. Extra trailing zeros are exact and accepted ("1000.00" in JPY).
 * 7. No exponents, hex, underscores, letters, currency symbols, NaN or Infinity:
 *    INVALID_AMOUNT.
 * 8. A result beyond ±Number.MAX_SAFE_INTEGER minor units is AMOUNT_OUT_OF_RANGE.
 *
 * Only string and bigint arithmetic is used: no value ever passes through a float.
 */
import { CofferError } from '../errors/coffer-error.js';
import { currencyExponent } from './currency.js';

const MAX_INPUT_LENGTH = 100;
const MAX_SCALE = 18;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length;
const MINUS_SIGNS = new Set(['-', '\u2212']);
const BODY_CHARS = /^[0-9.,'\u2019 \u00a0\u2009\u202f]+$/;
const SEPARATORS = /[,'\u2019 \u00a0\u2009\u202f]/g;
const DIGITS = /^[0-9]*$/;

/** Parses a user-typed amount of `currency` into integer minor units (see the rules above). */
export function parseAmount(input: string, currency: string): number {
  const exponent = currencyExponent(currency);
  return Number(parseScaled(input, exponent, currency));
}

/**
 * Same rules for any fixed-point decimal: "1.5" at scale 3 is 1500n. For quantities and
 * rates; the result is still bounded by ±Number.MAX_SAFE_INTEGER.
 */
export function parseDecimalToScaled(input: string, scale: number): bigint {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new CofferError('INVALID_INPUT', `Scale must be a whole number from 0 to ${MAX_SCALE}`);
  }
  return parseScaled(input, scale, undefined);
}

function parseScaled(input: unknown, scale: number, currency: string | undefined): bigint {
  if (typeof input !== 'string') {
    throw new CofferError('INVALID_AMOUNT', 'An amount must be given as text, e.g. "12.34"');
  }
  const fail = failures(input, scale, currency);
  if (input.length > MAX_INPUT_LENGTH) throw fail.invalid('is too long to be an amount');

  const { negative, body } = splitSign(input.trim(), fail);
  if (!BODY_CHARS.test(body) || !/[0-9]/.test(body)) throw fail.invalid('is not a number');

  const dot = body.indexOf('.');
  if (dot !== body.lastIndexOf('.')) {
    if (body.includes(',')) throw fail.ambiguous();
    throw fail.invalid('has more than one "."; "." is the decimal separator');
  }
  const whole = dot === -1 ? body : body.slice(0, dot);
  const fraction = dot === -1 ? '' : body.slice(dot + 1);
  if (!DIGITS.test(fraction)) {
    if (fraction.includes(',')) throw fail.ambiguous();
    throw fail.invalid('has a separator after the decimal point');
  }

  const wholeDigits = readWholePart(whole, dot !== -1, scale, fail);
  const kept = fraction.slice(0, scale);
  if (/[^0]/.test(fraction.slice(scale))) throw fail.tooManyDecimals(fraction.length);

  const digits = (wholeDigits + kept.padEnd(scale, '0')).replace(/^0+/, '');
  if (digits.length > MAX_SAFE_DIGITS) throw fail.outOfRange();
  const magnitude = BigInt(digits === '' ? '0' : digits);
  if (magnitude > MAX_SAFE) throw fail.outOfRange();
  return negative ? -magnitude : magnitude;
}

function splitSign(text: string, fail: Failures): { negative: boolean; body: string } {
  if (text.startsWith('(') && text.endsWith(')')) {
    const body = text.slice(1, -1).trim();
    if (/^[-+\u2212]/.test(body)) throw fail.invalid('has both parentheses and a sign');
    return { negative: true, body };
  }
  const first = text.charAt(0);
  if (first === '+') return { negative: false, body: text.slice(1) };
  if (MINUS_SIGNS.has(first)) return { negative: true, body: text.slice(1) };
  return { negative: false, body: text };
}

/** Checks the thousands grouping of the part before the decimal point; returns its digits. */
function readWholePart(whole: string, hasDot: boolean, scale: number, fail: Failures): string {
  const separators = new Set(whole.match(SEPARATORS) ?? []);
  if (separators.size === 0) return whole;
  // Could the last comma be a decimal comma ("12,5", "1 234,5")? Then it is not ours to guess.
  const afterComma = whole.slice(whole.lastIndexOf(',') + 1);
  const commaLooksDecimal = !hasDot && separators.has(',') && DIGITS.test(afterComma);
  if (commaLooksDecimal && afterComma.length !== 3) throw fail.ambiguous();
  if (separators.size > 1) throw fail.invalid('mixes different thousands separators');

  const separator = separators.values().next().value as string;
  const groups = whole.split(separator);
  if (commaLooksDecimal && groups.length === 2) {
    if (!isWellGrouped(groups)) throw fail.ambiguous();
    if (scale >= 3) throw fail.ambiguousThousands(groups.join(''));
  }
  if (!isWellGrouped(groups)) throw fail.invalid('has misplaced thousands separators');
  return groups.join('');
}

function isWellGrouped(groups: string[]): boolean {
  if (groups.length < 2 || !groups.every((g) => g !== '' && DIGITS.test(g))) return false;
  const [first = '', ...rest] = groups;
  const last = rest.pop() ?? '';
  if (last.length !== 3) return false;
  const western = first.length <= 3 && rest.every((g) => g.length === 3);
  const indian = first.length <= 2 && rest.length > 0 && rest.every((g) => g.length === 2);
  return western || indian;
}

interface Failures {
  invalid(reason: string): CofferError;
  ambiguous(): CofferError;
  ambiguousThousands(digits: string): CofferError;
  tooManyDecimals(found: number): CofferError;
  outOfRange(): CofferError;
}

function failures(input: string, scale: number, currency: string | undefined): Failures {
  const shown = JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  const details = {
    input: input.slice(0, MAX_INPUT_LENGTH),
    scale,
    ...(currency ? { currency } : {}),
  };
  const unit = currency ?? 'this value';
  return {
    invalid: (reason) => new CofferError('INVALID_AMOUNT', `Amount ${shown} ${reason}`, details),
    ambiguous: () =>
      new CofferError(
        'AMBIGUOUS_AMOUNT',
        `Amount ${shown} is ambiguous: "," is read only as a thousands separator. ` +
          `Use "." for decimals${suggestion(input)} and leave out thousands separators if unsure`,
        details,
      ),
    ambiguousThousands: (digits) =>
      new CofferError(
        'AMBIGUOUS_AMOUNT',
        `Amount ${shown} is ambiguous: ${unit} has ${scale} decimals, so the comma could be a ` +
          `decimal comma. Write "${digits}" for the whole number or use "." for decimals`,
        details,
      ),
    tooManyDecimals: (found) =>
      new CofferError(
        'TOO_MANY_DECIMALS',
        `Amount ${shown} has ${found} decimals but ${unit} allows ${scale}; amounts are never rounded`,
        details,
      ),
    outOfRange: () =>
      new CofferError(
        'AMOUNT_OUT_OF_RANGE',
        `Amount ${shown} is too large to record exactly`,
        details,
      ),
  };
}

/** For "12,5" or "1.234,56" suggests the reading with a decimal point: "12.5", "1234.56". */
function suggestion(input: string): string {
  const text = input.trim();
  const comma = text.lastIndexOf(',');
  if (comma === -1 || text.length > 40) return '';
  const whole = text.slice(0, comma).replace(/[.'\u2019 \u00a0\u2009\u202f]/g, '');
  const fraction = text.slice(comma + 1);
  if (!/^[-+\u2212(]?[0-9]*$/.test(whole) || !/^[0-9]+\)?$/.test(fraction)) return '';
  return ` (e.g. "${whole}.${fraction}")`;
}
