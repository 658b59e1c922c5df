import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreServices, type CoreServices } from './core-services.js';
import { importStatementFile } from './import/import-statement-file.js';
import { fixturePath, tempDir } from './import/testing/import-test-helpers.js';
import { createTempVault, type TempVault } from './testing/temp-vault.js';

let temp: TempVault;
let files: ReturnType<typeof tempDir>;
let services: CoreServices;

beforeEach(async () => {
  temp = await createTempVault();
  files = tempDir();
  services = createCoreServices(temp.vault);
});

afterEach(() => {
  temp.cleanup();
  files.cleanup();
});

describe('createCoreServices', () => {
  it('reaches the payee rules and the import bookkeeping of the same vault an import writes', async () => {
    const checking = services.accounts.create({ name: 'Checking', currency: 'USD' });
    services.categories.create({ name: 'Coffee' });
    const rule = services.payeeRules.add({
      matchKind: 'contains',
      pattern: 'blue bottle',
      renameTo: 'Blue Bottle',
      category: 'Coffee',
    });
    const typed = services.transactions.create({
      accountId: checking.id,
      date: '2025-01-02',
      amountMinor: -450,
      payeeName: 'Coffee',
    });
    const file = files.file(
      'jan.csv',
      'Date,Amount,Description\n2025-01-02,-4.50,BLUE BOTTLE #12\n2025-01-05,3000.00,ACME PAYROLL\n',
    );

    const result = await importStatementFile(temp.vault, {
      file,
      format: 'csv',
      account: 'Checking',
    });

    // The rule added through the services is the one the import applied.
    expect(result.rulesApplied).toEqual([expect.objectContaining({ ruleId: rule.id, rows: 1 })]);
    const imported = services.transactions
      .list({ accountId: checking.id })
      .find((t) => t.payeeName === 'Blue Bottle');
    expect(imported?.categoryId).toBe(services.categories.resolveCategory('Coffee').id);
    // The profile the import saved, and the flag it raised, are visible through the services.
    expect(result.profile).not.toBeNull();
    expect(services.importProfiles.list().map((p) => p.id)).toEqual([result.profile?.id]);
    const [review] = services.transactionReviews.listOpen();
    expect(review).toMatchObject({
      transactionId: imported?.id,
      relatedTransactionId: typed.id,
      resolution: null,
    });
    services.transactionReviews.resolve(review?.id ?? '', 'keep');
    expect(services.transactionReviews.openCount()).toBe(0);
  });

  it('reaches the bank account ids an OFX import remembers', async () => {
    const checking = services.accounts.create({ name: 'Checking', currency: 'USD' });
    expect(services.accountBankIds.findAccount('000123456789')).toBeUndefined();
    await importStatementFile(temp.vault, {
      file: fixturePath('ofx1-checking.ofx'),
      format: 'ofx',
      account: 'Checking',
    });
    expect(services.accountBankIds.findAccount('000123456789')?.id).toBe(checking.id);
    expect(services.accountBankIds.listForAccount('Checking').map((b) => b.bankAccountId)).toEqual([
      '000123456789',
    ]);
  });

  it('reaches the settings, the app lock and the PDFs of the same vault', async () => {
    const withLight = createCoreServices(temp.vault, {
      appLock: { hashParams: { memoryCost: 1024, timeCost: 1, parallelism: 1 } },
    });
    withLight.settings.updateProfile({ name: 'Zoë Ångström' });
    expect(services.settings.getProfile().name).toBe('Zoë Ångström');

    const code = `code-${temp.vault.vaultId}`;
    await withLight.appLock.setPasscode(code);
    expect(withLight.appLock.isLocked()).toBe(false);
    // Another set of services over the vault starts locked: the passcode is in the vault.
    expect(createCoreServices(temp.vault).appLock.isLocked()).toBe(true);

    services.clients.create({ name: 'Acme', defaultCurrency: 'USD' });
    const draft = services.invoices.createDraft({
      client: 'Acme',
      lines: [{ description: 'Work', quantityMilli: 1000, unitPriceMinor: 100 }],
    });
    const pdf = await services.documents.invoicePdf(draft.id, { locale: 'en-US' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
