/**
 * `npm run bench`: measures every section, prints the table, writes bench/results.json.
 * Progress goes to stderr, the table to stdout. Not part of `npm test`.
 *
 *   BENCH_QUICK=1      a tenth of the data and fewer runs (developing the bench, not numbers)
 *   BENCH_DATA_DIR=D   scratch directory (default bench/.data/run-<time>; removed afterwards)
 *   BENCH_KEEP_DATA=1  keep the scratch directory
 *   BENCH_SECTIONS=S   comma-separated sections to run (vault, import, storage, server, scale, sync, ui; default all)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import {
  FULL_IMPORT_CONFIG,
  IMPORT_SECTION,
  QUICK_IMPORT_CONFIG,
  runImportBench,
} from './import-bench.js';
import { BenchReport, formatSkipped, formatTable } from './report.js';
import {
  FULL_STORAGE_CONFIG,
  QUICK_STORAGE_CONFIG,
  STORAGE_SECTION,
  runStorageBench,
} from './storage-bench.js';
import { parseSections } from './sections.js';
import {
  FULL_SERVER_CONFIG,
  QUICK_SERVER_CONFIG,
  SERVER_SECTION,
  runServerBench,
} from './server-bench.js';
import { runFanoutBench } from './fanout-bench.js';
import { runFirstSyncBench } from './first-sync-bench.js';
import {
  FULL_SCALE_CONFIG,
  QUICK_SCALE_CONFIG,
  SCALE_SECTION,
  runScaleBench,
} from './scale-bench.js';
import { FULL_SYNC_CONFIG, QUICK_SYNC_CONFIG, SYNC_SECTION, runSyncBench } from './sync-bench.js';
import { FULL_UI_CONFIG, QUICK_UI_CONFIG, UI_SECTION, runUiBench } from './ui-bench.js';
import { FULL_CONFIG, QUICK_CONFIG, VAULT_SECTION, runVaultBench } from './vault-bench.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsFile = path.join(benchDir, 'results.json');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  const quick = process.env.BENCH_QUICK === '1';
  const dataDir = process.env.BENCH_DATA_DIR ?? path.join(benchDir, '.data', `run-${Date.now()}`);
  const keep = process.env.BENCH_KEEP_DATA === '1';
  const sections = parseSections(process.env.BENCH_SECTIONS);
  const report = new BenchReport(describeMachine());
  const started = performance.now();
  log(`coffer bench${quick ? ' (quick: not for numbers)' : ''}; scratch data in ${dataDir}`);
  try {
    if (sections.includes('vault')) {
      report.addRows(
        VAULT_SECTION,
        await runVaultBench({ config: quick ? QUICK_CONFIG : FULL_CONFIG, dataDir, log }),
      );
    }
    if (sections.includes('import')) {
      report.addRows(
        IMPORT_SECTION,
        await runImportBench({
          config: quick ? QUICK_IMPORT_CONFIG : FULL_IMPORT_CONFIG,
          dataDir,
          log,
        }),
      );
    }
    if (sections.includes('storage')) {
      report.addRows(
        STORAGE_SECTION,
        await runStorageBench({
          config: quick ? QUICK_STORAGE_CONFIG : FULL_STORAGE_CONFIG,
          dataDir,
          log,
        }),
      );
    }
    if (sections.includes('server')) {
      report.addRows(
        SERVER_SECTION,
        await runServerBench({
          config: quick ? QUICK_SERVER_CONFIG : FULL_SERVER_CONFIG,
          dataDir,
          log,
        }),
      );
    }
    if (sections.includes('scale')) {
      report.addRows(
        SCALE_SECTION,
        await runScaleBench({
          config: quick ? QUICK_SCALE_CONFIG : FULL_SCALE_CONFIG,
          dataDir,
          log,
        }),
      );
    }
    if (sections.includes('sync')) {
      report.addRows(
        SYNC_SECTION,
        await runSyncBench({
          config: quick ? QUICK_SYNC_CONFIG : FULL_SYNC_CONFIG,
          dataDir,
          log,
        }),
      );
      report.addRows(
        SYNC_SECTION,
        await runFirstSyncBench({ transactions: quick ? 5_000 : 100_000, dataDir, log }),
      );
      report.addRows(
        SYNC_SECTION,
        await runFanoutBench({ samples: quick ? 10 : 100, dataDir, log }),
      );
    }
    if (sections.includes('ui')) {
      const ui = await runUiBench({
        config: quick ? QUICK_UI_CONFIG : FULL_UI_CONFIG,
        dataDir,
        log,
      });
      report.addRows(UI_SECTION, ui.rows);
      report.addSkipped(UI_SECTION, ui.skipped);
    }
  } finally {
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.writeFileSync(resultsFile, `${JSON.stringify(report.toJSON(), null, 2)}\n`);
  process.stdout.write(formatTable(report.rows));
  process.stdout.write(formatSkipped(report.skipped));
  const misses = report.misses();
  process.stdout.write(
    `\n${report.rows.length} rows, ${misses.length} missing their target${report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : ''}; wrote ${path.relative(process.cwd(), resultsFile)} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
  // Missing a target is a finding to report, not a crash: exit 0 either way.
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
