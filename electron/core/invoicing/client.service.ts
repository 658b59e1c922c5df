import {
  ClientInputSchema,
  ClientPatchSchema,
  type Client,
  type ClientInput,
  type ClientPatch,
} from '../../../shared/domain/invoicing.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { IdGenerator } from '../ledger/id-generator.js';
import { nameKey } from '../ledger/name-key.js';
import type { Vault } from '../vault/vault.js';
import { ClientRepository } from './client.repository.js';
import { parseInput } from '../validation/parse-input.js';
import { editedFields } from '../sync/edited-fields.js';
import { recordFields } from './record-fields.js';

export class ClientService {
  private readonly repo: ClientRepository;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new ClientRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  /** DUPLICATE when a live client already has the name (case-insensitive). */
  create(input: ClientInput): Client {
    const data = parseInput(ClientInputSchema, input, 'client');
    return this.vault.transaction(() => {
      this.assertNameFree(data.name, null);
      const now = this.vault.now();
      const client: Client = {
        id: this.ids.next(),
        ...data,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(client);
      this.vault.changes.record('clients', client.id, 'upsert', recordFields(client));
      return client;
    });
  }

  /** `ref` is an id or a name; only the fields given change. */
  update(ref: string, patch: ClientPatch): Client {
    const data = parseInput(ClientPatchSchema, patch, 'client');
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      if (data.name !== undefined) this.assertNameFree(data.name, before.id);
      const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
      const after: Client = {
        ...before,
        ...defined,
        updatedAt: this.vault.now(),
      };
      const changed = editedFields(recordFields(before), recordFields(after));
      if (changed === null) return before; // nothing but the timestamp
      this.repo.update(after);
      this.vault.changes.record('clients', after.id, 'upsert', changed);
      return after;
    });
  }

  /** Tombstones a client no live invoice, quote, payment, schedule or contract points at. */
  delete(ref: string): void {
    this.vault.transaction(() => {
      const client = this.resolve(ref);
      const count = this.repo.countLiveDocuments(client.id);
      if (count > 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Client "${client.name}" has ${count} invoice(s), quote(s), payment(s), schedule(s) or contract(s); it cannot be deleted`,
        );
      }
      const now = this.vault.now();
      this.repo.tombstone(client.id, now);
      this.vault.changes.record('clients', client.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
    });
  }

  get(ref: string): Client {
    return this.resolve(ref);
  }

  list(): Client[] {
    return this.repo.listAll();
  }

  /**
   * A live client by id, or by name (case-insensitive). NOT_FOUND when none matches;
   * DUPLICATE when a name matches several (two devices created it offline): use the id.
   */
  resolve(ref: string): Client {
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
        `Several clients are named "${wanted}"; use the client id`,
        {
          ids: matches.map((c) => c.id),
        },
      );
    }
    throw new CofferError(
      'NOT_FOUND',
      UUID_PATTERN.test(wanted) ? `No client with id ${wanted}` : `No client named "${wanted}"`,
    );
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const key = nameKey(name);
    const clash = this.repo.listAll().find((c) => c.id !== exceptId && nameKey(c.name) === key);
    if (clash !== undefined) {
      throw new CofferError('DUPLICATE', `A client named "${clash.name}" already exists`);
    }
  }
}
