import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './testing/run-cli-process.js';

const FIXTURES = fileURLToPath(new URL('../core/import/fixtures/', import.meta.url));

/**
 * Statement import, export and restore through the real `coffer` process and keychain.
 * @module-tag secret-service
 */
describe('coffer import/export (child process, real keychain)', { timeout: 180_000 }, () => {
  let root: string;
  let vault: string;
  const cli = (...args: string[]) => runCliProcess(['--vault', vault, '--json', ...args]);
  const ok = async (...args: string[]): Promise<Record<string, unknown>> => {
    const run = await cli(...args);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };
  const status = async () =>
    (await ok('status')) as { counts: Record<string, number>; pendingChanges: number };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'coffer-cli-io-'));
    vault = join(root, 'vault');
    await ok('init');
    await ok('account', 'add', '--name', 'Checking', '--currency', 'USD');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('imports an OFX statement once, however often it is imported', async () => {
    const first = await ok(
      'import',
      'ofx',
      join(FIXTURES, 'ofx1-checking.ofx'),
      '--account',
      'Checking',
    );
    expect(first['created']).toBeGreaterThan(0);
    const second = await ok(
      'import',
      'ofx',
      join(FIXTURES, 'ofx1-checking.ofx'),
      '--account',
      'Checking',
    );
    expect(second).toMatchObject({ created: 0, skippedAsImported: first['created'] });
  });

  it('imports a CSV statement idempotently', async () => {
    const first = await ok(
      'import',
      'csv',
      join(FIXTURES, 'us-checking.csv'),
      '--account',
      'Checking',
    );
    expect(first['created']).toBeGreaterThan(0);
    const second = await ok(
      'import',
      'csv',
      join(FIXTURES, 'us-checking.csv'),
      '--account',
      'Checking',
    );
    expect(second['created']).toBe(0);
  });

  it('rejects a truncated OFX, a malformed CSV row and a 50 MB file, writing nothing', async () => {
    const before = await status();
    const ofx = readFileSync(join(FIXTURES, 'ofx1-checking.ofx'), 'utf8');
    const truncated = join(root, 'truncated.ofx');
    writeFileSync(truncated, ofx.slice(0, Math.floor(ofx.length * 0.6)));
    const big = join(root, 'big.csv');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 'a'));

    const cases: [string[], string][] = [
      [['import', 'ofx', truncated, '--account', 'Checking'], 'IMPORT_PARSE_ERROR'],
      [
        ['import', 'csv', join(FIXTURES, 'malformed-line-17.csv'), '--account', 'Checking'],
        'IMPORT_PARSE_ERROR',
      ],
      [['import', 'csv', big, '--account', 'Checking'], 'FILE_TOO_LARGE'],
      [['import', 'csv', join(root, 'missing.csv'), '--account', 'Checking'], 'FILE_NOT_FOUND'],
      [
        ['import', 'ofx', join(FIXTURES, 'ofx2-creditcard.ofx'), '--account', 'Checking'],
        'CURRENCY_MISMATCH',
      ],
    ];
    for (const [args, code] of cases) {
      const run = await cli(...args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(JSON.parse(run.stderr), args.join(' ')).toMatchObject({ error: { code } });
    }
    const malformed = await cli(
      'import',
      'csv',
      join(FIXTURES, 'malformed-line-17.csv'),
      '--account',
      'Checking',
    );
    expect(JSON.parse(malformed.stderr)).toMatchObject({ error: { details: { line: 17 } } });
    expect(await status()).toEqual(before);
  });

  it('exports the vault and restores it into an empty vault with the same data', async () => {
    const out = join(root, 'export.json');
    const exported = await runCliProcess(['--vault', vault, 'export', '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/unencrypted/);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const copy = join(root, 'copy');
    expect((await runCliProcess(['--vault', copy, 'init'])).code).toBe(0);
    const restored = await runCliProcess(['--vault', copy, '--json', 'import', 'export', out]);
    expect(restored.code, restored.stderr).toBe(0);

    const again = join(root, 'export-again.json');
    expect((await runCliProcess(['--vault', copy, 'export', '--out', again])).code).toBe(0);
    const strip = (file: string): unknown => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      delete doc['exportedAt'];
      return doc;
    };
    expect(strip(again)).toEqual(strip(out));

    const list = (file: string[]) =>
      runCliProcess(['--json', ...file, 'tx', 'list', '--limit', '1000']);
    const a = await list(['--vault', vault]);
    const b = await list(['--vault', copy]);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));

    const notEmpty = await runCliProcess(['--vault', copy, '--json', 'import', 'export', out]);
    expect(notEmpty.code).toBe(1);
    expect(JSON.parse(notEmpty.stderr)).toMatchObject({ error: { code: 'INVALID_STATE' } });
  });

  it('exports transactions to CSV', async () => {
    const out = join(root, 'tx.csv');
    const run = await ok('export', '--out', out, '--format', 'csv');
    expect(run['rows']).toBeGreaterThan(0);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(/^date,/);
  });
});
