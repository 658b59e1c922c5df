// The dashboard and reports of a vault with money in two currencies, put there through
// the import screen: every figure stays in its own currency, nothing adds them up.
import { DashboardPage } from './pages/dashboard.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { ImportPage } from './pages/import.page.js';
import { NewAccountForm } from './pages/new-account-form.page.js';
import { ReportsPage } from './pages/reports.page.js';
import { checkScreen } from './support/screen-checks.js';
import { expect, test } from './support/web-mode.fixture.js';

/** The 3rd of this month and of the month before, so they fall in "this month" and the last year. */
function days(): { thisMonth: string; lastMonth: string } {
  const now = new Date();
  const day = (offset: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 3))
      .toISOString()
      .slice(0, 10);
  return { thisMonth: day(0), lastMonth: day(-1) };
}

function statement(name: string, rows: [string, string, string][]) {
  const text = ['Date,Amount,Description', ...rows.map((r) => r.join(','))].join('\n');
  return { name, mimeType: 'text/csv', buffer: Buffer.from(`${text}\n`, 'utf8') };
}

test('two currencies: two balances, two months of flow each, two totals in every report', async ({
  page,
  webMode,
}) => {
  const { thisMonth, lastMonth } = days();
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const accounts = new NewAccountForm(page);
  await accounts.add('US checking', 'USD', '1000');
  await accounts.add('Euro account', 'EUR', '500');

  const importer = new ImportPage(page);
  await importer.open();
  await importer.chooseAccount('US checking (USD)');
  await importer.pick(
    statement('usd.csv', [
      [lastMonth, '3000.00', 'ACME PAYROLL'],
      [thisMonth, '4000.00', 'ACME PAYROLL'],
      [thisMonth, '-1250.00', 'RENT'],
    ]),
  );
  await expect(importer.preview).toContainText('into US checking');
  await importer.importRows();
  await importer.importAnother();
  await importer.chooseAccount('Euro account (EUR)');
  await importer.pick(
    statement('eur.csv', [
      [thisMonth, '900.00', 'CLIENT EU'],
      [thisMonth, '-60.00', 'OFFICE'],
    ]),
  );
  await expect(importer.preview).toContainText('into Euro account');
  await importer.importRows();

  const dashboard = new DashboardPage(page);
  await dashboard.open();
  await expect(dashboard.balance('USD')).toContainText('$6,750.00');
  await expect(dashboard.balance('EUR')).toContainText('€1,340.00');
  await expect(dashboard.income('USD')).toHaveText('$4,000.00');
  await expect(dashboard.spending('USD')).toHaveText('$1,250.00');
  await expect(dashboard.income('EUR')).toHaveText('€900.00');
  await expect(dashboard.spending('EUR')).toHaveText('€60.00');
  await expect(page.getByTestId('needs-review')).toHaveText('Nothing waits for review.');
  await expect(page.getByTestId('overdue-count')).toHaveText('No invoice is overdue.');
  await expect(dashboard.cashFlowTable('USD')).toBeAttached();
  await expect(dashboard.cashFlowTable('EUR')).toBeAttached();
  // Nowhere is a sum of the two: 6,750 + 1,340 would read 8,090.
  await expect(page.getByText('8,090')).toHaveCount(0);
  await checkScreen(page, 'dashboard');

  const reports = new ReportsPage(page);
  await reports.open();
  await reports.tab('Cash flow');
  expect(await reports.rows('cashflow-totals')).toEqual([
    ['EUR', '€900.00', '€60.00', '€840.00'],
    ['USD', '$7,000.00', '$1,250.00', '$5,750.00'],
  ]);
  await checkScreen(page, 'reports-cash-flow');
  for (const [tab, name] of [
    ['Budget vs actual', 'reports-budget'],
    ['Aged receivables', 'reports-aged-receivables'],
    ['Revenue by client', 'reports-revenue'],
    ['Tax summary', 'reports-tax'],
  ] as const) {
    await reports.tab(tab);
    await expect(page.getByRole('progressbar')).toHaveCount(0);
    await checkScreen(page, name);
  }
});
