import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/api/api-error.js';
import { choiceLabel, neededChoice } from './import-choice.js';

describe('the choice an import asks for', () => {
  it('asks for the fee rule as the reader option --fee sets', () => {
    const error = new ApiError({
      code: 'IMPORT_NEEDS_CHOICE',
      message: 'the file has a fee column and no running balance shows …',
      details: { setting: 'fee', options: ['subtract', 'add', 'included'], flag: '--fee' },
    });
    expect(neededChoice(error)).toEqual({
      setting: 'fee',
      option: 'fee',
      values: ['subtract', 'add', 'included'],
      message: error.message,
    });
  });

  it('asks nothing for a flag it cannot give, or for another error', () => {
    const unknownFlag = new ApiError({
      code: 'IMPORT_NEEDS_CHOICE',
      message: 'm',
      details: { setting: 'x', options: ['a'], flag: '--no-such-flag' },
    });
    expect(neededChoice(unknownFlag)).toBeNull();
    expect(neededChoice(new ApiError({ code: 'NOT_FOUND', message: 'm' }))).toBeNull();
  });

  it('says what a sign or fee rule does, names a tab, and shows other values as they are', () => {
    expect(choiceLabel('fee', 'subtract')).toBe(
      'Taken from the amount (fees written as a positive cost)',
    );
    expect(choiceLabel('fee', 'included')).toBe('Already in the amount');
    expect(choiceLabel('sign', 'negate')).toBe('Reversed (purchases are written as positive)');
    expect(choiceLabel('delimiter', '\t')).toBe('tab');
    expect(choiceLabel('dateFormat', 'DD/MM/YYYY')).toBe('DD/MM/YYYY');
  });
});
