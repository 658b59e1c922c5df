/**
 * The synthetic ledger every engine is loaded with. Deterministic from a seed, and
 * generated as a stream, so each engine gets byte-identical rows without a million
 * objects held in memory: 4 accounts, 20 categories (16 expense, 4 income), 300 payees,
 * transactions spread evenly over 36 months (2023-01 … 2025-12) in date order, about 5 %
 * split into 2–3 parts, about 3 % uncategorised, and a budget per expense category and month.
 */

export const DATASET_FIRST_MONTH = '2023-01';
export const DATASET_MONTHS = 36;
/** The first month the budget-report rows ask for: a full month near the end of the data. */
export const REPORT_MONTH = '2025-06';
export const CURRENCY = 'USD';

const EXPENSE_CATEGORIES = 16;
const INCOME_CATEGORIES = 4;
const ACCOUNTS = 4;
const PAYEES = 300;
/** 2023-01-01T00:00:00Z: created_at of generated rows counts up from here. */
const EPOCH_MS = Date.UTC(2023, 0, 1);

/** mulberry32: small, fast, good enough to spread synthetic data. Not for secrets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A UUIDv7-shaped id from a timestamp and a counter: time-ordered like the ids the app
 * makes (so inserts append to the primary-key index the same way), but reproducible.
 */
export function syntheticId(ms: number, counter: number, kind: number): string {
  const time = ms.toString(16).padStart(12, '0').slice(-12);
  const count = counter.toString(16).padStart(12, '0').slice(-12);
  const kindHex = (kind & 0xfff).toString(16).padStart(3, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${kindHex}-8000-${count}`;
}

export interface AccountRow {
  id: string;
  name: string;
  currency: string;
  kind: 'checking' | 'savings' | 'credit_card' | 'cash';
  opening_balance_minor: number;
  created_at: number;
}

export interface CategoryRow {
  id: string;
  name: string;
  kind: 'expense' | 'income';
  created_at: number;
}

export interface PayeeRow {
  id: string;
  name: string;
  created_at: number;
}

export interface BudgetRow {
  id: string;
  month: string;
  category_id: string;
  amount_minor: number;
  currency: string;
  created_at: number;
}

/** Column order of `TRANSACTION_COLUMNS`. */
export type TransactionTuple = [
  id: string,
  account_id: string,
  date: string,
  amount_minor: number,
  currency: string,
  payee_id: string | null,
  category_id: string | null,
  notes: string,
  created_at: number,
  updated_at: number,
];

export const TRANSACTION_COLUMNS = [
  'id',
  'account_id',
  'date',
  'amount_minor',
  'currency',
  'payee_id',
  'category_id',
  'notes',
  'created_at',
  'updated_at',
] as const;

/** Column order of `SPLIT_COLUMNS`. */
export type SplitTuple = [
  transaction_id: string,
  position: number,
  category_id: string,
  amount_minor: number,
  memo: string,
];

export const SPLIT_COLUMNS = [
  'transaction_id',
  'position',
  'category_id',
  'amount_minor',
  'memo',
] as const;

export interface ReferenceData {
  accounts: AccountRow[];
  categories: CategoryRow[];
  payees: PayeeRow[];
  budgets: BudgetRow[];
}

export function referenceData(): ReferenceData {
  const accountKinds: AccountRow['kind'][] = ['checking', 'savings', 'credit_card', 'cash'];
  const accounts = Array.from({ length: ACCOUNTS }, (_, i): AccountRow => ({
    id: syntheticId(EPOCH_MS, i, 0xa),
    name: `Account ${i + 1}`,
    currency: CURRENCY,
    kind: accountKinds[i % accountKinds.length] ?? 'checking',
    opening_balance_minor: 100_000 * (i + 1),
    created_at: EPOCH_MS,
  }));
  const categories = Array.from(
    { length: EXPENSE_CATEGORIES + INCOME_CATEGORIES },
    (_, i): CategoryRow => ({
      id: syntheticId(EPOCH_MS, i, 0xc),
      name: i < EXPENSE_CATEGORIES ? `Expense ${i + 1}` : `Income ${i - EXPENSE_CATEGORIES + 1}`,
      kind: i < EXPENSE_CATEGORIES ? 'expense' : 'income',
      created_at: EPOCH_MS,
    }),
  );
  const payees = Array.from({ length: PAYEES }, (_, i): PayeeRow => ({
    id: syntheticId(EPOCH_MS, i, 0xb),
    name: `Payee ${i + 1}`,
    created_at: EPOCH_MS,
  }));
  const budgets: BudgetRow[] = [];
  for (let m = 0; m < DATASET_MONTHS; m++) {
    const month = monthAt(m);
    categories.slice(0, EXPENSE_CATEGORIES).forEach((category, c) => {
      budgets.push({
        id: syntheticId(EPOCH_MS, m * 100 + c, 0xd),
        month,
        category_id: category.id,
        amount_minor: 20_000 + c * 5_000,
        currency: CURRENCY,
        created_at: EPOCH_MS,
      });
    });
  }
  return { accounts, categories, payees, budgets };
}

export interface GeneratedTransaction {
  row: TransactionTuple;
  splits: SplitTuple[];
}

/**
 * `count` transactions in date order over DATASET_MONTHS months. The i-th transaction is
 * the same for every engine and every call with the same seed and count.
 */
export function* transactions(count: number, seed = 42): Generator<GeneratedTransaction> {
  const random = seededRandom(seed);
  const reference = referenceData();
  const expense = reference.categories.filter((c) => c.kind === 'expense');
  const income = reference.categories.filter((c) => c.kind === 'income');
  const days = daysInSpan();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  for (let i = 0; i < count; i++) {
    const dayIndex = Math.floor((i * days) / count);
    const date = dateAt(dayIndex);
    const createdAt = EPOCH_MS + dayIndex * 86_400_000 + (i % 86_400_000);
    const id = transactionId(i, count);
    const account = pick(reference.accounts);
    const isIncome = random() < 0.06;
    const amount = isIncome
      ? 50_000 + Math.floor(random() * 500_000)
      : -(100 + Math.floor(random() * 50_000));
    const roll = random();
    const splits: SplitTuple[] = [];
    let categoryId: string | null;
    if (roll < 0.03) {
      categoryId = null;
    } else if (roll < 0.08 && !isIncome) {
      categoryId = null;
      const parts = 2 + Math.floor(random() * 2);
      let left = amount;
      for (let p = 0; p < parts; p++) {
        const share = p === parts - 1 ? left : Math.trunc(amount / parts);
        left -= share;
        splits.push([id, p, pick(expense).id, share, '']);
      }
    } else {
      categoryId = pick(isIncome ? income : expense).id;
    }
    yield {
      row: [
        id,
        account.id,
        date,
        amount,
        CURRENCY,
        pick(reference.payees).id,
        categoryId,
        '',
        createdAt,
        createdAt,
      ],
      splits,
    };
  }
}

/** Id of the i-th of `count` generated transactions, without generating the others. */
export function transactionId(i: number, count: number): string {
  const dayIndex = Math.floor((i * daysInSpan()) / count);
  return syntheticId(EPOCH_MS + dayIndex * 86_400_000 + (i % 86_400_000), i, 0x7);
}

/** `n` distinct transaction ids drawn at random (seeded) from a dataset of `count`. */
export function randomTransactionIds(n: number, count: number, seed = 7): string[] {
  if (n > count) throw new RangeError(`cannot draw ${n} distinct ids from ${count}`);
  const random = seededRandom(seed);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(Math.floor(random() * count));
  return [...chosen].map((i) => transactionId(i, count));
}

/** Id of one account of the dataset (the first page of its ledger is what the open row reads). */
export function ledgerAccountId(): string {
  return syntheticId(EPOCH_MS, 0, 0xa);
}

/**
 * `n` months for the budget-report rows, one per run: REPORT_MONTH, then the months
 * before it, wrapping round the dataset. Each run reports a month whose pages the previous
 * runs did not read, so a warm page cache cannot hide the cost of reading them.
 */
export function reportMonths(n: number): string[] {
  const [year, month] = REPORT_MONTH.split('-').map(Number) as [number, number];
  const [firstYear, firstMonth] = DATASET_FIRST_MONTH.split('-').map(Number) as [number, number];
  const start = (year - firstYear) * 12 + (month - firstMonth);
  return Array.from({ length: n }, (_, i) =>
    monthAt((((start - i) % DATASET_MONTHS) + DATASET_MONTHS) % DATASET_MONTHS),
  );
}

export function monthAt(index: number): string {
  const [year, month] = DATASET_FIRST_MONTH.split('-').map(Number) as [number, number];
  const total = year * 12 + (month - 1) + index;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

function daysInSpan(): number {
  const [year, month] = DATASET_FIRST_MONTH.split('-').map(Number) as [number, number];
  return (
    (Date.UTC(year, month - 1 + DATASET_MONTHS, 1) - Date.UTC(year, month - 1, 1)) / 86_400_000
  );
}

function dateAt(dayIndex: number): string {
  const [year, month] = DATASET_FIRST_MONTH.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1) + dayIndex * 86_400_000).toISOString().slice(0, 10);
}
