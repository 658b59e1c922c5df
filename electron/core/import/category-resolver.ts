import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { CategoryService } from '../ledger/category.service.js';
import { nameKey } from '../ledger/name-key.js';
import type { Vault } from '../vault/vault.js';

/**
 * Turns the category names a file writes into category ids, once per name: a name the
 * vault knows is that category; an unknown one is created (income or expense by the sign
 * of the first row naming it) when asked, else left for the notes. Never refuses a file.
 * Runs inside the import's transaction, so a failed import leaves no category behind.
 */
export class CategoryResolver {
  private readonly service: CategoryService;
  private readonly ids = new Map<string, string | null>();
  readonly created: string[] = [];
  readonly left: string[] = [];

  constructor(
    vault: Vault,
    private readonly create: boolean,
  ) {
    this.service = new CategoryService(vault);
  }

  /** The category id, or null when the name is unknown and not created. */
  resolve(name: string, amountMinor: number): string | null {
    const key = nameKey(name);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    let id: string | null;
    try {
      id = this.service.resolveCategory(name).id;
    } catch (err) {
      if (!isUnknownName(err)) throw err;
      id = this.create ? this.tryCreate(name, amountMinor) : null;
      (id === null ? this.left : this.created).push(name.trim());
    }
    this.ids.set(key, id);
    return id;
  }

  /** A name the ledger cannot take (control characters, too long) is left, not refused. */
  private tryCreate(name: string, amountMinor: number): string | null {
    try {
      return this.service.create({ name, kind: amountMinor > 0 ? 'income' : 'expense' }).id;
    } catch (err) {
      if (isCofferError(err) && err.code === 'INVALID_INPUT') return null;
      throw err;
    }
  }
}

function isUnknownName(err: unknown): boolean {
  return isCofferError(err) && (err.code === 'NOT_FOUND' || err.code === 'INVALID_INPUT');
}
