import { setImmediate } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CategoryService } from '../ledger/category.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { expectCofferError } from '../import/testing/import-test-helpers.js';

let temp: TempVault;
beforeEach(async () => {
  temp = await createTempVault();
});
afterEach(() => temp.cleanup());

const names = (): string[] =>
  new CategoryService(temp.vault)
    .list()
    .map((c) => c.name)
    .filter((n) => n.startsWith('Step '))
    .sort();

/** Creates one category per step, yielding its number in between. */
function* createCategories(count: number, failAt?: number): Generator<number, string, undefined> {
  const categories = new CategoryService(temp.vault);
  for (let i = 1; i <= count; i += 1) {
    if (i === failAt) throw new Error(`step ${i} failed`);
    categories.create({ name: `Step ${i}`, kind: 'expense' });
    if (i < count) yield i;
  }
  return 'done';
}

describe('vault.transactionInSteps', () => {
  it('commits every step once the steps return, with the event loop running in between', async () => {
    const turns: number[] = [];
    const result = await temp.vault.transactionInSteps(createCategories(3), async (step) => {
      turns.push(step);
      await setImmediate();
    });
    expect(result).toBe('done');
    expect(turns).toEqual([1, 2]);
    expect(names()).toEqual(['Step 1', 'Step 2', 'Step 3']);
    expect(temp.vault.db.inTransaction).toBe(false);
  });

  it('a step that throws rolls back the steps before it', async () => {
    await expect(
      temp.vault.transactionInSteps(createCategories(4, 3), () => setImmediate()),
    ).rejects.toThrow('step 3 failed');
    expect(names()).toEqual([]);
    expect(temp.vault.db.inTransaction).toBe(false);
  });

  it('a failure between two steps rolls back and runs no further step', async () => {
    const steps = createCategories(3);
    await expect(
      temp.vault.transactionInSteps(steps, () => Promise.reject(new Error('window gone'))),
    ).rejects.toThrow('window gone');
    expect(names()).toEqual([]);
    expect(steps.next().done).toBe(true);
  });

  it('while it waits between steps, any other write is refused VAULT_BUSY instead of joining it, and is free again after', async () => {
    const refused: string[] = [];
    const categories = new CategoryService(temp.vault);
    await temp.vault.transactionInSteps(createCategories(2), async () => {
      const write = await expectCofferError(
        Promise.resolve().then(() => categories.create({ name: 'Intruder', kind: 'expense' })),
      );
      refused.push(write.code);
      const nested = await expectCofferError(
        temp.vault.transactionInSteps(createCategories(1), () => setImmediate()),
      );
      refused.push(nested.code);
    });
    expect(refused).toEqual(['VAULT_BUSY', 'VAULT_BUSY']);
    expect(categories.list().map((c) => c.name)).not.toContain('Intruder');
    categories.create({ name: 'After', kind: 'expense' });
    expect(categories.list().map((c) => c.name)).toContain('After');
  });
});
