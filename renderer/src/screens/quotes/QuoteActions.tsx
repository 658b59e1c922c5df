import { useNavigate } from 'react-router';
import type { QuoteView } from '../../../../shared/domain/invoicing.views.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { ConfirmButton } from '../invoicing/ConfirmButton.js';

/** What can be done with a quote in its status; converting opens the new invoice. */
export function QuoteActions({ quote }: { quote: QuoteView }): React.JSX.Element {
  const navigate = useNavigate();
  const ref = { ref: quote.id };
  const name = quote.number ?? 'draft quote';
  const send = useCofferMutation(() => coffer().quotes.send(ref));
  const accept = useCofferMutation(() => coffer().quotes.accept(ref));
  const decline = useCofferMutation(() => coffer().quotes.decline(ref));
  const convert = useCofferMutation(() => coffer().quotes.convert(ref), {
    onSuccess: ({ invoice }) => void navigate(`/invoices?id=${invoice.id}`),
  });
  const remove = useCofferMutation(() => coffer().quotes.deleteDraft(ref));
  const status = quote.effectiveStatus;
  const failed = [send, accept, decline, convert, remove].find((m) => m.isError);
  return (
    <div>
      <div className="button-row">
        {status === 'draft' && (
          <Button
            aria-label={`Send ${name}`}
            isPending={send.isPending}
            onPress={() => send.mutate(undefined)}
          >
            Send
          </Button>
        )}
        {status === 'draft' && (
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete ${name}`}
            title="Delete this draft quote?"
            body="The draft has no number yet, so nothing is lost from the quote sequence."
            confirmLabel="Delete draft"
            isPending={remove.isPending}
            onConfirm={() => remove.mutate(undefined)}
          />
        )}
        {status === 'sent' && (
          <>
            <Button
              aria-label={`Accept ${name}`}
              isPending={accept.isPending}
              onPress={() => accept.mutate(undefined)}
            >
              Accept
            </Button>
            <Button
              aria-label={`Decline ${name}`}
              isPending={decline.isPending}
              onPress={() => decline.mutate(undefined)}
            >
              Decline
            </Button>
          </>
        )}
        {(status === 'draft' || status === 'sent' || status === 'accepted') && (
          <Button
            variant="primary"
            aria-label={`Convert ${name} to an invoice`}
            isPending={convert.isPending}
            onPress={() => convert.mutate(undefined)}
          >
            Convert to invoice
          </Button>
        )}
        {status === 'converted' && quote.convertedInvoiceId !== null && (
          <a href={`#/invoices?id=${quote.convertedInvoiceId}`}>Open its invoice</a>
        )}
      </div>
      {failed?.isError === true && (
        <ErrorMessage error={failed.error} title="The quote was not changed" />
      )}
    </div>
  );
}
