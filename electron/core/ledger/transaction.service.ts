import {
  TransactionCreateInputSchema,
  TransactionListFilterSchema,
  TransactionUpdateInputSchema,
  assertSplitsSum,
  type Account,
  type Transaction,
  type TransactionCreateData,
  type TransactionCreateInput,
  type TransactionListFilter,
  type TransactionSplit,
  type TransactionUpdateInput,
} from '../../../shared/domain/ledger.schema.js';
import { monthBounds } from '../../../shared/dates/iso-date.js';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import type { Vault } from '../vault/vault.js';
import { AccountService } from './account.service.js';
import { CategoryService } from './category.service.js';
import { CONTENT_KEY_INDEX, DeferredIndexes, LIST_INDEXES } from './deferred-indexes.js';
import { IdGenerator } from './id-generator.js';
import { LedgerRefs } from './ledger-refs.js';
import { parseInput } from '../validation/parse-input.js';
import { PayeeService } from './payee.service.js';
import { editedFields } from '../sync/edited-fields.js';
import { transactionFields, type StoredTransaction } from './record-fields.js';
import { parseTransactionCreateInput } from './transaction-create-input.js';
import { TransactionRepository, type TransactionQuery } from './transaction.repository.js';

export interface CreateManyOptions {
  /** Labels every row created by this call (an import run), so it can be found later. */
  importBatch?: string;
}

export interface CreateManyResult {
  created: number;
  /** Rows whose (account, importId) the vault already had, or that repeat an earlier row. */
  skipped: number;
  createdIds: string[];
  /** Positions in `inputs` of the skipped rows. */
  skippedIndexes: number[];
}

export interface ChunkWriterOptions {
  /**
   * The caller's promise that no two rows it writes through this writer carry the same
   * content key (an import numbers a statement's equal rows, and each statement goes to an
   * account of its own). A row's key can then match only a row its account held before the
   * writer began, so for an account that held no content key then, tombstones included,
   * no row's key is looked up (an account of more than 10,000 rows is not searched for
   * one: it keeps the lookups).
   */
  uniqueImportKeys?: boolean;
  /**
   * With `uniqueImportKeys`: accounts that held no transaction, tombstones included, when the
   * writer began. Their keys are never looked up, and while the writer writes only into them
   * the table's list indexes may be set aside too (DeferredIndexes): the caller reads nothing
   * of theirs by account or date until `finish`.
   */
  newAccounts?: ReadonlySet<string>;
}

/**
 * Writes one chunk of an import (see TransactionService.chunkWriter); `finish` once the last
 * chunk is written, before the transaction commits, puts back what the writer set aside.
 * With `rollingBack` (the transaction is rolled back next, as a dry run's is), it leaves
 * them to the rollback instead.
 */
export type ChunkWriter = ((
  inputs: readonly TransactionCreateInput[],
  options?: CreateManyOptions,
) => CreateManyResult) & { finish(options?: { rollingBack?: boolean }): void };

/** Per account: whether its content keys need looking up in the vault. */
type KeyLookups = (accountId: string) => boolean;
const LOOK_UP_ALL_KEYS: KeyLookups = () => true;
/**
 * How many of an account's rows the unique-keys writer reads to learn that it holds no
 * content key: a larger account keeps the lookups rather than have every row read.
 */
const KEY_CHECK_MAX_ROWS = 10_000;

const MAX_IMPORT_BATCH_LENGTH = 200;

export class TransactionService {
  private readonly repo: TransactionRepository;
  private readonly accounts: AccountService;
  private readonly categories: CategoryService;
  private readonly payees: PayeeService;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new TransactionRepository(vault.db);
    this.accounts = new AccountService(vault);
    this.categories = new CategoryService(vault);
    this.payees = new PayeeService(vault);
    this.ids = new IdGenerator(() => vault.now());
  }

  /** `accountId` and `categoryId`s may be ids or names. A repeated (account, importId) is DUPLICATE. */
  create(input: TransactionCreateInput): Transaction {
    const data = parseInput(TransactionCreateInputSchema, input, 'transaction');
    return this.vault.transaction(() => {
      const refs = this.newRefs();
      const account = refs.account(data.accountId);
      if (data.importId != null && this.repo.importIdExists(account.id, data.importId)) {
        throw new CofferError(
          'DUPLICATE',
          `Account "${account.name}" already has a transaction with import id "${data.importId}"`,
        );
      }
      const built = this.build(data, refs, this.vault.now(), null);
      this.repo.insert(built.record);
      this.vault.changes.record(
        'transactions',
        built.record.id,
        'upsert',
        transactionFields(built.record),
      );
      return { ...built.record, payeeName: built.payeeName };
    });
  }

  /**
   * The bulk path (imports, benchmarks): every row is validated, then all are written in
   * one vault transaction with reused statements. A row whose (account, importId) already
   * exists, tombstones included, or repeats an earlier row of this call, is skipped. Any
   * invalid row fails the whole call (nothing written) with `details.index` set.
   */
  createMany(
    inputs: readonly TransactionCreateInput[],
    options: CreateManyOptions = {},
  ): CreateManyResult {
    const importBatch = validateImportBatch(options.importBatch);
    const rows = validateRows(inputs);
    return this.vault.transaction(() =>
      this.writeMany(rows, importBatch, this.newRefs(), LOOK_UP_ALL_KEYS),
    );
  }

  /**
   * `createMany` for a caller that already holds a vault transaction and writes in chunks
   * (a streamed import): no savepoint per call, since a savepoint makes SQLite copy every
   * page it first touches into a sub-journal, a third more work for an append. Atomicity
   * is the caller's transaction: any error must roll it back whole.
   */
  createManyInTransaction(
    inputs: readonly TransactionCreateInput[],
    options: CreateManyOptions = {},
  ): CreateManyResult {
    if (!this.vault.db.inTransaction) {
      throw new CofferError(
        'INTERNAL',
        'createManyInTransaction() needs an open vault transaction',
      );
    }
    const importBatch = validateImportBatch(options.importBatch);
    return this.writeMany(validateRows(inputs), importBatch, this.newRefs(), LOOK_UP_ALL_KEYS);
  }

  /**
   * `createManyInTransaction` for a caller writing many chunks in ONE vault transaction (a
   * streamed import): the accounts, categories and payees it resolves are kept from one
   * chunk to the next instead of being looked up again for each. The writer must not
   * outlive that transaction, and `finish` runs before it commits: with `uniqueImportKeys`
   * secondary indexes may be set aside while rows that need no lookup through them are
   * written (DeferredIndexes), and `finish` makes them again.
   */
  chunkWriter(writerOptions: ChunkWriterOptions = {}): ChunkWriter {
    const refs = this.newRefs();
    const { db } = this.vault;
    let lookups = LOOK_UP_ALL_KEYS;
    let keyIndex: DeferredIndexes | null = null;
    let listIndexes: DeferredIndexes | null = null;
    const newAccounts = writerOptions.newAccounts ?? new Set<string>();
    if (writerOptions.uniqueImportKeys === true) {
      const keys = new DeferredIndexes(db, [CONTENT_KEY_INDEX]);
      keyIndex = keys;
      if (newAccounts.size > 0) listIndexes = new DeferredIndexes(db, LIST_INDEXES);
      // Asked the first time the writer meets an account, before it writes a row there.
      const keyedBefore = new Map<string, boolean>();
      lookups = (accountId) => {
        // It held no row when the writer began: no key of it to look up.
        if (newAccounts.has(accountId)) return false;
        let keyed = keyedBefore.get(accountId);
        if (keyed === undefined) {
          // Its chunk holds a row of an account that is not new: `write` has made the list
          // indexes again already, so this reads by account through them.
          keyed = this.repo.mayHoldImportKeys(accountId, KEY_CHECK_MAX_ROWS);
          keyedBefore.set(accountId, keyed);
        }
        // Its keys are about to be looked up: through the index, never a scan of the table.
        if (keyed) keys.restore();
        return keyed;
      };
    }
    let written = 0;
    const write = (
      inputs: readonly TransactionCreateInput[],
      options: CreateManyOptions = {},
    ): CreateManyResult => {
      if (!db.inTransaction) {
        throw new CofferError('INTERNAL', 'chunkWriter() needs an open vault transaction');
      }
      const importBatch = validateImportBatch(options.importBatch);
      const rows = validateRows(inputs);
      written += rows.length;
      const onlyNew =
        listIndexes !== null &&
        rows.every((data) => newAccounts.has(this.accountIdOf(data, refs) ?? ''));
      // Another account's rows are reviewed against what it held: read by account and date.
      if (!onlyNew) listIndexes?.restore();
      return this.writeMany(rows, importBatch, refs, lookups, (known) => {
        if ([...known.values()].some((account) => account.keys !== null)) return;
        keyIndex?.setAside(written);
        if (onlyNew) listIndexes?.setAside(written);
      });
    };
    return Object.assign(write, {
      finish: ({ rollingBack = false }: { rollingBack?: boolean } = {}) => {
        for (const indexes of [keyIndex, listIndexes]) {
          if (rollingBack) indexes?.abandon();
          else indexes?.restore();
        }
      },
    });
  }

  /** The id of the row's account, or null when it names none (the row is refused later). */
  private accountIdOf(data: TransactionCreateData, refs: LedgerRefs): string | null {
    try {
      return refs.account(data.accountId).id;
    } catch {
      return null;
    }
  }

  private writeMany(
    rows: readonly TransactionCreateData[],
    importBatch: string | null,
    refs: LedgerRefs,
    keyLookups: KeyLookups,
    beforeInserts?: (known: KnownImports) => void,
  ): CreateManyResult {
    const now = this.vault.now();
    const known = this.knownImports(rows, refs, keyLookups);
    beforeInserts?.(known);
    const result: CreateManyResult = {
      created: 0,
      skipped: 0,
      createdIds: [],
      skippedIndexes: [],
    };
    rows.forEach((data, index) => {
      atRow(index, () => {
        if (this.alreadyImported(data, refs, known)) {
          result.skipped += 1;
          result.skippedIndexes.push(index);
          return;
        }
        const { record } = this.build(data, refs, now, importBatch);
        this.repo.insert(record);
        this.vault.changes.track('transactions', record.id, 'upsert', () =>
          transactionFields(record),
        );
        result.created += 1;
        result.createdIds.push(record.id);
      });
    });
    return result;
  }

  /**
   * Partial update. Giving `categoryId` replaces any splits; giving non-empty `splits`
   * clears the category. The merged transaction must still hold together: its currency is
   * its account's, and its splits add up to its amount.
   */
  update(id: string, input: TransactionUpdateInput): Transaction {
    const data = parseInput(TransactionUpdateInputSchema, input, 'transaction');
    return this.vault.transaction(() => {
      const before = this.find(id);
      const refs = this.newRefs();
      let account: Account;
      if (data.accountId === undefined) {
        account = refs.account(before.accountId);
      } else {
        account = refs.account(data.accountId);
        if (account.id !== before.accountId) assertWritable(account);
      }
      const currency = data.currency ?? before.currency;
      assertCurrency(account, currency);
      const amountMinor = data.amountMinor ?? before.amountMinor;

      let categoryId = before.categoryId;
      let splits: TransactionSplit[] = before.splits;
      if (data.splits !== undefined) {
        splits = this.resolveSplits(data.splits, refs);
        if (splits.length > 0) categoryId = null;
        else if (data.categoryId !== undefined)
          categoryId = this.resolveCategoryId(data.categoryId, refs);
      } else if (data.categoryId !== undefined) {
        categoryId = this.resolveCategoryId(data.categoryId, refs);
        if (categoryId !== null) splits = [];
      }
      assertSplitsSum(amountMinor, splits, currency);

      let payeeId = before.payeeId;
      let payeeName = before.payeeName;
      if (data.payeeName !== undefined) {
        const payee = refs.payeeByName(data.payeeName);
        payeeId = payee.id;
        payeeName = payee.name;
      } else if (data.payeeId !== undefined) {
        const payee = data.payeeId === null ? null : refs.payeeById(data.payeeId);
        payeeId = payee?.id ?? null;
        payeeName = payee?.name ?? null;
      }

      const after: StoredTransaction = {
        ...toStored(before),
        accountId: account.id,
        date: data.date ?? before.date,
        amountMinor,
        currency,
        payeeId,
        categoryId,
        notes: data.notes ?? before.notes,
        splits,
        updatedAt: this.vault.now(),
      };
      const changed = editedFields(transactionFields(toStored(before)), transactionFields(after));
      if (changed === null) return before;
      this.repo.update(after);
      this.vault.changes.record('transactions', after.id, 'upsert', changed);
      return { ...after, payeeName };
    });
  }

  /** Tombstones the transaction; an imported one stays known, so re-importing skips it. */
  delete(id: string): void {
    this.vault.transaction(() => {
      const transaction = this.find(id);
      const now = this.vault.now();
      this.repo.tombstone(transaction.id, now);
      this.vault.changes.record('transactions', transaction.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
    });
  }

  get(id: string): Transaction {
    return this.find(id);
  }

  /** Newest first (date, then id, descending). Filters take ids or names. */
  list(filter: TransactionListFilter = {}): Transaction[] {
    const query = this.toQuery(filter);
    return query === null ? [] : this.repo.list(query);
  }

  count(filter: Omit<TransactionListFilter, 'limit' | 'offset'> = {}): number {
    const query = this.toQuery(filter);
    return query === null ? 0 : this.repo.count(query);
  }

  private find(id: string): Transaction {
    const wanted = id.trim();
    const found = UUID_PATTERN.test(wanted) ? this.repo.findById(wanted) : undefined;
    if (found === undefined) throw new CofferError('NOT_FOUND', `No transaction with id ${wanted}`);
    return found;
  }

  /** Null when the filter cannot match anything (a month and a date range that do not meet). */
  private toQuery(filter: TransactionListFilter): TransactionQuery | null {
    const data = parseInput(TransactionListFilterSchema, filter, 'transaction filter');
    const query: TransactionQuery = { limit: data.limit, offset: data.offset };
    if (data.accountId !== undefined)
      query.accountId = this.accounts.resolveAccount(data.accountId).id;
    if (data.categoryId !== undefined)
      query.categoryId = this.categories.resolveCategory(data.categoryId).id;
    let from = data.from;
    let to = data.to;
    if (data.month !== undefined) {
      const bounds = monthBounds(data.month);
      from = from === undefined || from < bounds.first ? bounds.first : from;
      to = to === undefined || to > bounds.last ? bounds.last : to;
    }
    if (from !== undefined && to !== undefined && from > to) return null;
    if (from !== undefined) query.from = from;
    if (to !== undefined) query.to = to;
    if (data.search !== undefined && data.search !== '') query.search = data.search;
    return query;
  }

  private newRefs(): LedgerRefs {
    return new LedgerRefs(this.accounts, this.categories, this.payees);
  }

  private resolveCategoryId(ref: string | null, refs: LedgerRefs): string | null {
    return ref === null ? null : refs.category(ref).id;
  }

  private resolveSplits(
    splits: readonly { categoryId: string; amountMinor: number; memo: string }[],
    refs: LedgerRefs,
  ): TransactionSplit[] {
    return splits.map((s) => ({
      categoryId: refs.category(s.categoryId).id,
      amountMinor: s.amountMinor,
      memo: s.memo,
    }));
  }

  /**
   * The bank ids and content keys the vault already holds among those `rows` carry, per
   * account and kind: one indexed query per account and kind for the whole call,
   * not one per row. Rows of this call then join the same set as they are written, so a row
   * is checked against the vault as it was before the call plus the rows before it. A row
   * whose account does not resolve is left for the write loop to refuse at its index.
   * `keyLookups` says for which accounts the content keys are worth a query.
   */
  private knownImports(
    rows: readonly TransactionCreateData[],
    refs: LedgerRefs,
    keyLookups: KeyLookups,
  ): KnownImports {
    const wanted = new Map<string, { ids: string[]; keys: string[] | null }>();
    for (const data of rows) {
      if (data.importId == null && data.importKey == null) continue;
      let accountId: string;
      try {
        accountId = refs.account(data.accountId).id;
      } catch {
        continue;
      }
      let lists = wanted.get(accountId);
      if (lists === undefined) {
        lists = { ids: [], keys: keyLookups(accountId) ? [] : null };
        wanted.set(accountId, lists);
      }
      if (data.importId != null) lists.ids.push(data.importId);
      if (data.importKey != null) lists.keys?.push(data.importKey);
    }
    const known: KnownImports = new Map();
    for (const [accountId, { ids, keys }] of wanted) {
      known.set(accountId, {
        ids: new Set(this.repo.existingImportIds(accountId, ids)),
        keys: keys === null ? null : new Set(this.repo.existingImportKeys(accountId, keys)),
      });
    }
    return known;
  }

  /**
   * Whether the account already holds this row by its bank id or by its content key (or an
   * earlier row of the same call did). Either match is enough: a file read once with its id
   * column mapped and once without is still the same statement. `known` starts as
   * `knownImports` and gains each row written.
   */
  private alreadyImported(
    data: TransactionCreateData,
    refs: LedgerRefs,
    known: KnownImports,
  ): boolean {
    const { importId, importKey } = data;
    if (importId == null && importKey == null) return false;
    const accountId = refs.account(data.accountId).id;
    let account = known.get(accountId);
    if (account === undefined) {
      account = { ids: new Set(), keys: new Set() };
      known.set(accountId, account);
    }
    if (
      (importId != null && account.ids.has(importId)) ||
      (importKey != null && account.keys?.has(importKey) === true)
    ) {
      return true;
    }
    if (importId != null) account.ids.add(importId);
    if (importKey != null) account.keys?.add(importKey);
    return false;
  }

  /** Validates references and invariants, then (last, as it may write) finds or creates the payee. */
  private build(
    data: TransactionCreateData,
    refs: LedgerRefs,
    now: number,
    importBatch: string | null,
  ): { record: StoredTransaction; payeeName: string | null } {
    const account = refs.account(data.accountId);
    assertWritable(account);
    const currency = data.currency ?? account.currency;
    assertCurrency(account, currency);
    const categoryId = this.resolveCategoryId(data.categoryId ?? null, refs);
    const splits = this.resolveSplits(data.splits, refs);
    assertSplitsSum(data.amountMinor, splits, currency);
    let payee = null;
    if (data.payeeName !== undefined) payee = refs.payeeByName(data.payeeName);
    else if (data.payeeId != null) payee = refs.payeeById(data.payeeId);
    const record: StoredTransaction = {
      id: this.ids.next(),
      accountId: account.id,
      date: data.date,
      amountMinor: data.amountMinor === 0 ? 0 : data.amountMinor,
      currency,
      payeeId: payee?.id ?? null,
      categoryId,
      notes: data.notes,
      importId: data.importId ?? null,
      importBatch,
      importKey: data.importKey ?? null,
      splits,
      createdAt: now,
      updatedAt: now,
    };
    return { record, payeeName: payee?.name ?? null };
  }
}

function toStored(t: Transaction): StoredTransaction {
  return {
    id: t.id,
    accountId: t.accountId,
    date: t.date,
    amountMinor: t.amountMinor,
    currency: t.currency,
    payeeId: t.payeeId,
    categoryId: t.categoryId,
    notes: t.notes,
    importId: t.importId,
    importBatch: t.importBatch,
    importKey: t.importKey,
    splits: t.splits,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

function assertWritable(account: Account): void {
  if (account.archived) {
    throw new CofferError(
      'INVALID_STATE',
      `Account "${account.name}" is archived; unarchive it to add transactions`,
    );
  }
}

function assertCurrency(account: Account, currency: string): void {
  if (currency !== account.currency) {
    throw new CofferError(
      'CURRENCY_MISMATCH',
      `Account "${account.name}" is in ${account.currency}; a ${currency} transaction cannot be added to it`,
      { accountCurrency: account.currency, currency },
    );
  }
}

/**
 * Per account, the bank ids and content keys already held: kept apart by account and kind
 * rather than joined into one string per row, which cost a concatenation and a longer hash
 * for every imported row. Keys are null for an account whose keys need no check at all
 * (a writer promised unique keys, the account holding none before it).
 */
type KnownImports = Map<string, { ids: Set<string>; keys: Set<string> | null }>;

function validateRows(inputs: readonly TransactionCreateInput[]): TransactionCreateData[] {
  return inputs.map((input, index) => atRow(index, () => parseTransactionCreateInput(input)));
}

function validateImportBatch(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_IMPORT_BATCH_LENGTH) {
    throw new CofferError(
      'INVALID_INPUT',
      `Invalid import batch: must be 1 to ${MAX_IMPORT_BATCH_LENGTH} characters`,
    );
  }
  return trimmed;
}

/** Runs one row's work; an error names the row (1-based) and carries its 0-based index. */
function atRow<T>(index: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!isCofferError(error)) throw error;
    throw new CofferError(error.code, `Transaction #${index + 1}: ${error.message}`, {
      ...(error.details ?? {}),
      index,
    });
  }
}
