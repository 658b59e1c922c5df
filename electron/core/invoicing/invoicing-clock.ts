import { todayIso } from '../../../shared/dates/iso-date.js';
import type { Vault } from '../vault/vault.js';

/** "Today" as the vault's clock sees it (UTC), so tests can pin the date through `now`. */
export function vaultToday(vault: Pick<Vault, 'now'>): string {
  return todayIso(vault.now());
}
