import { execFileSync } from 'node:child_process';

import type { Page } from '@playwright/test';
import { ClientsPage } from './pages/clients.page.js';
import { ContractsPage } from './pages/contracts.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { InvoicesPage } from './pages/invoices.page.js';
import { QuotesPage } from './pages/quotes.page.js';
import { ReceiptsPage } from './pages/receipts.page.js';
import { RecurringPage } from './pages/recurring.page.js';
import { writeFakePng, writePdf, writePng } from './support/invoicing-files.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

async function startWithClient(page: Page, url: string): Promise<ClientsPage> {
  await page.goto(url);
  await new FirstRunPage(page).createVault();
  const clients = new ClientsPage(page);
  await clients.open();
  await clients.add({ name: 'Acme GmbH', email: 'ap@acme.test', currency: 'EUR' });
  return clients;
}

test('a quote with two lines becomes an invoice, paid in part and then in full', async ({
  page,
  webMode,
}, testInfo) => {
  const clients = await startWithClient(page, webMode.url);
  await checkScreen(page, 'clients');

  const quotes = new QuotesPage(page);
  await quotes.open();
  // A draft made by mistake goes away without using up a quote number.
  await quotes.create('Acme GmbH', [{ description: 'Mistake', unitPrice: '1.00' }]);
  await quotes.deleteDraft();
  // 10 h × 80.00 + 20 % tax = 960.00; 1 × 20.00 − 50 % = 10.00 untaxed: 970.00.
  const liveTotal = await quotes.create('Acme GmbH', [
    { description: 'Design work', quantity: '10', unitPrice: '80.00', taxRate: '20' },
    { description: 'Hosting', unitPrice: '20.00', discount: '50' },
  ]);
  expect(liveTotal).toContain('970.00');
  await quotes.sendDraft();
  await checkScreen(page, 'quotes');
  await quotes.convert('QUO-0001');

  const invoices = new InvoicesPage(page);
  await expect(invoices.detail().getByTestId('document-total')).toContainText('970.00');
  const number = await invoices.issue();
  await invoices.expectStatus('Issued');

  await invoices.recordPayment('300.00', 'Deposit');
  await invoices.expectStatus('Partly paid');
  await expect(invoices.balanceDue()).toContainText('670.00');
  await expect(invoices.detail().getByTestId('paid')).toContainText('300.00');
  await expect(invoices.detail().getByRole('grid', { name: 'Payments received' })).toContainText(
    'Deposit',
  );
  await checkScreen(page, 'invoice-detail');

  // The PDF the client gets says the same: lines, what was paid and what is still due.
  const download = page.waitForEvent('download');
  await invoices.detail().getByRole('button', { name: 'Download PDF' }).click();
  const pdfFile = testInfo.outputPath('invoice.pdf');
  await (await download).saveAs(pdfFile);
  const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
  for (const expected of [
    number,
    'Acme GmbH',
    'Design work',
    'Hosting',
    '970.00',
    '300.00',
    '670.00',
  ]) {
    expect(pdfText, `the PDF shows ${expected}`).toContain(expected);
  }

  await invoices.recordPayment('670.01');
  await expect(page.getByRole('alert')).toContainText('OVERPAYMENT');
  await expect(invoices.balanceDue()).toContainText('670.00');

  await invoices.recordPayment('670.00');
  await invoices.expectStatus('Paid');
  await expect(invoices.balanceDue()).toContainText('0.00');
  await expect(page.getByRole('form', { name: 'Record a payment' })).toBeHidden();

  await invoices.open();
  await invoices.filterByStatus('Paid');
  await expect(invoices.listRow(number)).toBeVisible();
  await checkScreen(page, 'invoices');
  await invoices.filterByStatus('Partly paid');
  await expect(page.getByText('No invoices with this status.')).toBeVisible();

  // The client now has documents: deleting it is refused, and it stays.
  await clients.open();
  await clients.delete('Acme GmbH');
  await expect(page.getByRole('alert')).toContainText('INVALID_STATE');
  await expect(clients.row('Acme GmbH')).toBeVisible();
});

test('a recurring schedule generates its invoice, once', async ({ page, webMode }) => {
  await startWithClient(page, webMode.url);
  const recurring = new RecurringPage(page);
  await recurring.open();
  // Yesterday (UTC, the core's calendar) is the only monthly occurrence due today.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await recurring.create({
    client: 'Acme GmbH',
    frequency: 'Monthly',
    startDate: yesterday,
    lines: [{ description: 'Monthly retainer', unitPrice: '1,000.00', taxRate: '20' }],
  });
  const made = await recurring.generateDue();
  await expect(made).toHaveCount(1);
  await expect(made.first()).toContainText('1,200.00');
  await checkScreen(page, 'recurring');

  await page.getByRole('button', { name: 'Generate due invoices now' }).click();
  await expect(page.getByTestId('generated-none')).toBeVisible();

  const invoices = new InvoicesPage(page);
  await invoices.open();
  const rows = page.getByRole('grid', { name: 'Invoices' }).getByRole('row');
  await expect(rows).toHaveCount(2); // the header and the one generated invoice
  await expect(rows.nth(1)).toContainText('Issued');
});

test('a receipt keeps its image and shows it; a file that only claims to be one is refused', async ({
  page,
  webMode,
}, testInfo) => {
  await startWithClient(page, webMode.url);
  const receipts = new ReceiptsPage(page);
  await receipts.open();

  await receipts.add({ merchant: 'Fake', file: writeFakePng(testInfo.outputPath('fake.png')) });
  await expect(receipts.formError()).toContainText('UNSUPPORTED_FILE_TYPE');
  await expect(page.getByText('No receipts yet.')).toBeVisible();

  await receipts.add({
    merchant: 'Café Central',
    amount: '4.50',
    currency: 'EUR',
    file: writePng(testInfo.outputPath('coffee.png'), 60, 40),
  });
  const image = receipts.preview();
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute('src', /^blob:/);
  // Decoded and drawn at its real size: the bytes came back intact from the vault.
  expect(
    await image.evaluate((img) => {
      const drawn = img as unknown as { naturalWidth: number; naturalHeight: number };
      return [drawn.naturalWidth, drawn.naturalHeight];
    }),
  ).toEqual([60, 40]);
  await checkScreen(page, 'receipts');

  const contracts = new ContractsPage(page);
  await contracts.open();
  await contracts.add({
    client: 'Acme GmbH',
    title: 'Master services agreement',
    file: writePdf(testInfo.outputPath('msa.pdf')),
  });
  await expect(contracts.download()).toHaveText('Download msa.pdf');
  const download = page.waitForEvent('download');
  await contracts.download().click();
  expect((await download).suggestedFilename()).toBe('msa.pdf');
  await checkScreen(page, 'contracts');
});
