import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './args.js';
import { extractGlobalOptions } from './global-options.js';
import { UsageError } from './usage-error.js';

describe('command-line parsing', () => {
  const options = { amount: { type: 'string' as const }, json: { type: 'boolean' as const } };

  it('reads a negative amount as the value of its option', () => {
    const parsed = parseCommandArgs(['--amount', '-12.34'], options, { min: 0, max: 0 });
    expect(parsed.values['amount']).toBe('-12.34');
    expect(parseCommandArgs(['--amount=-.5'], options, { min: 0, max: 0 }).values['amount']).toBe(
      '-.5',
    );
  });

  it('reports unknown options and wrong argument counts as usage errors', () => {
    expect(() => parseCommandArgs(['--nope'], options, { min: 0, max: 0 })).toThrow(UsageError);
    expect(() => parseCommandArgs(['a', 'b'], options, { min: 1, max: 1 })).toThrow(
      /expected 1 argument/,
    );
    expect(() => parseCommandArgs([], options, { min: 1, max: 1 })).toThrow(UsageError);
  });

  it('takes global options from anywhere on the line', () => {
    const globals = extractGlobalOptions([
      'account',
      '--json',
      'list',
      '--vault=/v',
      '--key-file',
      '/k',
    ]);
    expect(globals).toMatchObject({
      vaultDir: '/v',
      keyFile: '/k',
      json: true,
      rest: ['account', 'list'],
    });
    expect(() => extractGlobalOptions(['--vault'])).toThrow(UsageError);
  });
});
