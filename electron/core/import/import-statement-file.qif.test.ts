import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { AccountBankIdService } from './account-bank-id.service.js';
import { importStatementFile } from './import-statement-file.js';
import { expectCofferError, fixturePath, writeCounts } from './testing/import-test-helpers.js';

let temp: TempVault;

beforeEach(async () => {
  temp = await createTempVault();
});
afterEach(() => temp.cleanup());

const SEVERAL = fixturePath('qif/several-accounts.qif');
const NAMES = ['Everyday Checking', 'Rewards Visa', 'Wallet'] as const;

/** One account per QIF account block, each remembered for its block's name. */
function remember(currencies: readonly string[]): string[] {
  const accounts = new AccountService(temp.vault);
  const bankIds = new AccountBankIdService(temp.vault);
  return NAMES.map((name, i) => {
    const account = accounts.create({ name: `Account ${i}`, currency: currencies[i] ?? 'USD' });
    bankIds.remember(account.id, name);
    return account.id;
  });
}

describe('importStatementFile: QIF files of several accounts', () => {
  it('with every account block remembered for accounts of one currency, imports with no flags', async () => {
    const ids = remember(['USD', 'USD', 'USD']);
    const result = await importStatementFile(temp.vault, { file: SEVERAL, format: 'qif' });
    expect(result.statements.map((s) => s.accountId)).toEqual(ids);
    expect(result.created).toBe(result.rows);
    expect(result.created).toBeGreaterThan(0);
  });

  it('asks for --account when the blocks are not remembered, or name accounts in different currencies, writing nothing', async () => {
    const before = writeCounts(temp.vault);
    const unknown = await expectCofferError(
      importStatementFile(temp.vault, { file: SEVERAL, format: 'qif' }),
    );
    expect(unknown.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect(unknown.message).toContain('--account NAME');
    expect(writeCounts(temp.vault)).toEqual(before);

    remember(['USD', 'EUR', 'USD']);
    const mixed = await expectCofferError(
      importStatementFile(temp.vault, { file: SEVERAL, format: 'qif' }),
    );
    expect(mixed.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect(mixed.details).toMatchObject({ bankAccountIds: [...NAMES] });
  });
});
