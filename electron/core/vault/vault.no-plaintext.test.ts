import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import PlainDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AttachmentService } from '../attachments/attachment.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { rekeyVault } from './rekey.service.js';
import { keyNeedles, scanDir, textNeedles, type Needle } from './test-fixtures/scan-files.js';
import { vaultDbPath } from './vault-files.js';

/**
 * Proof: after writing records that hold distinctive markers — rows, change outbox,
 * attachment names and bytes — no file in the vault directory (database, -wal, -shm or
 * anything else) contains a marker or the key, in any encoding; checked while the WAL
 * still holds the commits (checkpoints off, vault open) and again after close.
 */
let temp: TempVault | undefined;
const scratch: string[] = [];
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
  while (scratch.length > 0) fs.rmSync(scratch.pop() as string, { recursive: true, force: true });
});

const marker = (what: string) => `COFFER-MARKER-${what}-${randomUUID()}`;

interface Markers {
  row: string;
  changeField: string;
  attachmentName: string;
  attachmentBytes: string;
}

function writeMarkers(t: TempVault, markers: Markers): void {
  const { vault } = t;
  vault.db.exec('CREATE TABLE marker_notes (id INTEGER PRIMARY KEY, body TEXT, body16 BLOB)');
  vault.transaction(() => {
    vault.db
      .prepare('INSERT INTO marker_notes (body, body16) VALUES (?, ?)')
      .run(markers.row, Buffer.from(markers.row, 'utf16le'));
    vault.changes.record('clients', 'client-1', 'upsert', {
      name: markers.changeField,
      notes: markers.row,
    });
  });
  const attachments = new AttachmentService(vault);
  // A realistic blob: the marker inside a few hundred KB of other bytes, spanning many pages.
  const filler = Buffer.alloc(300_000, 'receipt line item ');
  const content = Buffer.concat([filler, Buffer.from(markers.attachmentBytes), filler]);
  attachments.add({
    fileName: `${markers.attachmentName}.pdf`,
    mimeType: 'application/pdf',
    content,
  });
}

function needlesFor(markers: Markers, key: Buffer): Needle[] {
  return [
    ...textNeedles('row marker', markers.row),
    ...textNeedles('change marker', markers.changeField),
    ...textNeedles('attachment name marker', markers.attachmentName),
    ...textNeedles('attachment content marker', markers.attachmentBytes),
    ...keyNeedles('vault key', key),
  ];
}

const newMarkers = (): Markers => ({
  row: marker('ROW'),
  changeField: marker('CHANGE'),
  attachmentName: marker('ATTACHMENT-NAME'),
  attachmentBytes: marker('ATTACHMENT-BYTES'),
});

describe('no plaintext on disk', () => {
  it('the scan finds markers in an unencrypted database (control: the scan itself works)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-control-'));
    scratch.push(dir);
    const plain = new PlainDatabase(path.join(dir, 'plain.db'));
    plain.pragma('journal_mode = WAL');
    plain.pragma('wal_autocheckpoint = 0');
    const markers = newMarkers();
    plain.exec('CREATE TABLE t (body TEXT, blob BLOB)');
    plain
      .prepare('INSERT INTO t VALUES (?, ?)')
      .run(markers.row, Buffer.from(markers.attachmentBytes));
    const { hits } = scanDir(dir, needlesFor(markers, Buffer.alloc(32, 1)));
    plain.close();
    expect(hits.map((h) => path.basename(h.file))).toContain('plain.db-wal');
    expect(hits.map((h) => h.needle)).toEqual(
      expect.arrayContaining(['row marker (utf8)', 'attachment content marker (utf8)']),
    );
  });

  it('no marker or key bytes in any vault file while the WAL holds the commits, nor after close', async () => {
    temp = await createTempVault();
    const { vault, keyStore, dir } = temp;
    vault.db.pragma('wal_autocheckpoint = 0'); // keep everything in the -wal
    const markers = newMarkers();
    writeMarkers(temp, markers);
    const key = (await keyStore.get(vault.vaultId)) as Buffer;
    const needles = needlesFor(markers, key);

    const walFile = `${vaultDbPath(dir)}-wal`;
    expect(fs.statSync(walFile).size).toBeGreaterThan(600_000); // the commits really are in the WAL
    const whileOpen = scanDir(dir, needles);
    expect(whileOpen.files.map((f) => path.basename(f)).sort()).toEqual([
      'coffer.vault',
      'coffer.vault-shm',
      'coffer.vault-wal',
      'vault.json',
    ]);
    expect(whileOpen.hits).toEqual([]);

    vault.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(scanDir(dir, needles).hits).toEqual([]);
    vault.close();
    const afterClose = scanDir(dir, needles);
    expect(afterClose.hits).toEqual([]);
    expect(fs.statSync(vaultDbPath(dir)).size).toBeGreaterThan(600_000);
  });

  it('no marker, old key or new key on disk after a rekey', async () => {
    temp = await createTempVault();
    const { vault, keyStore, dir } = temp;
    const markers = newMarkers();
    writeMarkers(temp, markers);
    const oldKey = (await keyStore.get(vault.vaultId)) as Buffer;
    await rekeyVault(vault, keyStore);
    const newKey = (await keyStore.get(vault.vaultId)) as Buffer;
    const needles = [...needlesFor(markers, oldKey), ...keyNeedles('new vault key', newKey)];
    expect(scanDir(dir, needles).hits).toEqual([]);
    vault.close();
    expect(scanDir(dir, needles).hits).toEqual([]);
  });

  it('a deleted attachment leaves no plaintext behind either', async () => {
    temp = await createTempVault();
    const { vault, dir, keyStore } = temp;
    const attachments = new AttachmentService(vault);
    const secret = marker('DELETED');
    const added = attachments.add({
      fileName: 'gone.txt',
      mimeType: 'text/plain',
      content: Buffer.from(secret),
    });
    attachments.remove(added.id);
    const key = (await keyStore.get(vault.vaultId)) as Buffer;
    vault.close();
    expect(
      scanDir(dir, [...textNeedles('deleted marker', secret), ...keyNeedles('vault key', key)])
        .hits,
    ).toEqual([]);
  });
});
