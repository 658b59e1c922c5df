import type {
  PaymentMethod,
  RecurringFrequency,
  RecurringSchedule,
} from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';
import { DocumentLinesRepository } from './document-lines.repository.js';

interface ScheduleRow {
  id: string;
  client_id: string;
  currency: string;
  frequency: RecurringFrequency;
  interval: number;
  start_date: string;
  next_date: string;
  end_date: string | null;
  due_days: number;
  payment_method: PaymentMethod | null;
  payment_details: string | null;
  notes: string;
  active: number;
  deposit_minor: number | null;
  deposit_ppm: number | null;
  deposit_due_days: number | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, client_id, currency, frequency, interval, start_date, next_date, end_date, due_days, payment_method, payment_details, notes, active, deposit_minor, deposit_ppm, deposit_due_days, created_at, updated_at';

function params(s: RecurringSchedule): Record<string, unknown> {
  return {
    id: s.id,
    clientId: s.clientId,
    currency: s.currency,
    frequency: s.frequency,
    interval: s.interval,
    startDate: s.startDate,
    nextDate: s.nextDate,
    endDate: s.endDate,
    dueDays: s.dueDays,
    paymentMethod: s.paymentInstructions?.method ?? null,
    paymentDetails: s.paymentInstructions?.details ?? null,
    notes: s.notes,
    active: s.active ? 1 : 0,
    depositMinor: s.depositMinor,
    depositPpm: s.depositPpm,
    depositDueDays: s.depositDueDays,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** SQL for recurring schedules and their lines. Reads skip tombstones. */
export class RecurringRepository {
  private readonly sql: StatementCache;
  private readonly lines: DocumentLinesRepository;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
    this.lines = new DocumentLinesRepository(db, 'recurring_lines');
  }

  insert(s: RecurringSchedule): void {
    this.sql
      .get(
        `INSERT INTO recurring_schedules (${COLUMNS})
         VALUES (@id, @clientId, @currency, @frequency, @interval, @startDate, @nextDate, @endDate, @dueDays,
                 @paymentMethod, @paymentDetails, @notes, @active, @depositMinor, @depositPpm, @depositDueDays,
                 @createdAt, @updatedAt)`,
      )
      .run(params(s));
    this.lines.replace(s.id, s.lines);
  }

  /** Schedule fields only; lines do not change after creation. */
  update(s: RecurringSchedule): void {
    this.sql
      .get(
        `UPDATE recurring_schedules SET client_id = @clientId, currency = @currency, frequency = @frequency,
           interval = @interval, start_date = @startDate, next_date = @nextDate, end_date = @endDate,
           due_days = @dueDays, payment_method = @paymentMethod, payment_details = @paymentDetails, notes = @notes,
           active = @active, deposit_minor = @depositMinor, deposit_ppm = @depositPpm,
           deposit_due_days = @depositDueDays, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(params(s));
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get(
        'UPDATE recurring_schedules SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(now, now, id);
  }

  findById(id: string): RecurringSchedule | undefined {
    const row = this.sql
      .get<[string], ScheduleRow>(
        `SELECT ${COLUMNS} FROM recurring_schedules WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toSchedule(row, this.lines.listFor(row.id));
  }

  list(): RecurringSchedule[] {
    const lines = this.lines.listForLiveParents();
    return this.sql
      .get<[], ScheduleRow>(
        `SELECT ${COLUMNS} FROM recurring_schedules WHERE deleted_at IS NULL ORDER BY next_date, id`,
      )
      .all()
      .map((row) => toSchedule(row, lines.get(row.id) ?? []));
  }

  /** Active schedules whose next date is on or before `today`. */
  listDue(today: string): RecurringSchedule[] {
    return this.sql
      .get<[string], ScheduleRow>(
        `SELECT ${COLUMNS} FROM recurring_schedules
         WHERE deleted_at IS NULL AND active = 1 AND next_date <= ? ORDER BY next_date, id`,
      )
      .all(today)
      .map((row) => toSchedule(row, this.lines.listFor(row.id)));
  }
}

function toSchedule(row: ScheduleRow, lines: RecurringSchedule['lines']): RecurringSchedule {
  return {
    id: row.id,
    clientId: row.client_id,
    currency: row.currency,
    frequency: row.frequency,
    interval: row.interval,
    startDate: row.start_date,
    nextDate: row.next_date,
    endDate: row.end_date,
    dueDays: row.due_days,
    lines,
    paymentInstructions:
      row.payment_method === null
        ? null
        : { method: row.payment_method, details: row.payment_details ?? '' },
    notes: row.notes,
    active: row.active === 1,
    depositMinor: row.deposit_minor,
    depositPpm: row.deposit_ppm,
    depositDueDays: row.deposit_due_days,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
