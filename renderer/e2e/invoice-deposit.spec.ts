import { ClientsPage } from './pages/clients.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { choose } from './pages/invoicing-controls.js';
import { InvoicesPage } from './pages/invoices.page.js';
import { QuotesPage } from './pages/quotes.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

/** Today + `days` as YYYY-MM-DD, in UTC like the vault's own calendar. */
function isoInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('a deposit asked on a quote is on the invoice, its view, its list row and its PDF until paid', async ({
  page,
  webMode,
}, testInfo) => {
  // Quote to paid with two payments and a PDF: longer than one screen's check.
  test.slow();
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const clients = new ClientsPage(page);
  await clients.open();
  await clients.add({ name: '株式会社テスト', email: 'ap@test.example', currency: 'EUR' });

  const quotes = new QuotesPage(page);
  await quotes.open();
  // 10 h × 97.00 = 970.00; 30 % deposit = 291.00, due in a week (the invoice in 30 days).
  const depositDue = isoInDays(7);
  const liveTotal = await quotes.create(
    '株式会社テスト',
    [{ description: 'Design work', quantity: '10', unitPrice: '97.00' }],
    { amount: '30%', dueDate: depositDue },
  );
  expect(liveTotal).toContain('970.00');
  await quotes.sendDraft();
  await quotes.convert('QUO-0001');

  const invoices = new InvoicesPage(page);
  await expect(invoices.depositRequested()).toContainText('291.00');
  await expect(invoices.depositLabel()).toContainText('due');
  const number = await invoices.issue();
  await expect(invoices.depositOutstanding()).toContainText('291.00');
  await expect(invoices.balanceDue()).toContainText('970.00');

  // A payment below the deposit leaves part of it outstanding.
  await invoices.recordPayment('100.00', 'First part');
  await expect(invoices.depositOutstanding()).toContainText('191.00');
  await expect(invoices.balanceDue()).toContainText('870.00');
  await checkScreen(page, 'invoice-deposit');

  const pdfText = await invoices.downloadPdfText(testInfo.outputPath('deposit-invoice.pdf'));
  for (const expected of [
    number,
    '株式会社テスト',
    'Deposit requested',
    '291.00',
    'First part',
    'Deposit outstanding',
    '191.00',
    'Balance due',
    '870.00',
  ]) {
    expect(pdfText, `the PDF shows ${expected}`).toContain(expected);
  }

  await invoices.open();
  await expect(invoices.listRow(number)).toContainText('Deposit due');
  await checkScreen(page, 'invoices-deposit-due');

  // Paying past the deposit clears it; the balance is what it always was.
  await invoices.listRow(number).getByRole('link').click();
  await invoices.recordPayment('200.00');
  await expect(invoices.balanceDue()).toContainText('670.00');
  await expect(invoices.depositOutstanding()).toBeHidden();
  await expect(invoices.depositRequested()).toContainText('291.00');
  await invoices.open();
  await expect(invoices.listRow(number)).not.toContainText('Deposit due');
});

test('the quote editor says what is wrong with a deposit, next to the field', async ({
  page,
  webMode,
}) => {
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const clients = new ClientsPage(page);
  await clients.open();
  await clients.add({ name: 'Acme GmbH', email: 'ap@acme.test', currency: 'EUR' });
  const quotes = new QuotesPage(page);
  await quotes.open();
  await page.getByRole('button', { name: 'New quote' }).click();
  await choose(page, 'Client', 'Acme GmbH');
  const form = page.getByRole('form', { name: 'New quote' });
  await form.getByLabel('Deposit requested', { exact: true }).fill('0');
  await form.getByRole('button', { name: 'Save quote' }).click();
  await expect(form.getByText('must be greater than zero')).toBeVisible();
  await checkScreen(page, 'quote-editor-deposit');
});
