import type { GeneratedInvoice } from '../../../../shared/domain/invoicing.views.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';

/** Issues every invoice the schedules owe by today, and lists what it made. */
export function GenerateDuePanel(): React.JSX.Element {
  const generate = useCofferMutation(() => coffer().recurring.generateDue({}));
  const made: GeneratedInvoice[] | undefined = generate.data;
  return (
    <div className="card" aria-live="polite">
      <Button
        variant="primary"
        isPending={generate.isPending}
        onPress={() => generate.mutate(undefined)}
      >
        Generate due invoices now
      </Button>
      {generate.isError && (
        <ErrorMessage error={generate.error} title="No invoices were generated" />
      )}
      {made !== undefined &&
        (made.length === 0 ? (
          <p data-testid="generated-none">Nothing was due: no invoice was made.</p>
        ) : (
          <ul className="generated-list" aria-label="Generated invoices">
            {made.map(({ invoice, periodDate }) => (
              <li key={invoice.id}>
                <a href={`#/invoices?id=${invoice.id}`}>{invoice.number}</a> for{' '}
                {invoice.clientName}, dated {formatIsoDate(periodDate)}:{' '}
                <Money minor={invoice.totals.totalMinor} currency={invoice.currency} />
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}
