import { describe, expect, it } from 'vitest';
import { runCliProcess } from './testing/run-cli-process.js';
import { cliFailed, cliOk, enableOutbox, keychainScratch } from './testing/cli-json.js';

const scratch = keychainScratch('coffer-cli-rule-');

interface ListedRule {
  number: number;
  id: string;
  matchKind: string;
  pattern: string;
  renameTo: string | null;
  categoryId: string | null;
  categoryName: string | null;
}

/**
 * `rule add|list|remove` through the real `coffer` process and keychain.
 * @module-tag secret-service
 */
describe('coffer rule (child process, real keychain)', { timeout: 180_000 }, () => {
  it('adds, lists and removes payee rules, each write a pending sync change', async () => {
    const vault = scratch.path('rules');
    scratch.vaultIds.push(String((await cliOk(vault, ['init']))['vaultId']));
    await enableOutbox(vault);
    const shopping = await cliOk(vault, ['category', 'add', '--name', 'Shopping']);
    const pending = async () => Number((await cliOk(vault, ['status']))['pendingChanges']);
    const start = await pending();

    const amazon = await cliOk(vault, [
      'rule',
      'add',
      '--contains',
      'AMZN Mktp',
      '--rename',
      'Amazon',
      '--category',
      'shopping',
    ]);
    expect(amazon).toMatchObject({
      matchKind: 'contains',
      pattern: 'AMZN Mktp',
      renameTo: 'Amazon',
      categoryId: shopping['id'],
      position: 1,
    });
    const uber = await cliOk(vault, [
      'rule',
      'add',
      '--regex',
      '^UBER\\s*(EATS)?',
      '--rename',
      'Uber',
      '--position',
      '1',
    ]);
    expect(await pending()).toBe(start + 3); // two adds and Amazon's move to 2

    const listed = (await cliOk(vault, ['rule', 'list'])) as unknown as { rules: ListedRule[] };
    expect(listed.rules).toEqual([
      expect.objectContaining({
        number: 1,
        id: uber['id'],
        matchKind: 'regex',
        categoryName: null,
      }),
      expect.objectContaining({
        number: 2,
        id: amazon['id'],
        pattern: 'AMZN Mktp',
        categoryName: 'Shopping',
      }),
    ]);
    const table = await runCliProcess(['--vault', vault, 'rule', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^N\s+MATCH\s+PATTERN\s+RENAME\s+CATEGORY\s+ID$/m);
    expect(table.stdout).toMatch(/^2\s+contains\s+AMZN Mktp\s+Amazon\s+Shopping\s+\S+$/m);

    const removed = await cliOk(vault, ['rule', 'remove', '1']);
    expect(removed).toMatchObject({ removed: { id: uber['id'] } });
    await cliOk(vault, ['rule', 'remove', String(amazon['id'])]);
    expect(await cliOk(vault, ['rule', 'list'])).toEqual({ rules: [] });
    expect(await pending()).toBe(start + 5);
  });

  it('refuses bad input with exit 2 for usage and 1 with the specific code, changing nothing', async () => {
    const vault = scratch.path('refusals');
    scratch.vaultIds.push(String((await cliOk(vault, ['init']))['vaultId']));
    await cliOk(vault, ['rule', 'add', '--equals', 'Rent', '--rename', 'Landlord']);
    const before = await cliOk(vault, ['status']);

    const cases: [string[], number, string, RegExp][] = [
      [['rule', 'add', '--rename', 'X'], 2, 'USAGE', /--contains, --equals/],
      [
        ['rule', 'add', '--contains', 'a', '--equals', 'b', '--rename', 'X'],
        2,
        'USAGE',
        /cannot be combined/,
      ],
      [['rule', 'add', '--contains', 'Shell'], 2, 'USAGE', /--rename, --category/],
      [
        ['rule', 'add', '--contains', 'Shell', '--rename', 'S', '--position', 'x'],
        2,
        'USAGE',
        /whole number/,
      ],
      [['rule', 'remove'], 2, 'USAGE', /argument/],
      [['rule', 'add', '--equals', ' RENT ', '--category', 'Food'], 1, 'DUPLICATE', /already/],
      [['rule', 'add', '--regex', '(a+)+$', '--rename', 'Evil'], 1, 'INVALID_INPUT', /exponential/],
      [['rule', 'add', '--regex', '(?<=x)y', '--rename', 'Evil'], 1, 'INVALID_INPUT', /lookbehind/],
      [['rule', 'add', '--contains', 'Shell', '--category', 'Fuel'], 1, 'NOT_FOUND', /Fuel/],
      [['rule', 'add', '--contains', 'x'.repeat(201), '--rename', 'X'], 1, 'INVALID_INPUT', /200/],
      [['rule', 'remove', '7'], 1, 'NOT_FOUND', /number 7/],
    ];
    for (const [args, code, errorCode, message] of cases) {
      const run = await cliFailed(vault, args);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.error.code, args.join(' ')).toBe(errorCode);
      expect(run.error.message, args.join(' ')).toMatch(message);
    }
    expect(await cliOk(vault, ['status'])).toEqual(before);
  });
});
