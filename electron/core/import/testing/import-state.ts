/** Test-only: everything an import may write, to prove a refused import wrote none of it. */
import type { Vault } from '../../vault/vault.js';
import { writeCounts } from './import-test-helpers.js';

/** The ledger tables of `writeCounts`, plus saved profiles, remembered bank ids and reviews. */
export function importStateCounts(vault: Vault): Record<string, number> {
  const extra = ['import_profiles', 'account_bank_ids', 'transaction_reviews'];
  return {
    ...writeCounts(vault),
    ...Object.fromEntries(
      extra.map((t) => [t, Number(vault.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get())]),
    ),
  };
}
