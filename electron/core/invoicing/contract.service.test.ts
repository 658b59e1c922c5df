import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NOW,
  changesSince,
  createInvoicingKit,
  expectRejected,
  type InvoicingKit,
} from '../testing/invoicing-test-kit.js';

let kit: InvoicingKit;
let scratch: string;
beforeEach(async () => {
  kit = await createInvoicingKit();
  kit.clients.create({ name: 'Acme' });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-contract-'));
});
afterEach(() => {
  kit.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const PDF = Buffer.from('%PDF-1.7 Master services agreement MARKER-CONTRACT-7731');

describe('ContractService', () => {
  it('creates a contract with its document stored in the vault, and reads it back', () => {
    const contract = kit.contracts.create(
      { client: 'acme', title: 'Master services agreement' },
      { fileName: 'msa.pdf', mimeType: 'application/pdf', content: PDF },
    );
    expect(contract).toMatchObject({ status: 'draft', clientName: 'Acme', signedAt: null });
    expect(contract.attachment).toMatchObject({
      fileName: 'msa.pdf',
      mimeType: 'application/pdf',
      size: PDF.length,
    });
    expect(kit.contracts.readFile(contract.id).content.equals(PDF)).toBe(true);
    expect(changesSince(kit).map((c) => c.collection)).toEqual([
      'clients',
      'attachments',
      'contracts',
    ]);
  });

  it('keeps the document encrypted: no plaintext marker in the vault files or the WAL', () => {
    kit.clients.create({ name: 'MARKER-CLIENT-5520', notes: 'MARKER-NOTES-5521' });
    kit.contracts.create(
      { client: 'MARKER-CLIENT-5520', title: 'MARKER-TITLE-5522' },
      { fileName: 'msa.pdf', mimeType: 'application/pdf', content: PDF },
    );
    const files = fs.readdirSync(kit.temp.dir).map((name) => path.join(kit.temp.dir, name));
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const marker of [
        'MARKER-CONTRACT-7731',
        'MARKER-CLIENT-5520',
        'MARKER-NOTES-5521',
        'MARKER-TITLE-5522',
      ]) {
        expect(bytes.includes(Buffer.from(marker)), `${marker} in ${path.basename(file)}`).toBe(
          false,
        );
      }
    }
  });

  it('takes a file path (as the CLI does) and guesses the media type', () => {
    const file = path.join(scratch, 'sow.pdf');
    fs.writeFileSync(file, PDF);
    const contract = kit.contracts.create({ client: 'Acme', title: 'SOW' }, { path: file });
    expect(contract.attachment).toMatchObject({ fileName: 'sow.pdf', mimeType: 'application/pdf' });
  });

  it('moves draft → sent → signed → void and refuses the rest', () => {
    const contract = kit.contracts.create({ client: 'Acme', title: 'NDA' });
    expect(contract.attachment).toBeNull();
    expectRejected(kit, 'NOT_FOUND', () => kit.contracts.readFile(contract.id));
    expect(kit.contracts.send(contract.id).status).toBe('sent');
    expectRejected(kit, 'INVALID_STATE', () => kit.contracts.send(contract.id));
    expect(kit.contracts.sign(contract.id)).toMatchObject({ status: 'signed', signedAt: NOW });
    expectRejected(kit, 'INVALID_STATE', () =>
      kit.contracts.attachFile(contract.id, {
        fileName: 'x.pdf',
        mimeType: 'application/pdf',
        content: PDF,
      }),
    );
    expect(kit.contracts.voidContract(contract.id).status).toBe('void');
    expectRejected(kit, 'INVALID_STATE', () => kit.contracts.sign(contract.id));
  });

  it('replaces a draft’s document and deletes the old one', () => {
    const contract = kit.contracts.create(
      { client: 'Acme', title: 'NDA' },
      { fileName: 'v1.pdf', mimeType: 'application/pdf', content: PDF },
    );
    const v2 = Buffer.from('%PDF-1.7 v2');
    const updated = kit.contracts.attachFile(contract.id, {
      fileName: 'v2.pdf',
      mimeType: 'application/pdf',
      content: v2,
    });
    expect(updated.attachment?.fileName).toBe('v2.pdf');
    expect(kit.contracts.readFile(contract.id).content.equals(v2)).toBe(true);
    const live = kit.temp.vault.db
      .prepare('SELECT file_name FROM attachments WHERE deleted_at IS NULL')
      .pluck()
      .all();
    expect(live).toEqual(['v2.pdf']);
  });

  it('writes nothing when the file or the input is bad', () => {
    expectRejected(kit, 'FILE_NOT_FOUND', () =>
      kit.contracts.create(
        { client: 'Acme', title: 'NDA' },
        { path: path.join(scratch, 'missing.pdf') },
      ),
    );
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.contracts.create(
        { client: 'Acme', title: 'NDA' },
        { fileName: '../evil.pdf', mimeType: 'application/pdf', content: PDF },
      ),
    );
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.contracts.create(
        { client: 'Nobody', title: 'NDA' },
        { fileName: 'a.pdf', mimeType: 'application/pdf', content: PDF },
      ),
    );
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.contracts.create({ client: 'Acme', title: ' ' }),
    );
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.contracts.sign('01900000-0000-7000-8000-000000000000'),
    );
  });
});
