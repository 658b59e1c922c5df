import {
  ContractInputSchema,
  type Contract,
  type ContractInput,
  type ContractStatus,
} from '../../../shared/domain/invoicing.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import type { AttachmentService } from '../attachments/attachment.service.js';
import { IdGenerator } from '../ledger/id-generator.js';
import type { Vault } from '../vault/vault.js';
import {
  storeAttachment,
  summarizeAttachment,
  type AttachmentSource,
  type AttachmentSummary,
} from './attachment-source.js';
import type { ClientService } from './client.service.js';
import { ContractRepository } from './contract.repository.js';
import { parseInput } from '../validation/parse-input.js';
import { editedFields } from '../sync/edited-fields.js';
import { recordFields } from './record-fields.js';
import type { ContractView } from '../../../shared/domain/invoicing.views.js';

export type { ContractView } from '../../../shared/domain/invoicing.views.js';

/**
 * Contracts: draft → sent → signed, and → void from any of those. The document is stored
 * inside the encrypted vault as an attachment; a signed contract's document is frozen.
 */
export class ContractService {
  private readonly repo: ContractRepository;
  private readonly ids: IdGenerator;

  constructor(
    private readonly vault: Vault,
    private readonly clients: ClientService,
    private readonly attachments: AttachmentService,
  ) {
    this.repo = new ContractRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  create(input: ContractInput, file?: AttachmentSource): ContractView {
    const data = parseInput(ContractInputSchema, input, 'contract');
    return this.vault.transaction(() => {
      const client = this.clients.resolve(data.client);
      const attachment = file === undefined ? null : storeAttachment(this.attachments, file);
      const now = this.vault.now();
      const contract: Contract = {
        id: this.ids.next(),
        clientId: client.id,
        title: data.title,
        status: 'draft',
        attachmentId: attachment?.id ?? null,
        notes: data.notes,
        signedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(contract);
      this.vault.changes.record('contracts', contract.id, 'upsert', recordFields(contract));
      return this.view(contract);
    });
  }

  /** Replaces the document of a draft or sent contract; the old file is deleted. */
  attachFile(id: string, file: AttachmentSource): ContractView {
    return this.vault.transaction(() => {
      const before = this.resolve(id);
      assertStatus(before, ['draft', 'sent'], 'given a new document');
      const attachment = storeAttachment(this.attachments, file);
      if (before.attachmentId !== null) this.removeAttachmentQuietly(before.attachmentId);
      return this.write(before, { attachmentId: attachment.id });
    });
  }

  send(id: string): ContractView {
    return this.transition(id, ['draft'], 'sent', {});
  }

  /** Draft or sent → signed at `signedAt` (UTC ms; defaults to now). */
  sign(id: string, signedAt?: number): ContractView {
    if (signedAt !== undefined && (!Number.isSafeInteger(signedAt) || signedAt < 0)) {
      throw new CofferError(
        'INVALID_INPUT',
        'Invalid contract: signedAt: must be a UTC time in milliseconds',
      );
    }
    return this.transition(id, ['draft', 'sent'], 'signed', {
      signedAt: signedAt ?? this.vault.now(),
    });
  }

  voidContract(id: string): ContractView {
    return this.transition(id, ['draft', 'sent', 'signed'], 'void', {});
  }

  /** Tombstones a draft contract and its document. */
  delete(id: string): void {
    this.vault.transaction(() => {
      const contract = this.resolve(id);
      assertStatus(contract, ['draft'], 'deleted (void it instead)');
      const now = this.vault.now();
      this.repo.tombstone(contract.id, now);
      this.vault.changes.record('contracts', contract.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
      if (contract.attachmentId !== null) this.removeAttachmentQuietly(contract.attachmentId);
    });
  }

  get(id: string): ContractView {
    return this.view(this.resolve(id));
  }

  list(filter: { client?: string } = {}): ContractView[] {
    const clientId =
      filter.client === undefined ? undefined : this.clients.resolve(filter.client).id;
    return this.repo.list(clientId === undefined ? {} : { clientId }).map((c) => this.view(c));
  }

  /** The contract document's bytes (checked against its SHA-256). */
  readFile(id: string): { attachment: AttachmentSummary; content: Buffer } {
    const contract = this.resolve(id);
    const attachment = summarizeAttachment(this.attachments, contract.attachmentId);
    if (contract.attachmentId === null || attachment === null) {
      throw new CofferError('NOT_FOUND', `Contract "${contract.title}" has no document`);
    }
    return {
      attachment,
      content: this.attachments.readContent(contract.attachmentId),
    };
  }

  resolve(id: string): Contract {
    const wanted = id.trim();
    const found = UUID_PATTERN.test(wanted) ? this.repo.findById(wanted) : undefined;
    if (found === undefined) throw new CofferError('NOT_FOUND', `No contract with id ${wanted}`);
    return found;
  }

  private transition(
    id: string,
    from: readonly ContractStatus[],
    to: ContractStatus,
    extra: Partial<Pick<Contract, 'signedAt'>>,
  ): ContractView {
    return this.vault.transaction(() => {
      const before = this.resolve(id);
      assertStatus(before, from, to === 'void' ? 'voided' : to);
      return this.write(before, { status: to, ...extra });
    });
  }

  private write(
    before: Contract,
    change: Partial<Pick<Contract, 'status' | 'signedAt' | 'attachmentId'>>,
  ): ContractView {
    const after: Contract = {
      ...before,
      ...change,
      updatedAt: this.vault.now(),
    };
    this.repo.update(after);
    this.vault.changes.record(
      'contracts',
      after.id,
      'upsert',
      editedFields(recordFields(before), recordFields(after)) ?? {
        updatedAt: after.updatedAt,
      },
    );
    return this.view(after);
  }

  private removeAttachmentQuietly(attachmentId: string): void {
    try {
      this.attachments.remove(attachmentId);
    } catch (error) {
      // Already gone (e.g. removed on another device): nothing left to delete.
      if (!(error instanceof CofferError && error.code === 'NOT_FOUND')) throw error;
    }
  }

  private view(contract: Contract): ContractView {
    let clientName = '';
    try {
      clientName = this.clients.resolve(contract.clientId).name;
    } catch {
      // tombstoned on another device
    }
    return {
      ...contract,
      clientName,
      attachment: summarizeAttachment(this.attachments, contract.attachmentId),
    };
  }
}

function assertStatus(
  contract: Contract,
  allowed: readonly ContractStatus[],
  action: string,
): void {
  if (!allowed.includes(contract.status)) {
    throw new CofferError(
      'INVALID_STATE',
      `Contract "${contract.title}" is ${contract.status}; only ${allowed.join(' or ')} contracts can be ${action}`,
      { status: contract.status },
    );
  }
}
