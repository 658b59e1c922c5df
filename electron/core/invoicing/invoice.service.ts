import { addDays } from '../../../shared/dates/iso-date.js';
import {
  InvoiceDraftInputSchema,
  InvoiceIssueInputSchema,
  InvoiceListFilterSchema,
  InvoicePatchSchema,
  type Invoice,
  type InvoiceDraftInput,
  type InvoiceIssueInput,
  type InvoiceListFilter,
  type InvoicePatch,
  type InvoiceStatus,
  type PaymentInstructions,
} from '../../../shared/domain/invoicing.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import {
  effectiveInvoiceStatus,
  storedStatusAfterPayments,
} from '../../../shared/invoice/invoice-status.js';
import { computeDocumentTotals } from '../../../shared/invoice/invoice-totals.js';
import {
  NO_DEPOSIT,
  depositAfterEdit,
  depositFields,
  depositOutstanding,
  refreshDeposit,
  type DepositFields,
} from '../../../shared/invoice/deposit.js';
import { assertDeposit } from './deposit-check.js';
import { IdGenerator } from '../ledger/id-generator.js';
import type { Vault } from '../vault/vault.js';
import type { ClientService } from './client.service.js';
import { materializeLines, type LineContent } from './document-lines.js';
import { LocalInvoiceNumberer, type InvoiceNumberer } from './invoice-numberer.js';
import { WorkspaceInvoiceNumberer, invoiceNumberFloor } from './workspace-invoice-numberer.js';
import type { InvoiceDetail, InvoiceView } from '../../../shared/domain/invoicing.views.js';
import { InvoiceRepository } from './invoice.repository.js';
import { vaultToday } from './invoicing-clock.js';
import { parseInput } from '../validation/parse-input.js';
import { editedFields } from '../sync/edited-fields.js';
import { recordFields } from './record-fields.js';

export type { InvoiceDetail, InvoiceView } from '../../../shared/domain/invoicing.views.js';

/** What quote conversion and recurring generation hand over to make an invoice. */
export interface NewInvoice {
  clientId: string;
  currency: string;
  lines: readonly LineContent[];
  paymentInstructions: PaymentInstructions | null;
  notes: string;
  quoteId: string | null;
  scheduleId: string | null;
  /** A deposit requested on the document it comes from (a percentage follows its total). */
  deposit: DepositFields;
  /** Issue at once (number, dates, status `sent`), or leave a draft when null. */
  issue: { issueDate: string; dueDate: string } | null;
}

export class InvoiceService {
  private readonly repo: InvoiceRepository;
  private readonly ids: IdGenerator;
  private readonly numberer: InvoiceNumberer;

  constructor(
    private readonly vault: Vault,
    private readonly clients: ClientService,
    numberer?: InvoiceNumberer,
  ) {
    this.repo = new InvoiceRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
    this.numberer =
      numberer ??
      new WorkspaceInvoiceNumberer(
        vault.db,
        new LocalInvoiceNumberer(vault.db, (n) => this.repo.isNumberTaken(n)),
      );
  }

  /** A draft: no number; currency defaults to the client's default currency. */
  createDraft(input: InvoiceDraftInput): InvoiceView {
    const data = parseInput(InvoiceDraftInputSchema, input, 'invoice');
    return this.vault.transaction(() => {
      const client = this.clients.resolve(data.client);
      const currency = data.currency ?? client.defaultCurrency;
      if (currency === null) {
        throw new CofferError(
          'INVALID_INPUT',
          `Invalid invoice: currency: client "${client.name}" has no default currency, so the invoice needs one`,
        );
      }
      const { lines } = materializeLines(data.lines, this.ids);
      const totalMinor = computeDocumentTotals(lines).totalMinor;
      const deposit = data.deposit === null ? NO_DEPOSIT : depositFields(data.deposit, totalMinor);
      assertDeposit(deposit, totalMinor, data.dueDate, 'invoice');
      const now = this.vault.now();
      const invoice: Invoice = {
        id: this.ids.next(),
        clientId: client.id,
        number: null,
        currency,
        issueDate: data.issueDate,
        dueDate: data.dueDate,
        status: 'draft',
        lines,
        paymentInstructions: data.paymentInstructions,
        notes: data.notes,
        quoteId: null,
        scheduleId: null,
        ...deposit,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(invoice);
      this.vault.changes.record('invoices', invoice.id, 'upsert', recordFields(invoice));
      return this.view(invoice);
    });
  }

  /** Only a draft can change; `lines`, when given, replace all lines. */
  updateDraft(ref: string, patch: InvoicePatch): InvoiceView {
    const data = parseInput(InvoicePatchSchema, patch, 'invoice');
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      this.assertStatus(before, ['draft'], 'edited');
      const clientId =
        data.client === undefined ? before.clientId : this.clients.resolve(data.client).id;
      const lines =
        data.lines === undefined ? before.lines : materializeLines(data.lines, this.ids).lines;
      const totalMinor = computeDocumentTotals(lines).totalMinor;
      const deposit = depositAfterEdit(before, data.deposit, totalMinor);
      const after: Invoice = {
        ...before,
        ...deposit,
        clientId,
        currency: data.currency ?? before.currency,
        issueDate: data.issueDate === undefined ? before.issueDate : data.issueDate,
        dueDate: data.dueDate === undefined ? before.dueDate : data.dueDate,
        lines,
        paymentInstructions:
          data.paymentInstructions === undefined
            ? before.paymentInstructions
            : data.paymentInstructions,
        notes: data.notes ?? before.notes,
        updatedAt: this.vault.now(),
      };
      assertDueNotBeforeIssue(after.issueDate, after.dueDate);
      assertDeposit(after, totalMinor, after.dueDate, 'invoice');
      const changed = editedFields(recordFields(before), recordFields(after));
      if (changed === null) return this.view(before); // nothing but the timestamp
      this.repo.update(after, data.lines !== undefined);
      this.vault.changes.record('invoices', after.id, 'upsert', changed);
      return this.view(after);
    });
  }

  /**
   * Draft → sent: assigns the next number and the dates. Issue date defaults to the draft's,
   * else today; due date to the draft's, else issue date + `dueDays` (30). `numberer`
   * replaces the vault's own for this one issue (a number the sync server gave; invoice-issuer.ts).
   */
  issue(
    ref: string,
    input: InvoiceIssueInput = {},
    numberer: InvoiceNumberer = this.numberer,
  ): InvoiceView {
    const data = parseInput(InvoiceIssueInputSchema, input, 'invoice issue');
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      this.assertStatus(before, ['draft'], 'issued');
      if (before.lines.length === 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Invoice ${label(before)} has no lines; add at least one before issuing it`,
        );
      }
      const issueDate = data.issueDate ?? before.issueDate ?? vaultToday(this.vault);
      const dueDate = data.dueDate ?? before.dueDate ?? addDays(issueDate, data.dueDays);
      assertDueNotBeforeIssue(issueDate, dueDate);
      assertDeposit(before, computeDocumentTotals(before.lines).totalMinor, dueDate, 'invoice');
      const after: Invoice = {
        ...before,
        number: numberer.next(before.id),
        issueDate,
        dueDate,
        status: 'sent',
        updatedAt: this.vault.now(),
      };
      this.repo.update(after, false);
      this.vault.changes.record(
        'invoices',
        after.id,
        'upsert',
        editedFields(recordFields(before), recordFields(after)) ?? {
          updatedAt: after.updatedAt,
        },
      );
      return this.view(after);
    });
  }

  /** The lowest number a sync server may give this vault's next invoice (invoice-issuer.ts). */
  numberFloor(): number {
    return invoiceNumberFloor(this.vault.db);
  }

  /** A draft or an unpaid issued invoice becomes void (its number stays used). */
  voidInvoice(ref: string): InvoiceView {
    return this.vault.transaction(() => {
      const before = this.resolve(ref);
      if (before.status !== 'void' && this.repo.paidMinor(before.id) > 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Invoice ${label(before)} has payments allocated to it; delete those payments before voiding it`,
          { status: before.status },
        );
      }
      this.assertStatus(before, ['draft', 'sent'], 'voided');
      return this.writeStatus(before, 'void');
    });
  }

  /** Tombstones a draft. Issued invoices are voided, never deleted: their number must stay accounted for. */
  deleteDraft(ref: string): void {
    this.vault.transaction(() => {
      const invoice = this.resolve(ref);
      this.assertStatus(invoice, ['draft'], 'deleted (void it instead)');
      if (invoice.quoteId !== null) {
        throw new CofferError(
          'INVALID_STATE',
          `Draft invoice ${label(invoice)} was converted from a quote; void it instead of deleting it`,
        );
      }
      const now = this.vault.now();
      this.repo.tombstone(invoice.id, now);
      this.vault.changes.record('invoices', invoice.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
    });
  }

  /** By id or number, with totals, payments, balance due and effective status as of `today`. */
  get(ref: string, today: string = vaultToday(this.vault)): InvoiceDetail {
    const invoice = this.resolve(ref);
    return {
      ...this.view(invoice, today),
      payments: this.repo.paymentsFor(invoice.id),
    };
  }

  /** Live invoices, optionally of one client and/or one effective status (e.g. `overdue`). */
  list(filter: InvoiceListFilter = {}, today: string = vaultToday(this.vault)): InvoiceView[] {
    const data = parseInput(InvoiceListFilterSchema, filter, 'invoice filter');
    const clientId = data.client === undefined ? undefined : this.clients.resolve(data.client).id;
    const paid = this.repo.paidByInvoice();
    const names = new Map(this.clients.list().map((c) => [c.id, c.name]));
    const views = this.repo
      .list(clientId === undefined ? {} : { clientId })
      .map((invoice) =>
        this.viewWith(invoice, paid.get(invoice.id) ?? 0, names.get(invoice.clientId) ?? '', today),
      );
    return data.status === undefined
      ? views
      : views.filter((v) => v.effectiveStatus === data.status);
  }

  /** A live invoice by id or by number (case-insensitive). */
  resolve(ref: string): Invoice {
    const wanted = ref.trim();
    const found = UUID_PATTERN.test(wanted)
      ? this.repo.findById(wanted)
      : this.repo.findByNumber(wanted);
    if (found !== undefined) return found;
    throw new CofferError(
      'NOT_FOUND',
      UUID_PATTERN.test(wanted)
        ? `No invoice with id ${wanted}`
        : `No invoice numbered "${wanted}"`,
    );
  }

  // ---- used by the quote, payment and recurring services, inside their transactions ----

  /** Creates an invoice from another document's lines, as a draft or issued at once. */
  createFrom(source: NewInvoice): Invoice {
    return this.vault.transaction(() => {
      const { lines } = materializeLines(source.lines, this.ids);
      const totalMinor = computeDocumentTotals(lines).totalMinor;
      const deposit = refreshDeposit(source.deposit, totalMinor);
      assertDeposit(deposit, totalMinor, source.issue?.dueDate ?? null, 'invoice');
      const now = this.vault.now();
      const id = this.ids.next();
      const invoice: Invoice = {
        id,
        clientId: source.clientId,
        number: source.issue === null ? null : this.numberer.next(id),
        currency: source.currency,
        issueDate: source.issue?.issueDate ?? null,
        dueDate: source.issue?.dueDate ?? null,
        status: source.issue === null ? 'draft' : 'sent',
        lines,
        paymentInstructions: source.paymentInstructions,
        notes: source.notes,
        quoteId: source.quoteId,
        scheduleId: source.scheduleId,
        ...deposit,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(invoice);
      this.vault.changes.record('invoices', invoice.id, 'upsert', recordFields(invoice));
      return invoice;
    });
  }

  /** Total and amount already paid, for payment validation. */
  amounts(invoice: Invoice): {
    totalMinor: number;
    paidMinor: number;
    balanceDueMinor: number;
  } {
    const totalMinor = computeDocumentTotals(invoice.lines).totalMinor;
    const paidMinor = this.repo.paidMinor(invoice.id);
    return { totalMinor, paidMinor, balanceDueMinor: totalMinor - paidMinor };
  }

  /** Re-derives the stored status (sent / partially_paid / paid) after payments changed. */
  refreshPaymentStatus(invoiceId: string): Invoice {
    const invoice = this.resolve(invoiceId);
    const { totalMinor, paidMinor } = this.amounts(invoice);
    const status = storedStatusAfterPayments(invoice.status, paidMinor, totalMinor);
    if (status === invoice.status) return invoice;
    this.writeStatus(invoice, status);
    return { ...invoice, status };
  }

  view(invoice: Invoice, today: string = vaultToday(this.vault)): InvoiceView {
    const clientName = this.clientName(invoice.clientId);
    return this.viewWith(invoice, this.repo.paidMinor(invoice.id), clientName, today);
  }

  private viewWith(
    invoice: Invoice,
    paidMinor: number,
    clientName: string,
    today: string,
  ): InvoiceView {
    const totals = computeDocumentTotals(invoice.lines);
    return {
      ...invoice,
      clientName,
      totals,
      paidMinor,
      balanceDueMinor: invoice.status === 'void' ? 0 : totals.totalMinor - paidMinor,
      depositOutstandingMinor:
        invoice.status === 'void' ? 0 : depositOutstanding(invoice.depositMinor, paidMinor),
      effectiveStatus: effectiveInvoiceStatus(invoice, paidMinor, totals.totalMinor, today),
    };
  }

  private clientName(clientId: string): string {
    try {
      return this.clients.resolve(clientId).name;
    } catch {
      return '';
    }
  }

  private writeStatus(before: Invoice, status: InvoiceStatus): InvoiceView {
    const after: Invoice = { ...before, status, updatedAt: this.vault.now() };
    this.repo.update(after, false);
    this.vault.changes.record('invoices', after.id, 'upsert', {
      status,
      updatedAt: after.updatedAt,
    });
    return this.view(after);
  }

  private assertStatus(invoice: Invoice, allowed: readonly InvoiceStatus[], action: string): void {
    if (!allowed.includes(invoice.status)) {
      throw new CofferError(
        'INVALID_STATE',
        `Invoice ${label(invoice)} is ${invoice.status.replace('_', ' ')}; only ${allowed.join(' or ')} invoices can be ${action}`,
        { status: invoice.status },
      );
    }
  }
}

function label(invoice: Invoice): string {
  return invoice.number ?? `(draft ${invoice.id})`;
}

function assertDueNotBeforeIssue(issueDate: string | null, dueDate: string | null): void {
  if (issueDate !== null && dueDate !== null && dueDate < issueDate) {
    throw new CofferError(
      'INVALID_DATE',
      `The due date ${dueDate} is before the issue date ${issueDate}`,
    );
  }
}
