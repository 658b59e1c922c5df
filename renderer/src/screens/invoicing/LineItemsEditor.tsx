import { Controller, useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { Button } from '../../ui/Button.js';
import { Money } from '../../ui/Money.js';
import { TextInput } from '../../ui/TextInput.js';
import { TaxRow } from './DocumentTotalsList.js';
import { EMPTY_LINE, liveTotals, type LineFormValues } from './line-items-form.js';

interface LinesForm {
  currency: string;
  lines: LineFormValues[];
}

/**
 * The lines of an invoice, quote or schedule, inside the document's form, with each
 * line's total and the document totals recomputed as the person types.
 */
export function LineItemsEditor(): React.JSX.Element {
  const { control, formState } = useFormContext<LinesForm>();
  const { fields, append, remove } = useFieldArray({ control, name: 'lines' });
  const lines = useWatch({ control, name: 'lines' });
  const currency = useWatch({ control, name: 'currency' }).trim().toUpperCase();
  const live = liveTotals(lines, currency);
  const listError = formState.errors.lines?.root?.message ?? formState.errors.lines?.message;

  return (
    <fieldset className="line-items">
      <legend>Line items</legend>
      {fields.map((field, index) => (
        <div className="line-item" key={field.id} data-testid="line-item">
          <Controller
            control={control}
            name={`lines.${index}.description`}
            render={({ field: f, fieldState }) => (
              <TextInput
                label={`Line ${index + 1} description`}
                className="line-description"
                {...f}
                error={fieldState.error?.message}
              />
            )}
          />
          <Controller
            control={control}
            name={`lines.${index}.quantity`}
            render={({ field: f, fieldState }) => (
              <TextInput
                label={`Line ${index + 1} quantity`}
                inputMode="decimal"
                {...f}
                error={fieldState.error?.message}
              />
            )}
          />
          <Controller
            control={control}
            name={`lines.${index}.unitPrice`}
            render={({ field: f, fieldState }) => (
              <TextInput
                label={`Line ${index + 1} unit price`}
                inputMode="decimal"
                {...f}
                error={fieldState.error?.message}
              />
            )}
          />
          <Controller
            control={control}
            name={`lines.${index}.taxRate`}
            render={({ field: f, fieldState }) => (
              <TextInput
                label={`Line ${index + 1} tax %`}
                inputMode="decimal"
                {...f}
                error={fieldState.error?.message}
              />
            )}
          />
          <Controller
            control={control}
            name={`lines.${index}.discount`}
            render={({ field: f, fieldState }) => (
              <TextInput
                label={`Line ${index + 1} discount %`}
                inputMode="decimal"
                {...f}
                error={fieldState.error?.message}
              />
            )}
          />
          <p className="line-total" aria-label={`Line ${index + 1} total`}>
            {live?.lineTotals[index] != null ? (
              <Money minor={live.lineTotals[index]} currency={currency} />
            ) : (
              '—'
            )}
          </p>
          <Button
            aria-label={`Remove line ${index + 1}`}
            onPress={() => remove(index)}
            isDisabled={fields.length === 1}
          >
            Remove
          </Button>
        </div>
      ))}
      {listError !== undefined && <p className="field-error">{listError}</p>}
      <Button onPress={() => append({ ...EMPTY_LINE })}>Add line</Button>
      {live !== null && (
        <dl className="totals" aria-label="Totals" data-testid="live-totals">
          <dt>Subtotal</dt>
          <dd>
            <Money minor={live.totals.grossMinor} currency={currency} />
          </dd>
          {live.totals.discountMinor > 0 && (
            <>
              <dt>Discounts</dt>
              <dd>
                <Money minor={-live.totals.discountMinor} currency={currency} />
              </dd>
            </>
          )}
          {live.totals.taxBreakdown
            .filter((row) => row.taxRatePpm > 0)
            .map((row) => (
              <TaxRow
                key={row.taxRatePpm}
                rate={row.taxRatePpm}
                tax={row.taxMinor}
                currency={currency}
              />
            ))}
          <dt>Total</dt>
          <dd data-testid="live-total">
            <Money minor={live.totals.totalMinor} currency={currency} />
          </dd>
        </dl>
      )}
    </fieldset>
  );
}
