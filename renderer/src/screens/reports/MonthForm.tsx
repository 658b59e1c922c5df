import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { IsoMonthSchema } from '../../../../shared/dates/iso-date.js';
import { Button } from '../../ui/Button.js';
import { TextInput } from '../../ui/TextInput.js';

const MonthSchema = z.object({ month: z.string().trim().pipe(IsoMonthSchema) });

export function MonthForm({
  value,
  onChange,
}: {
  value: string;
  onChange: (month: string) => void;
}): React.JSX.Element {
  const form = useForm<{ month: string }>({
    resolver: zodResolver(MonthSchema),
    defaultValues: { month: value },
  });
  return (
    <form
      className="report-controls"
      aria-label="Budget month"
      noValidate
      onSubmit={(event) => void form.handleSubmit((v) => onChange(v.month))(event)}
    >
      <Controller
        control={form.control}
        name="month"
        render={({ field, fieldState }) => (
          <TextInput
            label="Month"
            description="YYYY-MM"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Button type="submit">Show</Button>
    </form>
  );
}
