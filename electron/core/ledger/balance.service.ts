import type { AccountBalance } from '../../../shared/domain/ledger.schema.js';
import { IsoDateSchema } from '../../../shared/dates/iso-date.js';
import { bigintToMinor } from '../../../shared/money/money.js';
import * as z from 'zod';
import type { Vault } from '../vault/vault.js';
import { AccountService } from './account.service.js';
import { BalanceRepository } from './balance.repository.js';
import { parseInput } from '../validation/parse-input.js';

const BalanceOptionsSchema = z.strictObject({
  /** Inclusive: the balance at the end of this day. */
  asOf: IsoDateSchema.optional(),
  includeArchived: z.boolean().optional(),
});

/** Balances are derived at read time (opening balance + live transactions), never stored. */
export class BalanceService {
  private readonly repo: BalanceRepository;
  private readonly accounts: AccountService;

  constructor(vault: Vault) {
    this.repo = new BalanceRepository(vault.db);
    this.accounts = new AccountService(vault);
  }

  /** One account's balance; `accountRef` is an id or a name. */
  balance(accountRef: string, options: { asOf?: string } = {}): AccountBalance {
    const { asOf } = parseInput(BalanceOptionsSchema, options, 'balance query');
    const account = this.accounts.resolveAccount(accountRef);
    const sum = this.repo.sumForAccount(account.id, asOf ?? null);
    return {
      accountId: account.id,
      name: account.name,
      currency: account.currency,
      archived: account.archived,
      balanceMinor: bigintToMinor(BigInt(account.openingBalanceMinor) + sum),
      asOf: asOf ?? null,
    };
  }

  /** Every live account's balance, by name; archived accounts only when asked. */
  balances(options: { asOf?: string; includeArchived?: boolean } = {}): AccountBalance[] {
    const { asOf, includeArchived } = parseInput(BalanceOptionsSchema, options, 'balance query');
    const sums = this.repo.sumsByAccount(asOf ?? null);
    return this.accounts.list({ includeArchived: includeArchived === true }).map((account) => ({
      accountId: account.id,
      name: account.name,
      currency: account.currency,
      archived: account.archived,
      balanceMinor: bigintToMinor(
        BigInt(account.openingBalanceMinor) + (sums.get(account.id) ?? 0n),
      ),
      asOf: asOf ?? null,
    }));
  }
}
