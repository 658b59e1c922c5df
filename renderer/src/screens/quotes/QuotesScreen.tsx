import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { useSearchParams } from 'react-router';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { QUOTE_STATUS_LABELS, StatusBadge } from '../invoicing/status-labels.js';
import { QuoteActions } from './QuoteActions.js';
import { QuoteEditor } from './QuoteEditor.js';
import '../invoicing/invoicing.css';

/** Quotes: create, send, accept or decline, and convert into an invoice. */
export function QuotesScreen(): React.JSX.Element {
  const [params, setParams] = useSearchParams();
  const quotes = useQuery({
    queryKey: ['quotes', 'list', {}],
    queryFn: () => coffer().quotes.list({}),
  });
  return (
    <section aria-labelledby="quotes-heading" className="screen">
      <h1 id="quotes-heading">Quotes</h1>
      {params.has('new') ? (
        <QuoteEditor onDone={() => setParams({})} />
      ) : (
        <div className="button-row">
          <Button variant="primary" onPress={() => setParams({ new: '' })}>
            New quote
          </Button>
        </div>
      )}
      {quotes.isPending && <Progress label="Loading quotes" />}
      {quotes.isError && <ErrorMessage error={quotes.error} title="Quotes could not be loaded" />}
      {quotes.data !== undefined &&
        (quotes.data.length === 0 ? (
          <p>No quotes yet.</p>
        ) : (
          <Table aria-label="Quotes" className="table">
            <TableHeader>
              <Column isRowHeader>Number</Column>
              <Column>Client</Column>
              <Column>Status</Column>
              <Column>Valid until</Column>
              <Column className="numeric">Total</Column>
              <Column>Actions</Column>
            </TableHeader>
            <TableBody items={quotes.data}>
              {(quote) => (
                <Row id={quote.id}>
                  <Cell>{quote.number ?? 'Draft'}</Cell>
                  <Cell>{quote.clientName}</Cell>
                  <Cell>
                    <StatusBadge
                      status={quote.effectiveStatus}
                      label={QUOTE_STATUS_LABELS[quote.effectiveStatus]}
                    />
                  </Cell>
                  <Cell>{quote.validUntil === null ? '—' : formatIsoDate(quote.validUntil)}</Cell>
                  <Cell className="numeric">
                    <Money minor={quote.totals.totalMinor} currency={quote.currency} />
                  </Cell>
                  <Cell>
                    <QuoteActions quote={quote} />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
    </section>
  );
}
