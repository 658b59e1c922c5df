/**
 * IMPORT_NEEDS_CHOICE names the setting the file does not settle, the values it can take
 * and the CLI flag that gives it; the screen asks the same question with a select and
 * sends the answer as the reader option the flag sets.
 */
import { isApiError } from '../../../../shared/api/api-error.js';

const OPTION_OF_FLAG: Record<string, string> = {
  '--date-format': 'dateFormat',
  '--decimal-separator': 'decimalSeparator',
  '--sign': 'sign',
  '--fee': 'fee',
  '--delimiter': 'delimiter',
  '--encoding': 'encoding',
};

export interface NeededChoice {
  setting: string;
  option: string;
  values: string[];
  message: string;
}

export function neededChoice(error: unknown): NeededChoice | null {
  if (!isApiError(error) || error.code !== 'IMPORT_NEEDS_CHOICE') return null;
  const { setting, options, flag } = error.details ?? {};
  const option = typeof flag === 'string' ? OPTION_OF_FLAG[flag] : undefined;
  if (typeof setting !== 'string' || option === undefined || !Array.isArray(options)) return null;
  const values = options.filter((o): o is string => typeof o === 'string');
  return values.length === 0 ? null : { setting, option, values, message: error.message };
}

const SIGN_LABELS: Readonly<Record<string, string>> = {
  'as-is': 'As written (money out is negative)',
  negate: 'Reversed (purchases are written as positive)',
};

const FEE_LABELS: Readonly<Record<string, string>> = {
  subtract: 'Taken from the amount (fees written as a positive cost)',
  add: 'Added to the amount (fees written as negative)',
  included: 'Already in the amount',
};

/**
 * A reading's value as a select shows it, asked or changed: a tab is named, and a sign or
 * fee rule says what it does.
 */
export function choiceLabel(option: string, value: string): string {
  if (option === 'sign') return SIGN_LABELS[value] ?? value;
  if (option === 'fee') return FEE_LABELS[value] ?? value;
  return value === '\t' ? 'tab' : value;
}
