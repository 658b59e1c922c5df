import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { AttachmentService, MAX_ATTACHMENT_BYTES } from './attachment.service.js';

let temp: TempVault | undefined;
const scratch: string[] = [];
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
  while (scratch.length > 0) fs.rmSync(scratch.pop() as string, { recursive: true, force: true });
});

async function service(): Promise<{ svc: AttachmentService; t: TempVault }> {
  temp = await createTempVault({ outbox: true });
  return { svc: new AttachmentService(temp.vault), t: temp };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('AttachmentService', () => {
  it('stores the blob inside the vault with its size and SHA-256, and records a change', async () => {
    const { svc, t } = await service();
    const content = Buffer.from('%PDF-1.7 receipt for coffee');
    const added = svc.add({ fileName: 'receipt.pdf', mimeType: 'application/pdf', content });
    expect(added.size).toBe(content.length);
    expect(added.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(svc.readContent(added.id).equals(content)).toBe(true);
    expect(svc.get(added.id)).toEqual(added);
    expect(svc.list()).toEqual([added]);
    expect(fs.readdirSync(t.dir).sort()).toEqual([
      'coffer.vault',
      'coffer.vault-shm',
      'coffer.vault-wal',
      'vault.json',
    ]);

    const [entry] = t.vault.changes.pending(10);
    expect(entry?.change).toMatchObject({
      collection: 'attachments',
      recordId: added.id,
      op: 'upsert',
      fields: {
        fileName: 'receipt.pdf',
        mimeType: 'application/pdf',
        size: content.length,
        sha256: added.sha256,
      },
    });
  });

  it('imports a file from disk and guesses its media type', async () => {
    const { svc } = await service();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-att-'));
    scratch.push(dir);
    const file = path.join(dir, 'Scan.JPG');
    fs.writeFileSync(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const added = svc.addFile(file);
    expect(added).toMatchObject({ fileName: 'Scan.JPG', mimeType: 'image/jpeg', size: 7 });
    expect(codeOf(() => svc.addFile(path.join(dir, 'missing.pdf')))).toBe('FILE_NOT_FOUND');
  });

  it('refuses more than 25 MiB with FILE_TOO_LARGE and writes nothing', async () => {
    const { svc, t } = await service();
    expect(
      codeOf(() =>
        svc.add({
          fileName: 'big.bin',
          mimeType: 'application/octet-stream',
          content: Buffer.alloc(MAX_ATTACHMENT_BYTES + 1),
        }),
      ),
    ).toBe('FILE_TOO_LARGE');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-att-'));
    scratch.push(dir);
    const file = path.join(dir, 'big.pdf');
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, MAX_ATTACHMENT_BYTES + 1); // sparse: checked by size before reading
    expect(codeOf(() => svc.addFile(file))).toBe('FILE_TOO_LARGE');
    expect(svc.list()).toEqual([]);
    expect(t.vault.changes.pendingCount()).toBe(0);
    // exactly the limit is fine
    svc.add({
      fileName: 'limit.bin',
      mimeType: 'application/octet-stream',
      content: Buffer.alloc(MAX_ATTACHMENT_BYTES),
    });
  });

  it('rejects a path as file name and a malformed media type', async () => {
    const { svc } = await service();
    expect(
      codeOf(() =>
        svc.add({ fileName: '../etc/passwd', mimeType: 'text/plain', content: Buffer.from('x') }),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      codeOf(() => svc.add({ fileName: '', mimeType: 'text/plain', content: Buffer.from('x') })),
    ).toBe('INVALID_INPUT');
    expect(
      codeOf(() => svc.add({ fileName: 'a.txt', mimeType: 'text', content: Buffer.from('x') })),
    ).toBe('INVALID_INPUT');
  });

  it('detects a blob that no longer matches its hash', async () => {
    const { svc, t } = await service();
    const added = svc.add({
      fileName: 'a.txt',
      mimeType: 'text/plain',
      content: Buffer.from('original'),
    });
    t.vault.db
      .prepare('UPDATE attachments SET content = ? WHERE id = ?')
      .run(Buffer.from('tampered'), added.id);
    expect(codeOf(() => svc.readContent(added.id))).toBe('VAULT_CORRUPT');
  });

  it('remove() tombstones the record, drops the blob and records a delete', async () => {
    const { svc, t } = await service();
    const added = svc.add({
      fileName: 'a.txt',
      mimeType: 'text/plain',
      content: Buffer.from('bye'),
    });
    svc.remove(added.id);
    expect(svc.list()).toEqual([]);
    expect(codeOf(() => svc.get(added.id))).toBe('NOT_FOUND');
    expect(codeOf(() => svc.remove(added.id))).toBe('NOT_FOUND');
    expect(
      t.vault.db.prepare('SELECT content FROM attachments WHERE id = ?').pluck().get(added.id),
    ).toBeNull();
    expect(t.vault.changes.pending(10).map((e) => e.change.op)).toEqual(['upsert', 'delete']);
  });
});
