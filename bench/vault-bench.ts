/**
 * The "vault" section: our encrypted vault against plain better-sqlite3 and against
 * @journeyapps/sqlcipher, on the schema our migrations produce and the same data.
 * README.md in this folder says exactly what each engine does in each row.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TransactionCreateInput } from '../shared/domain/ledger.schema.js';
import type { SqliteDatabase } from '../electron/core/vault/sqlcipher.js';
import { ledgerAccountId, randomTransactionIds, reportMonths, transactions } from './dataset.js';
import { JourneyappsEngine, schemaOf, type JourneyappsSetup } from './drivers/journeyapps.js';
import type { JourneyappsConnection } from './drivers/journeyapps-connection.js';
import { OursEngine } from './drivers/ours.js';
import { PlainEngine } from './drivers/plain.js';
import { createPlainVault, openPlainConnection, plainDbPath } from './drivers/plain-vault.js';
import { FIRST_PAGE_SIZE, ServiceSession } from './drivers/service-session.js';
import { TracedConnection, summarizeTrace, type TraceOp } from './drivers/sql-trace.js';
import { JOURNEYAPPS_BASELINE, PLAIN_BASELINE, absoluteRow, type RowInput } from './report.js';
import { measureInterleaved, type Contender, type Measurement } from './timing.js';

export const VAULT_SECTION = 'vault';

export interface VaultBenchConfig {
  /** Transactions inserted by the insert rows. */
  insertCount: number;
  /** The two dataset sizes of the budget-report rows; the larger one also serves point reads and open. */
  smallCount: number;
  largeCount: number;
  pointReads: number;
  /** Ratio a row must meet against plain better-sqlite3. */
  plainTarget: number;
  /** Ratio a row must meet against @journeyapps/sqlcipher (ours must not be slower). */
  journeyappsTarget: number;
  /** Absolute budget for opening the large vault and reading its first ledger page. */
  openBudgetMs: number;
  runs: {
    insert: number;
    insertJourneyapps: number;
    report: number;
    pointReads: number;
    open: number;
  };
  warmup: { insert: number; report: number; pointReads: number; open: number };
}

export const FULL_CONFIG: VaultBenchConfig = {
  insertCount: 100_000,
  smallCount: 100_000,
  largeCount: 1_000_000,
  pointReads: 2_000,
  plainTarget: 1.15,
  journeyappsTarget: 1,
  openBudgetMs: 300,
  // An insert run writes tens of MB (rows, indexes, record_clocks) and takes seconds:
  // its JIT warms up within the run, and three runs keep the bench near ten minutes.
  runs: { insert: 3, insertJourneyapps: 1, report: 15, pointReads: 9, open: 11 },
  warmup: { insert: 0, report: 2, pointReads: 1, open: 2 },
};

/** A tenth of the data and fewer runs: for developing the bench, not for numbers. */
export const QUICK_CONFIG: VaultBenchConfig = {
  ...FULL_CONFIG,
  insertCount: 10_000,
  smallCount: 10_000,
  largeCount: 100_000,
  runs: { insert: 3, insertJourneyapps: 1, report: 5, pointReads: 5, open: 5 },
  warmup: { insert: 0, report: 1, pointReads: 1, open: 1 },
};

export interface VaultBenchOptions {
  config: VaultBenchConfig;
  /** Scratch directory; created, and emptied of what this run made. */
  dataDir: string;
  log: (line: string) => void;
}

type Engines = { ours: OursEngine; plain: PlainEngine; journeyapps: JourneyappsEngine };

/** Traces recorded on the plain baseline over a dataset, replayed on @journeyapps/sqlcipher. */
interface DatasetTraces {
  /** Open, key-independent set-up and the first ledger page, from a fresh connection. */
  open: TraceOp[];
  /** One budget report per month asked for, in order. */
  reports: TraceOp[][];
  /** One batch of point reads per id set, in order. */
  pointReads: TraceOp[][];
}

export async function runVaultBench(options: VaultBenchOptions): Promise<RowInput[]> {
  const { config, dataDir, log } = options;
  fs.mkdirSync(dataDir, { recursive: true });
  const engines: Engines = {
    ours: new OursEngine(),
    plain: new PlainEngine(),
    journeyapps: new JourneyappsEngine(journeyappsSetup(path.join(dataDir, 'setup'))),
  };
  const rows: RowInput[] = [];
  const small = path.join(dataDir, `tx-${config.smallCount}`);
  const large = path.join(dataDir, `tx-${config.largeCount}`);
  await buildDataset(engines, small, config.smallCount, log);
  await buildDataset(engines, large, config.largeCount, log);

  rows.push(...(await insertRows(engines, dataDir, config, log)));
  rows.push(...(await budgetRows(engines, small, config.smallCount, config, log)));
  rows.push(...(await budgetRows(engines, large, config.largeCount, config, log)));
  rows.push(...(await pointReadRows(engines, large, config, log)));
  rows.push(...(await openRows(engines, large, config, log)));
  return rows;
}

// ---------------------------------------------------------------- set-up

/** Schema and connection set-up for @journeyapps/sqlcipher, taken from a database our code made. */
function journeyappsSetup(dir: string): JourneyappsSetup {
  const vault = createPlainVault(dir);
  const { schema, userVersion } = schemaOf(vault.db);
  vault.close();
  let traced: TracedConnection | undefined;
  const ops: TraceOp[] = [];
  const db = openPlainConnection(plainDbPath(dir), {
    wrap: (raw) => {
      traced = new TracedConnection(raw, (op) => ops.push(op));
      return traced.db;
    },
  });
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { schema, userVersion, connectionOps: ops, cacheSize };
}

function engineDir(datasetDir: string, engine: keyof Engines): string {
  return path.join(datasetDir, engine);
}

async function buildDataset(
  engines: Engines,
  datasetDir: string,
  count: number,
  log: (line: string) => void,
): Promise<void> {
  for (const key of ['ours', 'plain', 'journeyapps'] as const) {
    const dir = engineDir(datasetDir, key);
    fs.rmSync(dir, { recursive: true, force: true });
    const started = performance.now();
    await engines[key].createLoaded(dir, count);
    log(
      `built ${count.toLocaleString('en-US')} transactions for ${key} in ${seconds(performance.now() - started)}`,
    );
  }
}

/**
 * Records, on the plain baseline over `datasetDir`, the statements our code issues to open
 * the vault and show the first ledger page, for each budget report and for each batch of
 * point reads. One traced connection records them all, so statement numbers agree.
 */
function recordDatasetTraces(
  datasetDir: string,
  months: readonly string[],
  idSets: readonly (readonly string[])[],
): DatasetTraces {
  let traced: TracedConnection | undefined;
  const open: TraceOp[] = [];
  const vault = new PlainEngine().openSync(engineDir(datasetDir, 'plain'), (raw) => {
    traced = new TracedConnection(raw, (op) => open.push(op));
    return traced.db;
  });
  try {
    const session = new ServiceSession(vault);
    session.firstPage(ledgerAccountId());
    const connection = traced as TracedConnection;
    connection.setSink(() => undefined);
    return {
      open,
      reports: months.map((month) => connection.record(() => session.budgetReport(month))),
      pointReads: idSets.map((ids) => connection.record(() => session.readByIds(ids))),
    };
  } finally {
    vault.close();
  }
}

// ---------------------------------------------------------------- rows

async function insertRows(
  engines: Engines,
  dataDir: string,
  config: VaultBenchConfig,
  log: (line: string) => void,
): Promise<RowInput[]> {
  const count = config.insertCount;
  const inputs = insertInputs(count);
  const scratch = path.join(dataDir, 'insert');
  let serial = 0;
  const freshDir = (engine: string): string => path.join(scratch, `${engine}-${serial++}`);

  // The statements TransactionService.createMany issues for these inputs, recorded on plain.
  const recordDir = freshDir('record');
  const ops = await recordInsert(engines.plain, recordDir, inputs);
  fs.rmSync(recordDir, { recursive: true, force: true });
  log(`recorded the statements of createMany(${count}): ${JSON.stringify(summarizeTrace(ops))}`);

  const serviceContender = (
    key: 'ours' | 'plain',
  ): Contender<{ dir: string; session: ServiceSession }> => ({
    key,
    prepare: async () => {
      const dir = freshDir(key);
      return { dir, session: new ServiceSession(await engines[key].createEmpty(dir)) };
    },
    run: ({ session }) => session.insert(inputs),
    cleanup: ({ dir, session }) => {
      expectCount(`${key} insert`, countTransactions(session.vault.db), count);
      session.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
  const journeyappsContender: Contender<{ dir: string; connection: JourneyappsConnection }> = {
    key: 'journeyapps',
    prepare: async () => {
      const dir = freshDir('journeyapps');
      return { dir, connection: await engines.journeyapps.createEmpty(dir) };
    },
    run: ({ connection }) => connection.replay(ops),
    cleanup: async ({ dir, connection }) => {
      const [row] = (await connection.all('SELECT count(*) AS n FROM transactions', [])) as {
        n: number;
      }[];
      expectCount('journeyapps insert', row?.n ?? 0, count);
      await connection.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  // One run: at 30-50x slower it is the longest row, and its spread is not what matters.
  const journeyapps = await measureInterleaved([journeyappsContender], {
    warmup: 0,
    runs: config.runs.insertJourneyapps,
    onRun: progress(log, 'insert'),
  });
  ops.length = 0; // millions of recorded calls: let them go before the next runs
  const service = await measureInterleaved([serviceContender('ours'), serviceContender('plain')], {
    warmup: config.warmup.insert,
    runs: config.runs.insert,
    onRun: progress(log, 'insert'),
  });
  fs.rmSync(scratch, { recursive: true, force: true });

  const label = `${shortCount(count)} transaction inserts in one transaction`;
  const ja = medianOf(journeyapps, 'journeyapps');
  return [
    {
      name: `${label} (TransactionService.createMany)`,
      ours_ms: medianOf(service, 'ours'),
      baseline: PLAIN_BASELINE,
      baseline_ms: medianOf(service, 'plain'),
      target: config.plainTarget,
      notes:
        'both run the real createMany (validation, ids, HLC, transactions + splits + record_clocks rows; a new vault is local-only, so no outbox rows) on the same schema',
    },
    {
      name: `${label} (TransactionService.createMany)`,
      ours_ms: medianOf(service, 'ours'),
      baseline: JOURNEYAPPS_BASELINE,
      baseline_ms: ja,
      target: config.journeyappsTarget,
      notes:
        'ours runs the real createMany; journeyapps replays the exact statements createMany issued (no service code), each call awaited',
    },
  ];
}

async function budgetRows(
  engines: Engines,
  datasetDir: string,
  count: number,
  config: VaultBenchConfig,
  log: (line: string) => void,
): Promise<RowInput[]> {
  const months = reportMonths(config.warmup.report + config.runs.report);
  const traces = recordDatasetTraces(datasetDir, months, []);
  const sessions = await openSessions(engines, datasetDir, traces);
  const at = <T>(items: readonly T[], round: number): T => items[round] as T;
  try {
    const result = await measureInterleaved(
      [
        {
          key: 'ours',
          prepare: (round: number) => at(months, round),
          run: (month: string) => expectSome('ours report', sessions.ours.budgetReport(month)),
        },
        {
          key: 'plain',
          prepare: (round: number) => at(months, round),
          run: (month: string) => expectSome('plain report', sessions.plain.budgetReport(month)),
        },
        {
          key: 'journeyapps',
          prepare: (round: number) => at(traces.reports, round),
          run: async (ops: TraceOp[]) =>
            expectSome('journeyapps report', await sessions.journeyapps.replay(ops)),
        },
      ],
      {
        warmup: config.warmup.report,
        runs: config.runs.report,
        onRun: progress(log, `budget ${shortCount(count)}`),
      },
    );
    const name = `budget report, one month (another each run) of ${shortCount(count)} transactions`;
    return pairRows(name, result, config, {
      plain:
        'both run BudgetService.report(month) (budgets, actuals with splits, uncategorised) on an open session; each run asks for a month the earlier runs did not read',
      journeyapps:
        'journeyapps replays the statements BudgetService.report issued for the same months, prepared once, each awaited',
    });
  } finally {
    await closeSessions(sessions);
  }
}

async function pointReadRows(
  engines: Engines,
  datasetDir: string,
  config: VaultBenchConfig,
  log: (line: string) => void,
): Promise<RowInput[]> {
  const rounds = config.warmup.pointReads + config.runs.pointReads;
  const idSets = Array.from({ length: rounds }, (_, round) =>
    randomTransactionIds(config.pointReads, config.largeCount, 7 + round),
  );
  const traces = recordDatasetTraces(datasetDir, [], idSets);
  const sessions = await openSessions(engines, datasetDir, traces);
  const at = <T>(items: readonly T[], round: number): T => items[round] as T;
  try {
    const result = await measureInterleaved(
      [
        {
          key: 'ours',
          prepare: (round: number) => at(idSets, round),
          run: (ids: string[]) =>
            expectCount('ours point reads', sessions.ours.readByIds(ids), ids.length),
        },
        {
          key: 'plain',
          prepare: (round: number) => at(idSets, round),
          run: (ids: string[]) =>
            expectCount('plain point reads', sessions.plain.readByIds(ids), ids.length),
        },
        {
          key: 'journeyapps',
          // Each get() returns its row; split rows come on top.
          prepare: (round: number) => at(traces.pointReads, round),
          run: async (ops: TraceOp[]) =>
            expectAtLeast(
              'journeyapps point reads',
              await sessions.journeyapps.replay(ops),
              config.pointReads,
            ),
        },
      ],
      {
        warmup: config.warmup.pointReads,
        runs: config.runs.pointReads,
        onRun: progress(log, 'point reads'),
      },
    );
    const name = `${config.pointReads.toLocaleString('en-US')} random point reads by id (new ids each run) of ${shortCount(config.largeCount)} transactions`;
    return pairRows(name, result, config, {
      plain:
        'both call TransactionService.get(id) (row + payee join, then its splits) for the same random ids',
      journeyapps: 'journeyapps replays the statements those get() calls issued, each awaited',
    });
  } finally {
    await closeSessions(sessions);
  }
}

async function openRows(
  engines: Engines,
  datasetDir: string,
  config: VaultBenchConfig,
  log: (line: string) => void,
): Promise<RowInput[]> {
  const traces = recordDatasetTraces(datasetDir, [], []);
  const accountId = ledgerAccountId();
  const result = await measureInterleaved(
    [
      {
        key: 'ours',
        run: async () => {
          const session = new ServiceSession(
            await engines.ours.open(engineDir(datasetDir, 'ours')),
          );
          expectCount('ours first page', session.firstPage(accountId), FIRST_PAGE_SIZE);
          return session;
        },
      },
      {
        key: 'plain',
        run: () => {
          const session = new ServiceSession(
            engines.plain.openSync(engineDir(datasetDir, 'plain')),
          );
          expectCount('plain first page', session.firstPage(accountId), FIRST_PAGE_SIZE);
          return session;
        },
      },
      {
        key: 'journeyapps',
        run: () => engines.journeyapps.open(engineDir(datasetDir, 'journeyapps'), traces.open),
      },
    ].map(closingAfterRun),
    { warmup: config.warmup.open, runs: config.runs.open, onRun: progress(log, 'open') },
  );
  const name = `open ${shortCount(config.largeCount)}-transaction vault + key + first ledger page (50)`;
  return [
    ...pairRows(name, result, config, {
      plain:
        'ours: openVault (vault.json, key store, SQLCipher key, pragmas, migrations check, meta) + TransactionService.list; plain: the same without vault.json and key',
      journeyapps:
        'journeyapps: open, raw key, then the statements our open and list issued, each awaited',
    }),
    absoluteRow(
      name,
      medianOf(result, 'ours'),
      config.openBudgetMs,
      'ours alone against the open budget',
    ),
  ];
}

// ---------------------------------------------------------------- helpers

/** The checks below run in or after the timed regions: a bench that did no work must fail, not flatter. */
function expectCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

function expectAtLeast(what: string, actual: number, minimum: number): void {
  if (actual < minimum) throw new Error(`${what}: expected at least ${minimum}, got ${actual}`);
}

function expectSome(what: string, actual: number): void {
  expectAtLeast(what, actual, 1);
}

function countTransactions(db: SqliteDatabase): number {
  return Number(db.prepare('SELECT count(*) FROM transactions').pluck().get());
}

interface Sessions {
  ours: ServiceSession;
  plain: ServiceSession;
  journeyapps: JourneyappsConnection;
}

async function openSessions(
  engines: Engines,
  datasetDir: string,
  traces: DatasetTraces,
): Promise<Sessions> {
  const ours = new ServiceSession(await engines.ours.open(engineDir(datasetDir, 'ours')));
  const plain = new ServiceSession(engines.plain.openSync(engineDir(datasetDir, 'plain')));
  const journeyapps = await engines.journeyapps.open(
    engineDir(datasetDir, 'journeyapps'),
    traces.open,
  );
  return { ours, plain, journeyapps };
}

async function closeSessions(sessions: Sessions): Promise<void> {
  sessions.ours.close();
  sessions.plain.close();
  await sessions.journeyapps.close();
}

/** A contender whose run opens something; it is closed after the timer stops. */
function closingAfterRun(contender: {
  key: string;
  run: () =>
    Promise<ServiceSession | JourneyappsConnection> | ServiceSession | JourneyappsConnection;
}): Contender<{ opened?: ServiceSession | JourneyappsConnection }> {
  return {
    key: contender.key,
    prepare: () => ({}),
    run: async (context) => {
      context.opened = await contender.run();
    },
    cleanup: async (context) => {
      await context.opened?.close();
    },
  };
}

async function recordInsert(
  plain: PlainEngine,
  dir: string,
  inputs: readonly TransactionCreateInput[],
): Promise<TraceOp[]> {
  (await plain.createEmpty(dir)).close();
  let traced: TracedConnection | undefined;
  const vault = plain.openSync(dir, (raw: SqliteDatabase) => {
    traced = new TracedConnection(raw);
    return traced.db;
  });
  try {
    const session = new ServiceSession(vault);
    return (traced as TracedConnection).record(() => session.insert(inputs));
  } finally {
    vault.close();
  }
}

/** Inputs for createMany: the dataset's rows, by id, as an import would give them. */
export function insertInputs(count: number): TransactionCreateInput[] {
  const inputs: TransactionCreateInput[] = [];
  for (const { row, splits } of transactions(count, 4242)) {
    const [, accountId, date, amountMinor, , payeeId, categoryId] = row;
    const input: TransactionCreateInput = { accountId, date, amountMinor, payeeId };
    if (splits.length > 0) {
      input.splits = splits.map(([, , splitCategory, splitAmount]) => ({
        categoryId: splitCategory,
        amountMinor: splitAmount,
      }));
    } else if (categoryId !== null) {
      input.categoryId = categoryId;
    }
    inputs.push(input);
  }
  return inputs;
}

function pairRows(
  name: string,
  result: Map<string, Measurement>,
  config: VaultBenchConfig,
  notes: { plain: string; journeyapps: string },
): RowInput[] {
  const ours = medianOf(result, 'ours');
  return [
    {
      name,
      ours_ms: ours,
      baseline: PLAIN_BASELINE,
      baseline_ms: medianOf(result, 'plain'),
      target: config.plainTarget,
      notes: notes.plain,
    },
    {
      name,
      ours_ms: ours,
      baseline: JOURNEYAPPS_BASELINE,
      baseline_ms: medianOf(result, 'journeyapps'),
      target: config.journeyappsTarget,
      notes: notes.journeyapps,
    },
  ];
}

function medianOf(result: Map<string, Measurement>, key: string): number {
  const measurement = result.get(key);
  if (measurement === undefined) throw new Error(`no measurement for ${key}`);
  return measurement.medianMs;
}

function progress(
  log: (line: string) => void,
  what: string,
): (key: string, round: number, ms: number) => void {
  return (key, round, ms) => log(`  ${what}: ${key} run ${round + 1}: ${ms.toFixed(1)} ms`);
}

function shortCount(count: number): string {
  if (count >= 1_000_000 && count % 1_000_000 === 0) return `${count / 1_000_000}M`;
  if (count >= 1_000 && count % 1_000 === 0) return `${count / 1_000}k`;
  return String(count);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
