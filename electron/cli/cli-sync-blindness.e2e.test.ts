import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRestartableSyncServer } from '../core/sync/client/testing/restartable-sync-server.js';
import type { RestartableSyncServer } from '../core/sync/client/testing/restartable-sync-server.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import { cliOk, keychainScratch } from './testing/cli-json.js';
import {
  amountNeedle,
  scanBytes,
  scanDatabase,
  scanDatabaseFile,
  scanDirectory,
  textNeedle,
} from './testing/plaintext-scan.js';
import type { Needle } from './testing/plaintext-scan.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';

/**
 * The server is blind: two devices of one account keep books through the CLI (accounts,
 * categories, transactions with payees and notes, a client, an invoice with lines, the
 * workspace's name), every text field holding its own random marker and every amount a
 * distinctive one; then the server's database (raw bytes of the file and its WAL, and every
 * value through SQL), every file of its data dir and everything it logged (at debug level)
 * hold none of them. The same scan finds every one of them in a device's export and in its
 * decrypted vault, so it is able to find what it looks for.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-blind-');
const PASSWORD = 'saffron glacier thimble 64';

let server: RestartableSyncServer;
beforeAll(async () => {
  server = await startRestartableSyncServer({ logLevel: 'debug' });
}, 120_000);
afterAll(async () => server?.stop());

/** A marker nothing else can contain: the field's name and 64 random bits. */
const marker = (field: string): string => `${field}${randomBytes(8).toString('hex')}`;

// Past 2^32 minor units, so no binary form of them is short enough to occur by chance.
const OPENING = 482_019_376_537;
const LAPTOP_TX = -391_726_405_819;
const DESKTOP_TX = 274_815_930_642;
const UNIT_PRICE = 159_283_746_013;
const INVOICE_TOTAL = 3 * UNIT_PRICE;

const major = (minor: number): string => amountNeedle(minor).forms[2]!.toString('utf8');

describe('the sync server learns nothing of the books', { timeout: 600_000 }, () => {
  it('no marker and no amount in its database, data dir or logs; all of them in a device', async () => {
    const m = {
      workspace: marker('wsname'),
      account: marker('acctname'),
      category: marker('catname'),
      payee: marker('payee'),
      notes: marker('txnotes'),
      client: marker('clientname'),
      clientEmail: `${marker('clientmail')}@example.test`,
      clientAddress: marker('clientaddr'),
      clientTaxId: marker('taxid'),
      line: marker('linedesc'),
      invoiceNotes: marker('invnotes'),
      payDetails: marker('paydetails'),
      desktopPayee: marker('payee2'),
      desktopNotes: marker('txnotes2'),
    };
    const needles: Needle[] = [
      ...Object.entries(m).map(([field, text]) => textNeedle(field, text)),
      ...[OPENING, LAPTOP_TX, DESKTOP_TX, UNIT_PRICE, INVOICE_TOTAL].map((minor) =>
        amountNeedle(minor),
      ),
    ];

    const address = `blind-${process.pid}@example.test`;
    const laptop = await initScratchVault(scratch, 'laptop');
    const registered = await cliOk(
      laptop,
      ['sync', 'register', ...accountArgs(server, address)],
      `${PASSWORD}\n`,
    );
    await cliOk(laptop, ['workspace', 'create', '--name', m.workspace]);
    await cliOk(laptop, [
      'account',
      'add',
      '--name',
      m.account,
      '--currency',
      'EUR',
      '--opening',
      major(OPENING),
    ]);
    await cliOk(laptop, ['category', 'add', '--name', m.category]);
    await cliOk(laptop, [
      'tx',
      'add',
      '--account',
      m.account,
      '--amount',
      major(LAPTOP_TX),
      '--date',
      '2026-11-03',
      '--payee',
      m.payee,
      '--category',
      m.category,
      '--notes',
      m.notes,
    ]);
    await cliOk(laptop, [
      'client',
      'add',
      '--name',
      m.client,
      '--email',
      m.clientEmail,
      '--currency',
      'EUR',
      '--address',
      m.clientAddress,
      '--tax-id',
      m.clientTaxId,
    ]);
    const invoice = await cliOk(laptop, [
      'invoice',
      'create',
      '--client',
      m.client,
      '--line',
      `${m.line}|3|${major(UNIT_PRICE)}`,
      '--pay-method',
      'bank_transfer',
      '--pay-details',
      m.payDetails,
      '--notes',
      m.invoiceNotes,
    ]);
    expect((invoice['totals'] as { totalMinor: number }).totalMinor).toBe(INVOICE_TOTAL);
    // Issued in a synced vault: its number comes from the server.
    const issued = await cliOk(laptop, ['invoice', 'issue', String(invoice['id'])]);
    expect(issued['number']).toBe('INV-0001');
    await cliOk(laptop, ['sync']);

    const desktop = await initScratchVault(scratch, 'desktop');
    await cliOk(
      desktop,
      ['sync', 'login', ...accountArgs(server, address), '--recovery-key-stdin'],
      `${PASSWORD}\n${String(registered['recoveryKey'])}\n`,
    );
    await cliOk(desktop, ['sync']);
    await cliOk(desktop, [
      'tx',
      'add',
      '--account',
      m.account,
      '--amount',
      major(DESKTOP_TX),
      '--date',
      '2026-11-04',
      '--payee',
      m.desktopPayee,
      '--notes',
      m.desktopNotes,
    ]);
    await cliOk(desktop, ['sync']);
    await cliOk(laptop, ['sync']);

    // The server, running: its database through SQL and as raw bytes (the WAL included),
    // every file of its data dir, and its log so far.
    const databaseFile = join(server.dataDir, 'coffer-server.db');
    const running = [
      ...scanDatabaseFile(databaseFile, needles),
      ...scanDirectory(server.dataDir, needles),
      ...scanBytes(Buffer.from(server.output(), 'utf8'), needles, 'server log'),
    ];
    // It holds the books' changes (so the scan looked at something)...
    const logged = new Database(databaseFile, { readonly: true });
    try {
      expect(logged.prepare('SELECT count(*) FROM change_log').pluck().get()).toBeGreaterThan(8);
    } finally {
      logged.close();
    }
    expect(running).toEqual([]);
    // ...and after a stop, with the WAL checkpointed into the file, still nothing.
    await server.kill('SIGTERM');
    const stopped = [
      ...scanDirectory(server.dataDir, needles),
      ...scanDatabaseFile(databaseFile, needles),
      ...scanBytes(Buffer.from(server.output(), 'utf8'), needles, 'server log'),
    ];
    expect(stopped).toEqual([]);
    expect(server.output()).toContain('"level"');

    // The control: the same scan finds every needle in what a device holds in plaintext.
    const all = needles.map((needle) => needle.label).sort();
    const stored = all.filter((label) => label !== `amount ${INVOICE_TOTAL}`);
    const labels = (found: string[]): string[] =>
      [...new Set(found.map((hit) => hit.slice(0, hit.indexOf(' in '))))].sort();
    const exportDir = mkdtempSync(join(tmpdir(), 'coffer-blind-export-'));
    try {
      for (const vault of [laptop, desktop]) {
        const file = join(exportDir, 'export.json');
        await cliOk(vault, ['export', '--out', file]);
        const exported = scanBytes(readFileSync(file), needles, 'export');
        // Every text and amount of the books is there (the invoice's total may be derived,
        // not stored; the workspace's name is sync's, not the books', and is in the vault).
        expect(labels(exported)).toEqual(
          expect.arrayContaining(stored.filter((label) => label !== 'workspace')),
        );
        const opened = await openVault({ dir: vault, keyStore: new KeychainKeyStore() });
        try {
          expect(labels(scanDatabase(opened.db, needles, vault))).toEqual(
            expect.arrayContaining(stored),
          );
        } finally {
          opened.close();
        }
      }
      // And a plain SQLite file holding them is found out byte by byte, binary integers included.
      const plainFile = join(exportDir, 'plain.db');
      const plain = new Database(plainFile);
      try {
        plain.exec('CREATE TABLE t (value)');
        const insert = plain.prepare('INSERT INTO t VALUES (?)');
        for (const text of Object.values(m)) insert.run(text);
        for (const minor of [OPENING, LAPTOP_TX, DESKTOP_TX, UNIT_PRICE, INVOICE_TOTAL]) {
          insert.run(minor);
        }
      } finally {
        plain.close();
      }
      expect(labels(scanBytes(readFileSync(plainFile), needles, 'plain'))).toEqual(all);
    } finally {
      rmSync(exportDir, { recursive: true, force: true });
    }
  });
});
