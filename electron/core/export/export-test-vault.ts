/** Test-only: a vault holding at least one live record of every kind, made through the services. */
import { AttachmentService } from '../attachments/attachment.service.js';
import {
  createInvoicingServices,
  type InvoicingServices,
} from '../invoicing/invoicing-services.js';
import { AccountService } from '../ledger/account.service.js';
import { BudgetService } from '../ledger/budget.service.js';
import { CategoryService } from '../ledger/category.service.js';
import { PayeeService } from '../ledger/payee.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { PayeeRuleService } from '../rules/payee-rule.service.js';
import { SettingsService } from '../settings/settings.service.js';
import { sampleLogoPng } from '../testing/png-image.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { addImportRecords } from './import-records.js';

export const RECEIPT_BYTES = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10, 0x20,
]);
export const CONTRACT_BYTES = Buffer.from('%PDF-1.7\nmarker-contract-body\n%%EOF\n', 'latin1');

export interface PopulatedVault extends TempVault {
  clock: { now: number };
  services: InvoicingServices;
}

export async function createPopulatedVault(): Promise<PopulatedVault> {
  const clock = { now: Date.UTC(2025, 2, 1, 9) };
  const temp = await createTempVault({ now: () => clock.now, outbox: true });
  const { vault } = temp;
  const tick = () => {
    clock.now += 60_000;
  };
  const accounts = new AccountService(vault);
  const categories = new CategoryService(vault);
  const transactions = new TransactionService(vault);
  const services = createInvoicingServices(vault, { attachments: new AttachmentService(vault) });

  const checking = accounts.create({
    name: 'Checking',
    currency: 'USD',
    openingBalanceMinor: 100_000,
  });
  tick();
  accounts.create({ name: 'Old savings', currency: 'EUR', kind: 'savings' });
  accounts.archive('Old savings');
  tick();
  const food = categories.create({ name: 'Food' });
  const groceries = categories.create({ name: 'Groceries', parentId: 'Food' });
  const income = categories.create({ name: 'Income', kind: 'income' });
  categories.create({ name: 'Unused' });
  categories.delete('Unused');
  tick();
  new PayeeService(vault).create({ name: 'Landlord' });
  const cafe = transactions.create({
    accountId: 'Checking',
    date: '2025-03-01',
    amountMinor: -1250,
    payeeName: 'Corner Cafe',
    categoryId: 'Food',
  });
  const split = transactions.create({
    accountId: checking.id,
    date: '2025-03-02',
    amountMinor: -10_000,
    payeeName: 'Big Market',
    notes: 'weekly shop',
    splits: [
      { categoryId: groceries.id, amountMinor: -7_000, memo: 'food' },
      { categoryId: food.id, amountMinor: -3_000 },
    ],
  });
  tick();
  transactions.update(split.id, { notes: 'weekly shop (edited)' });
  const gone = transactions.create({
    accountId: 'Checking',
    date: '2025-03-03',
    amountMinor: -99,
    payeeName: 'Mistake',
  });
  transactions.delete(gone.id);
  transactions.createMany(
    [
      {
        accountId: 'Checking',
        date: '2025-03-04',
        amountMinor: 250_000,
        payeeName: 'Acme Corp',
        categoryId: income.id,
        importId: 'fitid:1',
      },
    ],
    { importBatch: 'ofx:test' },
  );
  const imported = transactions.list({ accountId: checking.id }).find((t) => t.importId !== null);
  if (imported === undefined) throw new Error('test vault: the imported transaction is missing');
  tick();
  const rules = new PayeeRuleService(vault);
  rules.add({ matchKind: 'contains', pattern: 'Cafe', renameTo: 'Corner Cafe', category: 'Food' });
  rules.add({ matchKind: 'regex', pattern: '^ACME\\b', renameTo: 'Acme Corp', position: 1 });
  rules.add({ matchKind: 'equals', pattern: 'Mistake', renameTo: 'Gone' });
  rules.remove('3');
  addImportRecords(vault, {
    accountId: checking.id,
    transactionId: imported.id,
    relatedTransactionId: cafe.id,
    tick,
  });
  new BudgetService(vault).set({
    month: '2025-03',
    categoryId: 'Food',
    amountMinor: 40_000,
    currency: 'USD',
  });
  tick();

  const acme = services.clients.create({
    name: 'Acme Corp',
    email: 'ap@acme.test',
    defaultCurrency: 'USD',
    address: '1 Main St\nSpringfield',
  });
  services.clients.create({ name: 'Globex', defaultCurrency: 'EUR' });
  const quote = services.quotes.create({
    client: acme.id,
    issueDate: '2025-03-01',
    lines: [{ description: 'Discovery workshop', quantityMilli: 1000, unitPriceMinor: 150_000 }],
    deposit: { percentPpm: 300_000, dueDate: '2025-03-10' },
  });
  services.quotes.send(quote.id);
  services.quotes.accept(quote.id);
  services.quotes.convert(quote.id);
  tick();
  const draft = services.invoices.createDraft({
    client: 'Acme Corp',
    lines: [
      {
        description: 'Design, hours',
        quantityMilli: 12_500,
        unitPriceMinor: 9_000,
        taxRatePpm: 88_750,
      },
      { description: 'Hosting', quantityMilli: 1000, unitPriceMinor: 2_000, discountPpm: 100_000 },
    ],
    paymentInstructions: { method: 'bank_transfer', details: 'IBAN XX00 0000' },
    notes: 'Thank you',
  });
  services.invoices.issue(draft.id, { issueDate: '2025-03-01', dueDays: 14 });
  tick();
  services.payments.payInvoice(draft.id, {
    amountMinor: 50_000,
    date: '2025-03-05',
    method: 'card',
    reference: 'ch_1',
    accountId: checking.id,
  });
  services.invoices.createDraft({
    client: 'Globex',
    lines: [{ description: 'Draft only', quantityMilli: 1000, unitPriceMinor: 1 }],
  });
  services.recurring.create({
    client: acme.id,
    frequency: 'monthly',
    startDate: '2025-04-01',
    lines: [{ description: 'Retainer', quantityMilli: 1000, unitPriceMinor: 300_000 }],
    paymentInstructions: { method: 'paypal', details: 'pay@me.test' },
    deposit: { amountMinor: 50_000, dueDays: 5 },
  });
  tick();
  services.contracts.create(
    { client: acme.id, title: 'Master services agreement' },
    { fileName: 'msa.pdf', mimeType: 'application/pdf', content: CONTRACT_BYTES },
  );
  services.receipts.create(
    {
      date: '2025-03-01',
      merchant: 'Corner Cafe',
      amountMinor: 1250,
      currency: 'USD',
      transactionId: split.id,
    },
    { fileName: 'receipt.png', mimeType: 'image/png', content: RECEIPT_BYTES },
  );
  const dropped = services.receipts.create(
    { date: '2025-03-02', merchant: 'Dropped' },
    { fileName: 'x.png', mimeType: 'image/png', content: Buffer.from('x') },
  );
  services.receipts.delete(dropped.id);
  tick();
  const settings = new SettingsService(vault, new AttachmentService(vault));
  settings.updateProfile({
    name: 'Zoë Ångström',
    address: '1 Rue Example\nParis',
    paymentInstructions: { method: 'bank_transfer', details: 'IBAN FR00 0000' },
  });
  settings.setLogo(sampleLogoPng());
  settings.updatePreferences({ theme: 'dark' });
  tick();
  return { ...temp, clock, services };
}
