import {
  InvoicePaymentInputSchema,
  PaymentInputSchema,
  type Invoice,
  type InvoicePaymentInput,
  type Payment,
  type PaymentAllocation,
  type PaymentInput,
} from '../../../shared/domain/invoicing.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { minorToDecimalString } from '../../../shared/money/format-money.js';
import { IdGenerator } from '../ledger/id-generator.js';
import { StatementCache } from '../ledger/statement-cache.js';
import type { Vault } from '../vault/vault.js';
import type { ClientService } from './client.service.js';
import type { InvoiceService } from './invoice.service.js';
import { vaultToday } from './invoicing-clock.js';
import { parseInput } from '../validation/parse-input.js';
import { PaymentRepository } from './payment.repository.js';
import type { PaymentView } from '../../../shared/domain/invoicing.views.js';
import { recordFields } from './record-fields.js';

export type { PaymentAllocationView, PaymentView } from '../../../shared/domain/invoicing.views.js';

/**
 * Payments received, allocated to one or more invoices. Recording one re-derives each
 * allocated invoice's stored status (partially_paid / paid) in the same transaction.
 */
export class PaymentService {
  private readonly repo: PaymentRepository;
  private readonly sql: StatementCache;
  private readonly ids: IdGenerator;

  constructor(
    private readonly vault: Vault,
    private readonly clients: ClientService,
    private readonly invoices: InvoiceService,
  ) {
    this.repo = new PaymentRepository(vault.db);
    this.sql = new StatementCache(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  /**
   * Errors, with nothing written: an allocated invoice that is a draft or void
   * (INVALID_STATE), in another currency (CURRENCY_MISMATCH), or allocated more than its
   * balance due (OVERPAYMENT); allocations adding up to more than the payment, or naming
   * one invoice twice, or an invoice of another client (INVALID_INPUT); unknown client,
   * invoice or account (NOT_FOUND).
   */
  record(input: PaymentInput): PaymentView {
    const data = parseInput(PaymentInputSchema, input, 'payment');
    return this.vault.transaction(() => {
      const client = data.client === null ? null : this.clients.resolve(data.client);
      if (data.accountId !== null) this.assertAccountExists(data.accountId);

      const allocated = data.allocations.reduce((sum, a) => sum + BigInt(a.amountMinor), 0n);
      if (allocated > BigInt(data.amountMinor)) {
        throw new CofferError(
          'INVALID_INPUT',
          `Invalid payment: allocations: they add up to ${money(allocated, data.currency)} ${data.currency}, more than the payment of ${money(data.amountMinor, data.currency)}`,
        );
      }

      const allocations: PaymentAllocation[] = [];
      const invoices: Invoice[] = [];
      for (const a of data.allocations) {
        const invoice = this.invoices.resolve(a.invoice);
        if (invoices.some((i) => i.id === invoice.id)) {
          throw new CofferError(
            'INVALID_INPUT',
            `Invalid payment: allocations: invoice ${a.invoice} is named twice`,
          );
        }
        this.assertPayable(
          invoice,
          a.amountMinor,
          data.currency,
          client?.id ?? null,
          client?.name ?? null,
        );
        invoices.push(invoice);
        allocations.push({ invoiceId: invoice.id, amountMinor: a.amountMinor });
      }

      const invoiceClients = new Set(invoices.map((i) => i.clientId));
      const clientId =
        client?.id ?? (invoiceClients.size === 1 ? ([...invoiceClients][0] ?? null) : null);
      const now = this.vault.now();
      const payment: Payment = {
        id: this.ids.next(),
        clientId,
        date: data.date,
        amountMinor: data.amountMinor,
        currency: data.currency,
        method: data.method,
        reference: data.reference,
        allocations,
        accountId: data.accountId,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(payment);
      this.vault.changes.record('payments', payment.id, 'upsert', recordFields(payment));
      for (const invoice of invoices) this.invoices.refreshPaymentStatus(invoice.id);
      return this.view(payment);
    });
  }

  /**
   * Pays one invoice (by id or number). Amount defaults to the balance due, currency to
   * the invoice's, date to today; the client is the invoice's.
   */
  payInvoice(ref: string, input: InvoicePaymentInput = {}): PaymentView {
    const data = parseInput(InvoicePaymentInputSchema, input, 'payment');
    return this.vault.transaction(() => {
      const invoice = this.invoices.resolve(ref);
      let amountMinor = data.amountMinor;
      if (amountMinor === undefined) {
        this.assertPayable(invoice, 0, invoice.currency, null, null);
        const { balanceDueMinor } = this.invoices.amounts(invoice);
        if (balanceDueMinor <= 0) {
          throw new CofferError(
            'INVALID_STATE',
            `Invoice ${invoice.number ?? invoice.id} has nothing left to pay`,
          );
        }
        amountMinor = balanceDueMinor;
      }
      return this.record({
        client: invoice.clientId,
        date: data.date ?? vaultToday(this.vault),
        amountMinor,
        currency: data.currency ?? invoice.currency,
        method: data.method,
        reference: data.reference,
        allocations: [{ invoice: invoice.id, amountMinor }],
        accountId: data.accountId,
      });
    });
  }

  /** Tombstones a payment; its invoices go back to partially_paid or sent. */
  delete(id: string): void {
    this.vault.transaction(() => {
      const payment = this.resolve(id);
      const now = this.vault.now();
      this.repo.tombstone(payment.id, now);
      this.vault.changes.record('payments', payment.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
      for (const a of payment.allocations) this.invoices.refreshPaymentStatus(a.invoiceId);
    });
  }

  get(id: string): PaymentView {
    return this.view(this.resolve(id));
  }

  /** Live payments, newest first; `client` is an id or name, `invoice` an id or number. */
  list(filter: { client?: string; invoice?: string } = {}): PaymentView[] {
    const clientId =
      filter.client === undefined ? undefined : this.clients.resolve(filter.client).id;
    const invoiceId =
      filter.invoice === undefined ? undefined : this.invoices.resolve(filter.invoice).id;
    return this.repo
      .list({
        ...(clientId === undefined ? {} : { clientId }),
        ...(invoiceId === undefined ? {} : { invoiceId }),
      })
      .map((p) => this.view(p));
  }

  resolve(id: string): Payment {
    const wanted = id.trim();
    const found = UUID_PATTERN.test(wanted) ? this.repo.findById(wanted) : undefined;
    if (found === undefined) throw new CofferError('NOT_FOUND', `No payment with id ${wanted}`);
    return found;
  }

  private assertPayable(
    invoice: Invoice,
    amountMinor: number,
    currency: string,
    clientId: string | null,
    clientName: string | null,
  ): void {
    const label = invoice.number ?? `(draft ${invoice.id})`;
    if (invoice.status === 'draft' || invoice.status === 'void') {
      throw new CofferError(
        'INVALID_STATE',
        `Invoice ${label} is ${invoice.status}; only issued invoices can be paid`,
        { status: invoice.status },
      );
    }
    if (invoice.currency !== currency) {
      throw new CofferError(
        'CURRENCY_MISMATCH',
        `Invoice ${label} is in ${invoice.currency}; a ${currency} payment cannot be allocated to it`,
      );
    }
    if (clientId !== null && invoice.clientId !== clientId) {
      throw new CofferError(
        'INVALID_INPUT',
        `Invalid payment: invoice ${label} belongs to another client than "${clientName ?? clientId}"`,
      );
    }
    const { balanceDueMinor } = this.invoices.amounts(invoice);
    if (amountMinor > balanceDueMinor) {
      throw new CofferError(
        'OVERPAYMENT',
        `Invoice ${label} has ${money(balanceDueMinor, currency)} ${currency} left to pay; ${money(amountMinor, currency)} cannot be allocated to it`,
        { balanceDueMinor, amountMinor },
      );
    }
  }

  private assertAccountExists(accountId: string): void {
    const found = this.sql
      .get<[string], { id: string }>('SELECT id FROM accounts WHERE id = ? AND deleted_at IS NULL')
      .get(accountId);
    if (found === undefined) throw new CofferError('NOT_FOUND', `No account with id ${accountId}`);
  }

  private view(payment: Payment): PaymentView {
    const allocated = payment.allocations.reduce((sum, a) => sum + a.amountMinor, 0);
    let clientName: string | null = null;
    if (payment.clientId !== null) {
      try {
        clientName = this.clients.resolve(payment.clientId).name;
      } catch {
        // tombstoned on another device; the payment still reads
      }
    }
    return {
      ...payment,
      clientName,
      allocations: payment.allocations.map((a) => ({
        ...a,
        invoiceNumber: this.invoiceNumber(a.invoiceId),
      })),
      unallocatedMinor: payment.amountMinor - allocated,
    };
  }

  private invoiceNumber(invoiceId: string): string | null {
    return (
      this.sql
        .get<[string], { number: string | null }>('SELECT number FROM invoices WHERE id = ?')
        .get(invoiceId)?.number ?? null
    );
  }
}

function money(amountMinor: number | bigint, currency: string): string {
  return minorToDecimalString(Number(amountMinor), currency);
}
