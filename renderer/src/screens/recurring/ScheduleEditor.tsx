import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, FormProvider, useForm } from 'react-hook-form';
import type * as z from 'zod';
import { todayIso } from '../../../../shared/dates/iso-date.js';
import type { RecurringScheduleInput } from '../../../../shared/domain/invoicing.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import { ClientPicker } from '../invoicing/ClientPicker.js';
import { LineItemsEditor } from '../invoicing/LineItemsEditor.js';
import { FREQUENCY_LABELS, optionsOf } from '../invoicing/status-labels.js';
import {
  emptySchedule,
  ScheduleFormSchema,
  toScheduleInput,
  type ScheduleFormValues,
} from './schedule-form.js';

/** A new recurring schedule: who, how often, from when, and the lines each invoice carries. */
export function ScheduleEditor({ onDone }: { onDone: () => void }): React.JSX.Element {
  const form = useForm<ScheduleFormValues, unknown, z.output<typeof ScheduleFormSchema>>({
    resolver: zodResolver(ScheduleFormSchema),
    defaultValues: emptySchedule(todayIso()),
  });
  const create = useCofferMutation(
    (input: RecurringScheduleInput) => coffer().recurring.create(input),
    { onSuccess: onDone },
  );
  const submit = form.handleSubmit((values) => create.mutate(toScheduleInput(values)));
  const text = (
    name: 'currency' | 'interval' | 'startDate' | 'endDate' | 'dueDays',
    label: string,
    extra: { type?: string; description?: string } = {},
  ): React.JSX.Element => (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <TextInput label={label} {...extra} {...field} error={fieldState.error?.message} />
      )}
    />
  );
  return (
    <FormProvider {...form}>
      <form
        className="card form form-wide"
        aria-labelledby="schedule-editor-heading"
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        <h2 id="schedule-editor-heading">New recurring schedule</h2>
        <div className="form-row">
          <Controller
            control={form.control}
            name="clientId"
            render={({ field, fieldState }) => (
              <ClientPicker
                value={field.value}
                error={fieldState.error?.message}
                onChange={(client) => {
                  field.onChange(client.id);
                  if (form.getValues('currency') === '' && client.defaultCurrency !== null) {
                    form.setValue('currency', client.defaultCurrency);
                  }
                }}
              />
            )}
          />
          {text('currency', 'Currency', { description: 'ISO code, e.g. EUR' })}
          <Controller
            control={form.control}
            name="frequency"
            render={({ field }) => (
              <SelectInput
                label="Frequency"
                value={field.value}
                onChange={field.onChange}
                options={optionsOf(FREQUENCY_LABELS)}
              />
            )}
          />
          {text('interval', 'Every', { description: 'e.g. 2 = every second period' })}
        </div>
        <div className="form-row">
          {text('startDate', 'First invoice date', { type: 'date' })}
          {text('endDate', 'Last invoice date', { type: 'date', description: 'Empty: no end' })}
          {text('dueDays', 'Days to pay')}
        </div>
        <LineItemsEditor />
        <div className="button-row">
          <Button type="submit" variant="primary" isPending={create.isPending}>
            Save schedule
          </Button>
          <Button onPress={onDone}>Cancel</Button>
        </div>
        {create.isError && <ErrorMessage error={create.error} title="The schedule was not saved" />}
      </form>
    </FormProvider>
  );
}
