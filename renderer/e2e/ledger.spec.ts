import { expect, test } from './support/web-mode.fixture.js';
import { checkScreen } from './support/screen-checks.js';
import { AccountsPage } from './pages/accounts.page.js';
import { AppNav } from './pages/app-nav.page.js';
import { BudgetsPage } from './pages/budgets.page.js';
import { CategoriesPage } from './pages/categories.page.js';
import { FirstRunPage } from './pages/first-run.page.js';
import { LedgerPage } from './pages/ledger.page.js';
import { ReviewPage } from './pages/review.page.js';
import { flagPossibleDuplicate } from './support/vault-flags.js';

test('first run → accounts → transactions → an overspent budget', async ({ page, webMode }) => {
  // One long walk through five screens on a shared two-core machine.
  test.setTimeout(180_000);
  await page.goto(webMode.url);
  const firstRun = new FirstRunPage(page);
  await firstRun.expectShown();
  await firstRun.createVault();
  const nav = new AppNav(page);

  // Accounts in two currencies: each balance in its own, one total per currency.
  await nav.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.expectShown();
  await accounts.addAccount('Checking', 'EUR', '1000');
  await accounts.addAccount('Dollar Card', 'USD', '250.75');
  await expect(accounts.row('Checking')).toContainText('€1,000.00');
  await expect(accounts.row('Dollar Card')).toContainText('$250.75');
  await expect(accounts.totals()).toContainText('EUR');
  await expect(accounts.totals()).toContainText('€1,000.00');
  await expect(accounts.totals()).toContainText('$250.75');
  await checkScreen(page, 'accounts');

  const categories = new CategoriesPage(page);
  await nav.open('Categories');
  await categories.expectShown();
  await categories.addCategory('Groceries', 'Expense');
  await categories.addCategory('Household', 'Expense');
  await categories.addCategory('Salary', 'Income');
  await checkScreen(page, 'categories');

  // Quick entry from the keyboard alone: Enter saves, a bad amount is named at its field.
  const ledger = new LedgerPage(page);
  await nav.open('Transactions');
  await ledger.expectShown();
  await expect(ledger.count()).toHaveText('0 transactions');
  await ledger.quickField('Payee').focus();
  await page.keyboard.type('Weekly Market');
  await ledger.chooseWithKeyboard(
    ledger.quickEntry().getByRole('button', { name: /Category$/ }),
    'Groceries',
  );
  await ledger.quickField('Amount').focus();
  await page.keyboard.type('lots');
  await page.keyboard.press('Enter');
  await expect(ledger.quickEntry().getByText('Amount "lots" is not a number')).toBeVisible();
  await expect(ledger.count()).toHaveText('0 transactions');
  await ledger.quickField('Amount').fill('');
  await page.keyboard.type('-120.50');
  await page.keyboard.press('Tab');
  await page.keyboard.type('big shop');
  await page.keyboard.press('Enter');
  await expect(ledger.row('Weekly Market')).toContainText('Groceries');
  await expect(ledger.row('Weekly Market')).toContainText('-€120.50');
  await expect(ledger.quickField('Payee')).toHaveValue('');

  // Escape clears what was typed.
  await ledger.quickField('Payee').focus();
  await page.keyboard.type('Never saved');
  await page.keyboard.press('Escape');
  await expect(ledger.quickField('Payee')).toHaveValue('');

  await ledger.quickField('Payee').focus();
  await page.keyboard.type('Corner Shop');
  await ledger.quickField('Amount').focus();
  await page.keyboard.type('-30');
  await page.keyboard.press('Enter');
  await expect(ledger.count()).toHaveText('2 transactions');

  // A split edited in the dialog: parts that do not add up are refused at the split.
  const cornerIndex = (await ledger.rows().allTextContents()).findIndex((text) =>
    text.includes('Corner Shop'),
  );
  expect(cornerIndex).toBeGreaterThanOrEqual(0);
  await ledger.openRowWithKeyboard(cornerIndex);
  const dialog = ledger.dialog();
  await expect(dialog.getByLabel('Payee', { exact: true })).toHaveValue('Corner Shop');
  await dialog.getByRole('button', { name: 'Add split part' }).click();
  await dialog.getByRole('button', { name: 'Add split part' }).click();
  await ledger.choose(dialog, 'Part 1 category', 'Groceries');
  await dialog.getByLabel('Part 1 amount', { exact: true }).fill('-10');
  await ledger.choose(dialog, 'Part 2 category', 'Household');
  await dialog.getByLabel('Part 2 amount', { exact: true }).fill('-15');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Splits add up to -25.00 EUR');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Part 2 amount', { exact: true }).fill('-20');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  const corner = ledger.row('Corner Shop');
  await expect(corner).toContainText('Split (2)');
  await ledger.grid().focus();
  await page.keyboard.press('ArrowRight');
  await expect(corner.getByRole('list', { name: 'Split parts' })).toContainText('Household');
  await expect(corner.getByRole('list', { name: 'Split parts' })).toContainText('-€20.00');
  await checkScreen(page, 'transactions');

  // Search and filters narrow the list; the search takes its text literally.
  await ledger.search('corner');
  await expect(ledger.count()).toHaveText('1 transaction');
  await expect(ledger.rows()).toHaveCount(1);
  await ledger.search('%');
  await expect(ledger.count()).toHaveText('0 transactions');
  await ledger.search('');
  await expect(ledger.count()).toHaveText('2 transactions');
  // Every account's rows together name each row's account; one account's do not.
  const accountHeader = ledger.grid().getByRole('columnheader', { name: 'Account' });
  await expect(accountHeader).toBeVisible();
  await expect(corner.getByRole('gridcell').nth(1)).toHaveText('Checking');
  await ledger.choose(ledger.filters(), 'Account', 'Dollar Card');
  await expect(ledger.count()).toHaveText('0 transactions');
  await expect(accountHeader).toHaveCount(0);
  await ledger.choose(ledger.filters(), 'Account', 'All accounts');
  await ledger.choose(ledger.filters(), 'Category', 'Household');
  await expect(ledger.count()).toHaveText('1 transaction');
  await expect(ledger.rows()).toContainText(['Corner Shop']);

  // The accounts screen opens one account's ledger.
  await nav.open('Accounts');
  await accounts.openLedgerOf('Dollar Card');
  await ledger.expectShown();
  await expect(ledger.count()).toHaveText('0 transactions');
  await nav.open('Accounts');
  await expect(accounts.row('Checking')).toContainText('€849.50');

  // Groceries: 120.50 typed plus a 10.00 split part against a 100.00 budget.
  const budgets = new BudgetsPage(page);
  await nav.open('Budgets');
  await budgets.expectShown();
  await budgets.setBudget('Groceries', '100');
  const groceries = budgets.row('Groceries');
  await expect(groceries.getByTestId('overspent')).toHaveText('Overspent by €30.50');
  await expect(budgets.row('Household').getByTestId('overspent')).toHaveCount(0);
  await checkScreen(page, 'budgets');

  await nav.open('Needs review');
  const review = new ReviewPage(page);
  await review.expectShown();
  await expect(review.cards()).toHaveCount(0);
  await checkScreen(page, 'review');

  // The same screens hold up in the dark theme.
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const [label, name] of [
    ['Transactions', 'transactions-dark'],
    ['Budgets', 'budgets-dark'],
  ] as const) {
    await nav.open(label);
    await checkScreen(page, name);
  }
});

test('a possible duplicate is shown beside its twin and the imported one deleted', async ({
  page,
  webMode,
}) => {
  test.setTimeout(120_000);
  await page.goto(webMode.url);
  await new FirstRunPage(page).createVault();
  const nav = new AppNav(page);
  await nav.open('Accounts');
  await new AccountsPage(page).addAccount('Checking', 'EUR', '0');
  const ledger = new LedgerPage(page);
  await nav.open('Transactions');
  for (const [date, notes] of [
    ['2026-11-20', 'paid at the till'],
    ['2026-11-21', 'from the bank file'],
  ] as const) {
    await ledger.quickField('Date').fill(date);
    await ledger.quickField('Payee').fill('Hardware Store');
    await ledger.quickField('Amount').fill('-42.50');
    await ledger.quickField('Notes').fill(notes);
    await ledger.quickField('Notes').press('Enter');
    await expect(ledger.row(notes)).toBeVisible();
  }
  await expect(nav.link(/^Needs review/)).toHaveText('Needs review');

  await flagPossibleDuplicate(webMode.vaultDir, 'Hardware Store');
  await page.reload();
  await expect(nav.link(/^Needs review/)).toHaveText('Needs review (1)');
  await nav.open(/^Needs review/);
  const review = new ReviewPage(page);
  await review.expectShown();
  await expect(review.cards()).toHaveCount(1);
  const card = review.cards().first();
  await expect(card.getByRole('region', { name: 'Imported' })).toContainText('from the bank file');
  await expect(card.getByRole('region', { name: 'Already in the ledger' })).toContainText(
    'paid at the till',
  );
  await expect(card.getByRole('region', { name: 'Imported' })).toContainText('-€42.50');
  await checkScreen(page, 'review-open');

  await card.getByRole('button', { name: 'Delete the imported one' }).click();
  await expect(review.cards()).toHaveCount(0);
  await expect(page.getByText('Nothing needs review.')).toBeVisible();
  await expect(nav.link(/^Needs review/)).toHaveText('Needs review');
  await nav.open('Transactions');
  await expect(ledger.count()).toHaveText('1 transaction');
  await expect(ledger.row('paid at the till')).toBeVisible();
  await expect(ledger.row('from the bank file')).toHaveCount(0);
});
