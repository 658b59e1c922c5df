import {
  CategoryCreateInputSchema,
  CategoryUpdateInputSchema,
  type Category,
  type CategoryCreateInput,
  type CategoryKind,
  type CategoryUpdateInput,
} from '../../../shared/domain/ledger.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import type { Vault } from '../vault/vault.js';
import { CategoryRepository } from './category.repository.js';
import { IdGenerator } from './id-generator.js';
import { nameKey } from './name-key.js';
import { parseInput } from '../validation/parse-input.js';
import { editedFields } from '../sync/edited-fields.js';
import { categoryFields } from './record-fields.js';

/**
 * Categories form a tree (parentId) whose members share one kind. Names are unique across
 * live categories, case-insensitively, so the CLI can name them unambiguously.
 */
export class CategoryService {
  private readonly repo: CategoryRepository;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new CategoryRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  create(input: CategoryCreateInput): Category {
    const data = parseInput(CategoryCreateInputSchema, input, 'category');
    return this.vault.transaction(() => {
      this.assertNameFree(data.name, null);
      const parent = data.parentId === null ? null : this.resolveCategory(data.parentId);
      if (parent !== null) assertSameKind(parent, data.kind);
      const now = this.vault.now();
      const category: Category = {
        id: this.ids.next(),
        name: data.name,
        kind: data.kind,
        parentId: parent?.id ?? null,
        archived: false,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(category);
      this.vault.changes.record('categories', category.id, 'upsert', categoryFields(category));
      return category;
    });
  }

  update(ref: string, input: CategoryUpdateInput): Category {
    const data = parseInput(CategoryUpdateInputSchema, input, 'category');
    return this.vault.transaction(() => {
      const before = this.resolveCategory(ref);
      if (data.name !== undefined) this.assertNameFree(data.name, before.id);
      const kind = data.kind ?? before.kind;
      let parentId = before.parentId;
      if (data.parentId !== undefined) {
        parentId = data.parentId === null ? null : this.resolveCategory(data.parentId).id;
      }
      if (parentId !== null) {
        this.assertNotDescendant(parentId, before.id);
        const parent = this.repo.findById(parentId);
        if (parent !== undefined) assertSameKind(parent, kind);
      }
      if (kind !== before.kind) {
        const child = this.repo.listAll().find((c) => c.parentId === before.id && c.kind !== kind);
        if (child !== undefined) {
          throw new CofferError(
            'INVALID_INPUT',
            `Invalid category: kind: subcategory "${child.name}" is ${child.kind}; a tree has one kind`,
          );
        }
      }
      const after: Category = {
        ...before,
        name: data.name ?? before.name,
        kind,
        parentId,
        archived: data.archived ?? before.archived,
        updatedAt: this.vault.now(),
      };
      const changed = editedFields(categoryFields(before), categoryFields(after));
      if (changed === null) return before;
      this.repo.update(after);
      this.vault.changes.record('categories', after.id, 'upsert', changed);
      return after;
    });
  }

  archive(ref: string): Category {
    return this.update(ref, { archived: true });
  }

  /** Tombstones a category nothing uses; archive one that is in use. */
  delete(ref: string): void {
    this.vault.transaction(() => {
      const category = this.resolveCategory(ref);
      const uses = this.repo.countUses(category.id);
      if (uses.children + uses.transactions + uses.budgets > 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Category "${category.name}" is in use (${uses.children} subcategories, ${uses.transactions} transactions or splits, ${uses.budgets} budgets); archive it instead`,
          uses,
        );
      }
      const now = this.vault.now();
      this.repo.tombstone(category.id, now);
      this.vault.changes.record('categories', category.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
    });
  }

  get(ref: string): Category {
    return this.resolveCategory(ref);
  }

  list(options: { includeArchived?: boolean; kind?: CategoryKind } = {}): Category[] {
    return this.repo
      .listAll()
      .filter((c) => options.includeArchived === true || !c.archived)
      .filter((c) => options.kind === undefined || c.kind === options.kind);
  }

  /** A live category by id, or by name (case-insensitive, archived included). */
  resolveCategory(ref: string): Category {
    const wanted = ref.trim();
    if (UUID_PATTERN.test(wanted)) {
      const byId = this.repo.findById(wanted);
      if (byId !== undefined) return byId;
    }
    const key = nameKey(wanted);
    const matches = this.repo.listAll().filter((c) => nameKey(c.name) === key);
    if (matches.length === 1 && matches[0] !== undefined) return matches[0];
    if (matches.length > 1) {
      throw new CofferError(
        'DUPLICATE',
        `Several categories are named "${wanted}"; use the category id`,
        { ids: matches.map((c) => c.id) },
      );
    }
    throw new CofferError(
      'NOT_FOUND',
      UUID_PATTERN.test(wanted) ? `No category with id ${wanted}` : `No category named "${wanted}"`,
    );
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const key = nameKey(name);
    const clash = this.repo.listAll().find((c) => c.id !== exceptId && nameKey(c.name) === key);
    if (clash !== undefined) {
      throw new CofferError('DUPLICATE', `A category named "${clash.name}" already exists`);
    }
  }

  /** Refuses a parent that is the category itself or sits below it. */
  private assertNotDescendant(parentId: string, id: string): void {
    const seen = new Set<string>();
    let current: string | null = parentId;
    while (current !== null && !seen.has(current)) {
      if (current === id) {
        throw new CofferError(
          'INVALID_INPUT',
          'Invalid category: parentId: a category cannot sit below itself',
        );
      }
      seen.add(current);
      current = this.repo.findById(current)?.parentId ?? null;
    }
  }
}

function assertSameKind(parent: Category, kind: CategoryKind): void {
  if (parent.kind !== kind) {
    throw new CofferError(
      'INVALID_INPUT',
      `Invalid category: parentId: "${parent.name}" is an ${parent.kind} category; an ${kind} category cannot sit below it`,
    );
  }
}
