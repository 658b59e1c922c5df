/**
 * Test-only: a temporary vault with every ledger service, a controllable clock and
 * helpers to read what was written (table counts, the outbox).
 */
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import type { OutboxEntry } from '../sync/change-recorder.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { AccountService } from './account.service.js';
import { BalanceService } from './balance.service.js';
import { BudgetService } from './budget.service.js';
import { CategoryService } from './category.service.js';
import { PayeeService } from './payee.service.js';
import { TransactionService } from './transaction.service.js';
import { clockedRecords } from '../testing/clocked-records.js';

export const LEDGER_TABLES = [
  'accounts',
  'categories',
  'payees',
  'transactions',
  'transaction_splits',
  'budgets',
  'outbox',
  'record_clocks',
] as const;

export interface LedgerFixture extends TempVault {
  accounts: AccountService;
  categories: CategoryService;
  payees: PayeeService;
  transactions: TransactionService;
  budgets: BudgetService;
  balances: BalanceService;
  /** Moves the vault's clock forward. */
  advance(ms: number): void;
  /** Row counts of every ledger table and the outbox, tombstones included; `record_clocks` counts the records holding field clocks. */
  counts(): Record<string, number>;
  /** Every change in the outbox, oldest first. */
  outbox(): OutboxEntry[];
  /**
   * Runs `fn`, which is expected to fail: returns the error's code (undefined when it did
   * not throw), the error, and whether any table changed.
   */
  attempt(fn: () => unknown): Attempt;
}

export interface Attempt {
  code: string | undefined;
  message: string | undefined;
  error: unknown;
  wrote: boolean;
}

export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

/**
 * The vault is linked to sync (`outbox: true`) unless asked otherwise, so `outbox()` and
 * `counts()` show the change each write records.
 */
export async function createLedgerFixture(
  options: { outbox?: boolean } = {},
): Promise<LedgerFixture> {
  let now = T0;
  const temp = await createTempVault({ now: () => now, outbox: options.outbox ?? true });
  const { vault } = temp;
  const counts = (): Record<string, number> =>
    Object.fromEntries(
      LEDGER_TABLES.map((table) => [
        table,
        table === 'record_clocks'
          ? clockedRecords(vault.db)
          : Number(vault.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()),
      ]),
    );
  return {
    ...temp,
    accounts: new AccountService(vault),
    categories: new CategoryService(vault),
    payees: new PayeeService(vault),
    transactions: new TransactionService(vault),
    budgets: new BudgetService(vault),
    balances: new BalanceService(vault),
    advance(ms: number): void {
      now += ms;
    },
    counts,
    outbox(): OutboxEntry[] {
      return vault.changes.pending(1_000_000);
    },
    attempt(fn: () => unknown): Attempt {
      const before = JSON.stringify(counts());
      let error: unknown;
      try {
        fn();
      } catch (caught) {
        error = caught;
      }
      return {
        code:
          error === undefined
            ? undefined
            : isCofferError(error)
              ? error.code
              : 'NOT_A_COFFER_ERROR',
        message: error instanceof Error ? error.message : undefined,
        error,
        wrote: JSON.stringify(counts()) !== before,
      };
    },
  };
}
