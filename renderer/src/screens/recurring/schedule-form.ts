import * as z from 'zod';
import { isIsoDate } from '../../../../shared/dates/iso-date.js';
import {
  RecurringFrequencySchema,
  type RecurringScheduleInput,
} from '../../../../shared/domain/invoicing.schema.js';
import { CurrencyCodeSchema } from '../../../../shared/money/currency.js';
import { OptionalDateText } from '../invoices/invoice-form.js';
import {
  EMPTY_LINE,
  LineFormSchema,
  refineLines,
  toLineInputs,
} from '../invoicing/line-items-form.js';

const WholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .refine((text) => Number(text) >= min && Number(text) <= max, {
      message: `must be between ${min} and ${max}`,
    });

export const ScheduleFormSchema = z
  .object({
    clientId: z.string().min(1, 'Choose a client'),
    currency: z.string().trim().toUpperCase().pipe(CurrencyCodeSchema),
    frequency: RecurringFrequencySchema,
    interval: WholeNumber(1, 1_000),
    startDate: z.string().trim().refine(isIsoDate, 'Enter the first invoice date'),
    endDate: OptionalDateText,
    dueDays: WholeNumber(0, 3_650),
    lines: z.array(LineFormSchema),
  })
  .superRefine((form, ctx) => {
    refineLines(form.lines, form.currency, ctx);
    if (form.endDate !== '' && form.endDate < form.startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'must not be before the start date',
      });
    }
  });
export type ScheduleFormValues = z.input<typeof ScheduleFormSchema>;

export function emptySchedule(today: string): ScheduleFormValues {
  return {
    clientId: '',
    currency: '',
    frequency: 'monthly',
    interval: '1',
    startDate: today,
    endDate: '',
    dueDays: '30',
    lines: [{ ...EMPTY_LINE }],
  };
}

export function toScheduleInput(
  values: z.output<typeof ScheduleFormSchema>,
): RecurringScheduleInput {
  return {
    client: values.clientId,
    currency: values.currency,
    frequency: values.frequency,
    interval: Number(values.interval),
    startDate: values.startDate,
    endDate: values.endDate === '' ? null : values.endDate,
    dueDays: Number(values.dueDays),
    lines: toLineInputs(values.lines, values.currency),
  };
}
