import {
  NameSchema,
  PayeeCreateInputSchema,
  PayeeUpdateInputSchema,
  type Payee,
  type PayeeCreateInput,
  type PayeeUpdateInput,
} from '../../../shared/domain/ledger.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import type { Vault } from '../vault/vault.js';
import { IdGenerator } from './id-generator.js';
import { isAscii, nameKey } from './name-key.js';
import { parseInput } from '../validation/parse-input.js';
import { PayeeRepository } from './payee.repository.js';
import { editedFields } from '../sync/edited-fields.js';
import { payeeFields } from './record-fields.js';

/** Payees are known by name, case-insensitively; transactions find or create them. */
export class PayeeService {
  private readonly repo: PayeeRepository;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new PayeeRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  create(input: PayeeCreateInput): Payee {
    const data = parseInput(PayeeCreateInputSchema, input, 'payee');
    return this.vault.transaction(() => {
      const clash = this.findByName(data.name);
      if (clash !== undefined) {
        throw new CofferError('DUPLICATE', `A payee named "${clash.name}" already exists`);
      }
      return this.insert(data.name);
    });
  }

  /** The payee with this name (any case), created when there is none. */
  findOrCreate(name: string): Payee {
    const valid = parseInput(PayeeCreateInputSchema, { name }, 'payee').name;
    return this.vault.transaction(() => this.findOrCreateInTransaction(valid));
  }

  /**
   * As findOrCreate, for callers that already hold a vault transaction and have
   * validated the name (NameSchema): the bulk import path.
   */
  findOrCreateInTransaction(name: string): Payee {
    return this.findByName(name) ?? this.insert(name);
  }

  findByName(name: string): Payee | undefined {
    const trimmed = name.trim();
    const key = nameKey(trimmed);
    const match = this.repo.findByNameNocase(trimmed).find((p) => nameKey(p.name) === key);
    if (match !== undefined || isAscii(trimmed)) return match;
    return this.repo.listNonAscii().find((p) => nameKey(p.name) === key);
  }

  rename(ref: string, input: PayeeUpdateInput): Payee {
    const data = parseInput(PayeeUpdateInputSchema, input, 'payee');
    return this.vault.transaction(() => {
      const before = this.resolvePayee(ref);
      const clash = this.findByName(data.name);
      if (clash !== undefined && clash.id !== before.id) {
        throw new CofferError('DUPLICATE', `A payee named "${clash.name}" already exists`);
      }
      const after: Payee = { ...before, name: data.name, updatedAt: this.vault.now() };
      const changed = editedFields(payeeFields(before), payeeFields(after));
      if (changed === null) return before;
      this.repo.update(after);
      this.vault.changes.record('payees', after.id, 'upsert', changed);
      return after;
    });
  }

  /** Tombstones a payee no live transaction uses. */
  delete(ref: string): void {
    this.vault.transaction(() => {
      const payee = this.resolvePayee(ref);
      const count = this.repo.countLiveTransactions(payee.id);
      if (count > 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Payee "${payee.name}" is used by ${count} transaction(s)`,
        );
      }
      const now = this.vault.now();
      this.repo.tombstone(payee.id, now);
      this.vault.changes.record('payees', payee.id, 'delete', { deletedAt: now, updatedAt: now });
    });
  }

  get(ref: string): Payee {
    return this.resolvePayee(ref);
  }

  list(): Payee[] {
    return this.repo.listAll();
  }

  resolvePayee(ref: string): Payee {
    const wanted = ref.trim();
    if (UUID_PATTERN.test(wanted)) {
      const byId = this.repo.findById(wanted);
      if (byId !== undefined) return byId;
    }
    const byName = NameSchema.safeParse(wanted).success ? this.findByName(wanted) : undefined;
    if (byName !== undefined) return byName;
    throw new CofferError(
      'NOT_FOUND',
      UUID_PATTERN.test(wanted) ? `No payee with id ${wanted}` : `No payee named "${wanted}"`,
    );
  }

  private insert(name: string): Payee {
    const now = this.vault.now();
    const payee: Payee = { id: this.ids.next(), name, createdAt: now, updatedAt: now };
    this.repo.insert(payee);
    this.vault.changes.record('payees', payee.id, 'upsert', payeeFields(payee));
    return payee;
  }
}
