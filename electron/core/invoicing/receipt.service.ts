import { IsoDateSchema } from '../../../shared/dates/iso-date.js';
import {
  ReceiptInputSchema,
  type Receipt,
  type ReceiptInput,
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
import { parseInput } from '../validation/parse-input.js';
import { ReceiptRepository } from './receipt.repository.js';
import { editedFields } from '../sync/edited-fields.js';
import { recordFields } from './record-fields.js';
import type { ReceiptView } from '../../../shared/domain/invoicing.views.js';

export type { ReceiptView } from '../../../shared/domain/invoicing.views.js';

/**
 * Receipts: a scanned or photographed receipt stored inside the encrypted vault, with what
 * it says (date, merchant, amount) and, optionally, the ledger transaction it backs.
 */
export class ReceiptService {
  private readonly repo: ReceiptRepository;
  private readonly ids: IdGenerator;

  constructor(
    private readonly vault: Vault,
    private readonly attachments: AttachmentService,
  ) {
    this.repo = new ReceiptRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  /**
   * The file is required. A linked transaction must exist (NOT_FOUND) and, when the
   * receipt states an amount, be in the same currency (CURRENCY_MISMATCH).
   */
  create(input: ReceiptInput, file: AttachmentSource): ReceiptView {
    const data = parseInput(ReceiptInputSchema, input, 'receipt');
    return this.vault.transaction(() => {
      if (data.transactionId !== null) this.assertTransaction(data.transactionId, data.currency);
      const attachment = storeAttachment(this.attachments, file);
      const now = this.vault.now();
      const receipt: Receipt = {
        id: this.ids.next(),
        transactionId: data.transactionId,
        date: data.date,
        merchant: data.merchant,
        amountMinor: data.amountMinor,
        currency: data.currency,
        attachmentId: attachment.id,
        notes: data.notes,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(receipt);
      this.vault.changes.record('receipts', receipt.id, 'upsert', recordFields(receipt));
      return this.view(receipt);
    });
  }

  /** Links the receipt to a ledger transaction, or unlinks it with null. */
  linkTransaction(id: string, transactionId: string | null): ReceiptView {
    return this.vault.transaction(() => {
      const before = this.resolve(id);
      if (transactionId !== null) {
        if (!UUID_PATTERN.test(transactionId))
          throw new CofferError('NOT_FOUND', `No transaction with id ${transactionId}`);
        this.assertTransaction(transactionId, before.currency);
      }
      const after: Receipt = {
        ...before,
        transactionId,
        updatedAt: this.vault.now(),
      };
      const changed = editedFields(recordFields(before), recordFields(after));
      if (changed === null) return this.view(before); // nothing but the timestamp
      this.repo.update(after);
      this.vault.changes.record('receipts', after.id, 'upsert', changed);
      return this.view(after);
    });
  }

  /** Tombstones the receipt and its file. */
  delete(id: string): void {
    this.vault.transaction(() => {
      const receipt = this.resolve(id);
      const now = this.vault.now();
      this.repo.tombstone(receipt.id, now);
      this.vault.changes.record('receipts', receipt.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
      try {
        this.attachments.remove(receipt.attachmentId);
      } catch (error) {
        if (!(error instanceof CofferError && error.code === 'NOT_FOUND')) throw error;
      }
    });
  }

  get(id: string): ReceiptView {
    return this.view(this.resolve(id));
  }

  /** Newest first; `from`/`to` are inclusive dates. */
  list(filter: { from?: string; to?: string; transactionId?: string } = {}): ReceiptView[] {
    for (const [name, value] of Object.entries({
      from: filter.from,
      to: filter.to,
    })) {
      if (value !== undefined && !IsoDateSchema.safeParse(value).success) {
        throw new CofferError(
          'INVALID_DATE',
          `Invalid receipt filter: ${name}: ${value} is not a YYYY-MM-DD date`,
        );
      }
    }
    return this.repo.list(filter).map((r) => this.view(r));
  }

  /** The receipt file's bytes (checked against its SHA-256). */
  readFile(id: string): { attachment: AttachmentSummary; content: Buffer } {
    const receipt = this.resolve(id);
    const attachment = summarizeAttachment(this.attachments, receipt.attachmentId);
    if (attachment === null)
      throw new CofferError('NOT_FOUND', `The file of receipt ${receipt.id} is not in this vault`);
    return {
      attachment,
      content: this.attachments.readContent(receipt.attachmentId),
    };
  }

  resolve(id: string): Receipt {
    const wanted = id.trim();
    const found = UUID_PATTERN.test(wanted) ? this.repo.findById(wanted) : undefined;
    if (found === undefined) throw new CofferError('NOT_FOUND', `No receipt with id ${wanted}`);
    return found;
  }

  private assertTransaction(transactionId: string, receiptCurrency: string | null): void {
    const currency = this.repo.transactionCurrency(transactionId);
    if (currency === undefined)
      throw new CofferError('NOT_FOUND', `No transaction with id ${transactionId}`);
    if (receiptCurrency !== null && receiptCurrency !== currency) {
      throw new CofferError(
        'CURRENCY_MISMATCH',
        `The receipt is in ${receiptCurrency} but transaction ${transactionId} is in ${currency}`,
      );
    }
  }

  private view(receipt: Receipt): ReceiptView {
    return {
      ...receipt,
      attachment: summarizeAttachment(this.attachments, receipt.attachmentId),
    };
  }
}
