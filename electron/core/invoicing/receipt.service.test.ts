import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import {
  changesSince,
  createInvoicingKit,
  expectRejected,
  lastSeq,
  type InvoicingKit,
} from '../testing/invoicing-test-kit.js';

let kit: InvoicingKit;
let txId: string;
beforeEach(async () => {
  kit = await createInvoicingKit();
  new AccountService(kit.temp.vault).create({ name: 'Checking', currency: 'USD' });
  txId = new TransactionService(kit.temp.vault).create({
    accountId: 'Checking',
    date: '2025-03-10',
    amountMinor: -1250,
    payeeName: 'Cafe',
  }).id;
});
afterEach(() => kit.cleanup());

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('MARKER-RECEIPT-4410')]);
const FILE = { fileName: 'cafe.jpg', mimeType: 'image/jpeg', content: JPEG };

describe('ReceiptService', () => {
  it('stores the image in the vault with what the receipt says, linked to a transaction', () => {
    const seq = lastSeq(kit);
    const receipt = kit.receipts.create(
      {
        date: '2025-03-10',
        merchant: 'Cafe',
        amountMinor: 1250,
        currency: 'USD',
        transactionId: txId,
      },
      FILE,
    );
    expect(receipt).toMatchObject({
      transactionId: txId,
      merchant: 'Cafe',
      amountMinor: 1250,
      currency: 'USD',
    });
    expect(receipt.attachment).toMatchObject({ fileName: 'cafe.jpg', size: JPEG.length });
    expect(kit.receipts.readFile(receipt.id).content.equals(JPEG)).toBe(true);
    expect(changesSince(kit, seq).map((c) => c.collection)).toEqual(['attachments', 'receipts']);
    expect(kit.receipts.list({ transactionId: txId }).map((r) => r.id)).toEqual([receipt.id]);
  });

  it('links and unlinks a transaction later', () => {
    const receipt = kit.receipts.create({ date: '2025-03-10' }, FILE);
    expect(receipt.transactionId).toBeNull();
    expect(kit.receipts.linkTransaction(receipt.id, txId).transactionId).toBe(txId);
    expect(kit.receipts.linkTransaction(receipt.id, null).transactionId).toBeNull();
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.receipts.linkTransaction(receipt.id, '01900000-0000-7000-8000-000000000000'),
    );
  });

  it('lists by date range and deletes with its file', () => {
    const march = kit.receipts.create({ date: '2025-03-10' }, FILE);
    kit.receipts.create({ date: '2025-02-01' }, FILE);
    expect(kit.receipts.list({ from: '2025-03-01', to: '2025-03-31' }).map((r) => r.id)).toEqual([
      march.id,
    ]);
    expect(kit.receipts.list()).toHaveLength(2);
    kit.receipts.delete(march.id);
    expect(kit.receipts.list()).toHaveLength(1);
    expect(
      kit.temp.vault.db
        .prepare('SELECT count(*) FROM attachments WHERE deleted_at IS NULL')
        .pluck()
        .get(),
    ).toBe(1);
    expectRejected(kit, 'INVALID_DATE', () => kit.receipts.list({ from: '2025-3-1' }));
  });

  it('writes nothing for an unknown transaction, a currency mismatch or a half-given amount', () => {
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.receipts.create(
        { date: '2025-03-10', transactionId: '01900000-0000-7000-8000-000000000000' },
        FILE,
      ),
    );
    expectRejected(kit, 'CURRENCY_MISMATCH', () =>
      kit.receipts.create(
        { date: '2025-03-10', amountMinor: 1250, currency: 'EUR', transactionId: txId },
        FILE,
      ),
    );
    expectRejected(
      kit,
      'INVALID_INPUT',
      () => kit.receipts.create({ date: '2025-03-10', amountMinor: 1250 }, FILE),
      /amount and currency must be given together/,
    );
    expectRejected(kit, 'INVALID_AMOUNT', () =>
      kit.receipts.create({ date: '2025-03-10', amountMinor: 12.5, currency: 'USD' }, FILE),
    );
    expectRejected(kit, 'INVALID_DATE', () => kit.receipts.create({ date: 'yesterday' }, FILE));
  });
});
