import {
  QuoteInputSchema,
  QuotePatchSchema,
  QuoteStatusSchema,
  type Quote,
  type QuoteInput,
  type QuotePatch,
  type QuoteStatus,
} from '../../../shared/domain/invoicing.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { computeDocumentTotals } from '../../../shared/invoice/invoice-totals.js';
import { NO_DEPOSIT, depositAfterEdit, depositFields } from '../../../shared/invoice/deposit.js';
import { assertDeposit } from './deposit-check.js';
import { effectiveQuoteStatus } from '../../../shared/invoice/quote-status.js';
import { IdGenerator } from '../ledger/id-generator.js';
import type { Vault } from '../vault/vault.js';
import type { ClientService } from './client.service.js';
import { materializeLines } from './document-lines.js';
import {
  LocalInvoiceNumberer,
  QUOTE_NUMBER_PREFIX,
  type InvoiceNumberer,
} from './invoice-numberer.js';
import type { InvoiceService } from './invoice.service.js';
import type { QuoteConversion, QuoteView } from '../../../shared/domain/invoicing.views.js';
import { vaultToday } from './invoicing-clock.js';
import { parseInput } from '../validation/parse-input.js';
import { QuoteRepository } from './quote.repository.js';
import { editedFields } from '../sync/edited-fields.js';
import { recordFields } from './record-fields.js';

export type { QuoteConversion, QuoteView } from '../../../shared/domain/invoicing.views.js';

/**
 * Quotes: draft → sent → accepted | declined, and → converted into a draft invoice
 * (from draft, sent or accepted). Quote numbers (`QUO-0001`) are assigned when sent.
 */
export class QuoteService {
  private readonly repo: QuoteRepository;
  private readonly ids: IdGenerator;
  private readonly numberer: InvoiceNumberer;

  constructor(
    private readonly vault: Vault,
    private readonly clients: ClientService,
    private readonly invoices: InvoiceService,
    numberer?: InvoiceNumberer,
  ) {
    this.repo = new QuoteRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
    this.numberer =
      numberer ??
      new LocalInvoiceNumberer(vault.db, (n) => this.repo.isNumberTaken(n), QUOTE_NUMBER_PREFIX);
  }

  create(input: QuoteInput): QuoteView {
    const data = parseInput(QuoteInputSchema, input, 'quote');
    return this.vault.transaction(() => {
      const client = this.clients.resolve(data.client);
      const currency = data.currency ?? client.defaultCurrency;
      if (currency === null) {
        throw new CofferError(
          'INVALID_INPUT',
          `Invalid quote: currency: client "${client.name}" has no default currency, so the quote needs one`,
        );
      }
      const issueDate = data.issueDate ?? vaultToday(this.vault);
      if (data.validUntil !== null && data.validUntil < issueDate) {
        throw new CofferError(
          'INVALID_DATE',
          `The quote's valid-until date ${data.validUntil} is before its issue date ${issueDate}`,
        );
      }
      const lines = materializeLines(data.lines, this.ids).lines;
      const totalMinor = computeDocumentTotals(lines).totalMinor;
      const deposit = data.deposit === null ? NO_DEPOSIT : depositFields(data.deposit, totalMinor);
      assertDeposit(deposit, totalMinor, null, 'quote');
      const now = this.vault.now();
      const quote: Quote = {
        id: this.ids.next(),
        clientId: client.id,
        number: null,
        currency,
        issueDate,
        validUntil: data.validUntil,
        status: 'draft',
        lines,
        notes: data.notes,
        convertedInvoiceId: null,
        ...deposit,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(quote);
      this.vault.changes.record('quotes', quote.id, 'upsert', recordFields(quote));
      return this.view(quote);
    });
  }

  /** Only a draft can change; `lines`, when given, replace all lines. */
  update(ref: string, patch: QuotePatch): QuoteView {
    const data = parseInput(QuotePatchSchema, patch, 'quote');
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      this.assertStatus(before, ['draft'], 'edited');
      const lines =
        data.lines === undefined ? before.lines : materializeLines(data.lines, this.ids).lines;
      const totalMinor = computeDocumentTotals(lines).totalMinor;
      const deposit = depositAfterEdit(before, data.deposit, totalMinor);
      assertDeposit(deposit, totalMinor, null, 'quote');
      const after: Quote = {
        ...before,
        ...deposit,
        currency: data.currency ?? before.currency,
        issueDate: data.issueDate ?? before.issueDate,
        validUntil: data.validUntil === undefined ? before.validUntil : data.validUntil,
        lines,
        notes: data.notes ?? before.notes,
        updatedAt: this.vault.now(),
      };
      if (after.validUntil !== null && after.validUntil < after.issueDate) {
        throw new CofferError(
          'INVALID_DATE',
          `The quote's valid-until date ${after.validUntil} is before its issue date ${after.issueDate}`,
        );
      }
      const changed = editedFields(recordFields(before), recordFields(after));
      if (changed === null) return this.view(before); // nothing but the timestamp
      this.repo.update(after, data.lines !== undefined);
      this.vault.changes.record('quotes', after.id, 'upsert', changed);
      return this.view(after);
    });
  }

  /** Draft → sent; assigns the quote number. */
  send(ref: string): QuoteView {
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      this.assertStatus(before, ['draft'], 'sent');
      if (before.lines.length === 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Quote ${label(before)} has no lines; add at least one before sending it`,
        );
      }
      return this.write(before, {
        status: 'sent',
        number: before.number ?? this.numberer.next(),
      });
    });
  }

  /** Sent (and not expired) → accepted. */
  accept(ref: string): QuoteView {
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      this.assertEffectiveStatus(before, ['sent'], 'accepted');
      return this.write(before, { status: 'accepted' });
    });
  }

  /** Sent → declined (an expired quote can still be declined). */
  decline(ref: string): QuoteView {
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      this.assertStatus(before, ['sent'], 'declined');
      return this.write(before, { status: 'declined' });
    });
  }

  /**
   * Creates a DRAFT invoice with the quote's client, currency and lines, marks the quote
   * converted and links both ways. Converting twice, or a declined or expired quote, is
   * INVALID_STATE.
   */
  convert(ref: string): QuoteConversion {
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      this.assertEffectiveStatus(before, ['draft', 'sent', 'accepted'], 'converted to an invoice');
      if (before.lines.length === 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Quote ${label(before)} has no lines; add at least one before converting it`,
        );
      }
      const invoice = this.invoices.createFrom({
        clientId: before.clientId,
        currency: before.currency,
        lines: before.lines,
        paymentInstructions: null,
        notes: before.notes,
        quoteId: before.id,
        scheduleId: null,
        deposit: {
          depositMinor: before.depositMinor,
          depositPpm: before.depositPpm,
          depositDueDate: before.depositDueDate,
        },
        issue: null,
      });
      const quote = this.write(before, {
        status: 'converted',
        convertedInvoiceId: invoice.id,
      });
      return { quote, invoice: this.invoices.view(invoice) };
    });
  }

  get(ref: string, today: string = vaultToday(this.vault)): QuoteView {
    return this.view(this.resolve(ref), today);
  }

  list(
    filter: { client?: string; status?: QuoteStatus } = {},
    today: string = vaultToday(this.vault),
  ): QuoteView[] {
    if (filter.status !== undefined && !QuoteStatusSchema.safeParse(filter.status).success) {
      throw new CofferError(
        'INVALID_INPUT',
        `Invalid quote filter: status: must be one of ${QuoteStatusSchema.options.join(', ')}`,
      );
    }
    const clientId =
      filter.client === undefined ? undefined : this.clients.resolve(filter.client).id;
    const views = this.repo
      .list(clientId === undefined ? {} : { clientId })
      .map((q) => this.view(q, today));
    return filter.status === undefined
      ? views
      : views.filter((v) => v.effectiveStatus === filter.status);
  }

  /**
   * Tombstones a draft quote. A sent quote was seen by the client under its number: decline
   * it instead, so the number stays accounted for.
   */
  deleteDraft(ref: string): void {
    this.vault.transaction(() => {
      const quote = this.resolve(ref);
      this.assertStatus(quote, ['draft'], 'deleted (decline it instead)');
      const now = this.vault.now();
      this.repo.tombstone(quote.id, now);
      this.vault.changes.record('quotes', quote.id, 'delete', { deletedAt: now });
    });
  }

  /** A live quote by id or by number (case-insensitive). */
  resolve(ref: string): Quote {
    const wanted = ref.trim();
    const found = UUID_PATTERN.test(wanted)
      ? this.repo.findById(wanted)
      : this.repo.findByNumber(wanted);
    if (found !== undefined) return found;
    throw new CofferError(
      'NOT_FOUND',
      UUID_PATTERN.test(wanted) ? `No quote with id ${wanted}` : `No quote numbered "${wanted}"`,
    );
  }

  private write(
    before: Quote,
    change: Partial<Pick<Quote, 'status' | 'number' | 'convertedInvoiceId'>>,
  ): QuoteView {
    const after: Quote = { ...before, ...change, updatedAt: this.vault.now() };
    this.repo.update(after, false);
    this.vault.changes.record(
      'quotes',
      after.id,
      'upsert',
      editedFields(recordFields(before), recordFields(after)) ?? {
        updatedAt: after.updatedAt,
      },
    );
    return this.view(after);
  }

  private view(quote: Quote, today: string = vaultToday(this.vault)): QuoteView {
    let clientName = '';
    try {
      clientName = this.clients.resolve(quote.clientId).name;
    } catch {
      // a client tombstoned on another device; the quote still reads
    }
    return {
      ...quote,
      clientName,
      totals: computeDocumentTotals(quote.lines),
      effectiveStatus: effectiveQuoteStatus(quote, today),
    };
  }

  private assertStatus(quote: Quote, allowed: readonly QuoteStatus[], action: string): void {
    if (!allowed.includes(quote.status)) throw stateError(quote, quote.status, allowed, action);
  }

  private assertEffectiveStatus(
    quote: Quote,
    allowed: readonly QuoteStatus[],
    action: string,
  ): void {
    const status = effectiveQuoteStatus(quote, vaultToday(this.vault));
    if (!allowed.includes(status)) throw stateError(quote, status, allowed, action);
  }
}

function label(quote: Quote): string {
  return quote.number ?? `(draft ${quote.id})`;
}

function stateError(
  quote: Quote,
  status: QuoteStatus,
  allowed: readonly QuoteStatus[],
  action: string,
): CofferError {
  const extra =
    status === 'converted' && quote.convertedInvoiceId !== null
      ? ` (invoice ${quote.convertedInvoiceId})`
      : '';
  return new CofferError(
    'INVALID_STATE',
    `Quote ${label(quote)} is ${status}${extra}; only ${allowed.join(', ')} quotes can be ${action}`,
    { status },
  );
}
