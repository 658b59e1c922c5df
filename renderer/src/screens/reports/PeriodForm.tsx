import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { IsoDateSchema, IsoMonthSchema } from '../../../../shared/dates/iso-date.js';
import { Button } from '../../ui/Button.js';
import { TextInput } from '../../ui/TextInput.js';

export interface Period {
  from: string;
  to: string;
}

const schemaFor = (kind: 'month' | 'date') => {
  const field = kind === 'month' ? IsoMonthSchema : IsoDateSchema;
  return z
    .object({ from: z.string().trim().pipe(field), to: z.string().trim().pipe(field) })
    .refine((p) => p.from <= p.to, { message: 'must not be after the end', path: ['from'] });
};

/** The period a report covers, as months (YYYY-MM) or dates (YYYY-MM-DD), checked here first. */
export function PeriodForm({
  kind,
  value,
  onChange,
  label,
}: {
  kind: 'month' | 'date';
  value: Period;
  onChange: (period: Period) => void;
  label: string;
}): React.JSX.Element {
  const form = useForm<Period>({ resolver: zodResolver(schemaFor(kind)), defaultValues: value });
  const hint = kind === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD';
  return (
    <form
      className="report-controls"
      aria-label={label}
      noValidate
      onSubmit={(event) => void form.handleSubmit(onChange)(event)}
    >
      <Controller
        control={form.control}
        name="from"
        render={({ field, fieldState }) => (
          <TextInput label="From" description={hint} {...field} error={fieldState.error?.message} />
        )}
      />
      <Controller
        control={form.control}
        name="to"
        render={({ field, fieldState }) => (
          <TextInput label="To" description={hint} {...field} error={fieldState.error?.message} />
        )}
      />
      <Button type="submit">Show</Button>
    </form>
  );
}

/** This month and the eleven before it. */
export function lastTwelveMonths(now: Date = new Date()): Period {
  const to = now.toISOString().slice(0, 7);
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return { from: start.toISOString().slice(0, 7), to };
}

/** From the first of January to today. */
export function yearToDate(now: Date = new Date()): Period {
  const today = now.toISOString().slice(0, 10);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}
