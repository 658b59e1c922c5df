/**
 * The vaults the UI section serves: accounts in two currencies, categories, payees, and
 * `transactions` rows over the two years up to today (so this month has income and
 * spending), in date order, about 5 % of them split, inserted through
 * `TransactionService.createMany` as an import would. Deterministic from the seed.
 */
import { AccountService } from '../../electron/core/ledger/account.service.js';
import { CategoryService } from '../../electron/core/ledger/category.service.js';
import { PayeeService } from '../../electron/core/ledger/payee.service.js';
import { TransactionService } from '../../electron/core/ledger/transaction.service.js';
import type { KeyStore } from '../../electron/core/vault/key-store.js';
import { createVault } from '../../electron/core/vault/vault.js';
import type { TransactionCreateInput } from '../../shared/domain/ledger.schema.js';
import { seededRandom } from '../dataset.js';

const DAYS = 730;
const EXPENSES = ['Rent', 'Groceries', 'Software', 'Travel', 'Meals', 'Hardware', 'Phone', 'Fees'];
const INCOME = ['Client work', 'Interest'];
const PAYEES = 60;

export interface UiVaultOptions {
  dir: string;
  keyStore: KeyStore;
  transactions: number;
  /** The last day of the data, `YYYY-MM-DD`. */
  today: string;
  seed: number;
}

/** Makes the vault in `dir` and closes it again: the web server opens it. */
export async function buildUiVault(options: UiVaultOptions): Promise<void> {
  const vault = await createVault({ dir: options.dir, keyStore: options.keyStore });
  try {
    const accounts = new AccountService(vault);
    const usd = accounts.create({
      name: 'Checking',
      currency: 'USD',
      kind: 'checking',
      openingBalanceMinor: 500_000,
    });
    const eur = accounts.create({
      name: 'Euro account',
      currency: 'EUR',
      kind: 'savings',
      openingBalanceMinor: 250_000,
    });
    const categories = new CategoryService(vault);
    const expenseIds = EXPENSES.map((name) => categories.create({ name, kind: 'expense' }).id);
    const incomeIds = INCOME.map((name) => categories.create({ name, kind: 'income' }).id);
    const payees = new PayeeService(vault);
    const payeeIds = Array.from(
      { length: PAYEES },
      (_, i) => payees.create({ name: `Payee ${String(i + 1).padStart(2, '0')}` }).id,
    );

    const random = seededRandom(options.seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const lastDay = Date.parse(`${options.today}T00:00:00Z`);
    const inputs: TransactionCreateInput[] = [];
    for (let i = 0; i < options.transactions; i++) {
      const daysBack = DAYS - 1 - Math.floor((i * DAYS) / options.transactions);
      const date = new Date(lastDay - daysBack * 86_400_000).toISOString().slice(0, 10);
      const income = random() < 0.1;
      const cents = 100 + Math.floor(random() * (income ? 400_000 : 25_000));
      const amountMinor = income ? cents : -cents;
      const base = {
        accountId: random() < 0.8 ? usd.id : eur.id,
        date,
        amountMinor,
        payeeId: pick(payeeIds),
      };
      if (!income && random() < 0.05) {
        const first = -Math.floor(cents / 2);
        const k = Math.floor(random() * expenseIds.length);
        inputs.push({
          ...base,
          splits: [
            { categoryId: expenseIds[k] as string, amountMinor: first },
            {
              categoryId: expenseIds[(k + 1) % expenseIds.length] as string,
              amountMinor: amountMinor - first,
            },
          ],
        });
      } else {
        inputs.push({ ...base, categoryId: income ? pick(incomeIds) : pick(expenseIds) });
      }
    }
    const { created } = new TransactionService(vault).createMany(inputs);
    if (created !== options.transactions) {
      throw new Error(`expected ${options.transactions} transactions, created ${created}`);
    }
  } finally {
    vault.close();
  }
}
