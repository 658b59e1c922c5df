import { NO_DEPOSIT, depositFields } from '../../../shared/invoice/deposit.js';
import { computeDocumentTotals } from '../../../shared/invoice/invoice-totals.js';
import { assertDeposit } from './deposit-check.js';
import { addDays } from '../../../shared/dates/iso-date.js';
import {
  RecurringScheduleInputSchema,
  type RecurringSchedule,
  type RecurringScheduleInput,
} from '../../../shared/domain/invoicing.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { dueOccurrences, occurrenceAfter } from '../../../shared/invoice/recurrence.js';
import { IdGenerator } from '../ledger/id-generator.js';
import type { Vault } from '../vault/vault.js';
import type { ClientService } from './client.service.js';
import { materializeLines } from './document-lines.js';
import type { InvoiceService } from './invoice.service.js';
import type { GeneratedInvoice } from '../../../shared/domain/invoicing.views.js';
import { vaultToday } from './invoicing-clock.js';
import { parseInput } from '../validation/parse-input.js';
import { RecurringRepository } from './recurring.repository.js';
import { editedFields } from '../sync/edited-fields.js';
import { recordFields } from './record-fields.js';

export type { GeneratedInvoice } from '../../../shared/domain/invoicing.views.js';

/**
 * Recurring-invoice schedules. `generateDue(today)` ISSUES an invoice (number assigned,
 * status `sent`) for every occurrence on or before today: issue date = the occurrence
 * date, due date = issue date + `dueDays`, lines/currency/client/payment instructions/
 * notes copied from the schedule. Missed periods are caught up one invoice each, in date
 * order (so numbers follow dates), and never past `endDate`. The schedule's `nextDate`
 * advances in the same transaction, which is what makes a second run on the same day
 * create nothing.
 */
export class RecurringService {
  private readonly repo: RecurringRepository;
  private readonly ids: IdGenerator;

  constructor(
    private readonly vault: Vault,
    private readonly clients: ClientService,
    private readonly invoices: InvoiceService,
  ) {
    this.repo = new RecurringRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  /** The first invoice is dated `startDate` (a past start date is caught up on the next generation). */
  create(input: RecurringScheduleInput): RecurringSchedule {
    const data = parseInput(RecurringScheduleInputSchema, input, 'recurring schedule');
    return this.vault.transaction(() => {
      const client = this.clients.resolve(data.client);
      const currency = data.currency ?? client.defaultCurrency;
      if (currency === null) {
        throw new CofferError(
          'INVALID_INPUT',
          `Invalid recurring schedule: currency: client "${client.name}" has no default currency, so the schedule needs one`,
        );
      }
      const lines = materializeLines(data.lines, this.ids).lines;
      // Lines never change after creation, so a percentage becomes its amount once, here.
      const deposit =
        data.deposit === null
          ? NO_DEPOSIT
          : depositFields(
              { ...data.deposit, dueDate: null },
              computeDocumentTotals(lines).totalMinor,
            );
      assertDeposit(deposit, computeDocumentTotals(lines).totalMinor, null, 'recurring schedule');
      const now = this.vault.now();
      const schedule: RecurringSchedule = {
        id: this.ids.next(),
        clientId: client.id,
        currency,
        frequency: data.frequency,
        interval: data.interval,
        startDate: data.startDate,
        nextDate: data.startDate,
        endDate: data.endDate,
        dueDays: data.dueDays,
        lines,
        paymentInstructions: data.paymentInstructions,
        notes: data.notes,
        active: true,
        depositMinor: deposit.depositMinor,
        depositPpm: deposit.depositPpm,
        depositDueDays: data.deposit?.dueDays ?? null,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(schedule);
      this.vault.changes.record(
        'recurring_schedules',
        schedule.id,
        'upsert',
        recordFields(schedule),
      );
      return schedule;
    });
  }

  /** Pauses generation. */
  pause(id: string): RecurringSchedule {
    return this.vault.transaction(() => {
      const before = this.resolve(id);
      return this.write(before, { ...before, active: false });
    });
  }

  /**
   * Resumes generation from the first occurrence on or after `today`: periods that fell
   * while paused are skipped, not billed. A schedule past its end date stays inactive.
   */
  resume(id: string, today: string = vaultToday(this.vault)): RecurringSchedule {
    return this.vault.transaction(() => {
      const before = this.resolve(id);
      const nextDate =
        before.nextDate < today ? occurrenceAfter(before, addDays(today, -1)) : before.nextDate;
      if (before.endDate !== null && nextDate > before.endDate) {
        throw new CofferError(
          'INVALID_STATE',
          `Schedule ${before.id} ended on ${before.endDate}; it cannot resume`,
        );
      }
      return this.write(before, { ...before, nextDate, active: true });
    });
  }

  delete(id: string): void {
    this.vault.transaction(() => {
      const schedule = this.resolve(id);
      const now = this.vault.now();
      this.repo.tombstone(schedule.id, now);
      this.vault.changes.record('recurring_schedules', schedule.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
    });
  }

  get(id: string): RecurringSchedule {
    return this.resolve(id);
  }

  list(): RecurringSchedule[] {
    return this.repo.list();
  }

  /** Issues every invoice due by `today` (see the class comment); returns them in number order. */
  generateDue(today: string = vaultToday(this.vault)): GeneratedInvoice[] {
    return this.vault.transaction(() => {
      const plans = this.repo.listDue(today).map((schedule) => ({
        schedule,
        due: dueOccurrences(schedule, today),
      }));
      const work = plans
        .flatMap(({ schedule, due }) => due.dates.map((periodDate) => ({ schedule, periodDate })))
        .sort((a, b) =>
          a.periodDate === b.periodDate
            ? a.schedule.id.localeCompare(b.schedule.id)
            : a.periodDate < b.periodDate
              ? -1
              : 1,
        );
      const generated = work.map(({ schedule, periodDate }) => {
        const invoice = this.invoices.createFrom({
          clientId: schedule.clientId,
          currency: schedule.currency,
          lines: schedule.lines,
          paymentInstructions: schedule.paymentInstructions,
          notes: schedule.notes,
          quoteId: null,
          scheduleId: schedule.id,
          deposit: {
            depositMinor: schedule.depositMinor,
            depositPpm: schedule.depositPpm,
            depositDueDate:
              schedule.depositDueDays === null
                ? null
                : addDays(periodDate, schedule.depositDueDays),
          },
          issue: {
            issueDate: periodDate,
            dueDate: addDays(periodDate, schedule.dueDays),
          },
        });
        return {
          scheduleId: schedule.id,
          periodDate,
          invoice: this.invoices.view(invoice, today),
        };
      });
      for (const { schedule, due } of plans) {
        this.write(schedule, {
          ...schedule,
          nextDate: due.nextDate,
          active: due.active,
        });
      }
      return generated;
    });
  }

  resolve(id: string): RecurringSchedule {
    const wanted = id.trim();
    const found = UUID_PATTERN.test(wanted) ? this.repo.findById(wanted) : undefined;
    if (found === undefined)
      throw new CofferError('NOT_FOUND', `No recurring schedule with id ${wanted}`);
    return found;
  }

  private write(before: RecurringSchedule, next: RecurringSchedule): RecurringSchedule {
    const after: RecurringSchedule = { ...next, updatedAt: this.vault.now() };
    const changed = editedFields(recordFields(before), recordFields(after));
    if (changed === null) return before; // nothing but the timestamp
    this.repo.update(after);
    this.vault.changes.record('recurring_schedules', after.id, 'upsert', changed);
    return after;
  }
}
