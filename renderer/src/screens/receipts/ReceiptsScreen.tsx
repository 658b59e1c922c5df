import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { Link, useSearchParams } from 'react-router';
import type { ReceiptView } from '../../../../shared/domain/invoicing.views.js';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { AttachmentPreview } from '../invoicing/AttachmentPreview.js';
import { ReceiptForm } from './ReceiptForm.js';
import { TransactionLink } from './TransactionLink.js';
import '../invoicing/invoicing.css';

/** Receipts kept in the vault: add one with its photo or PDF, see it, link it to the ledger. */
export function ReceiptsScreen(): React.JSX.Element {
  const [params, setParams] = useSearchParams();
  const receipts = useQuery({
    queryKey: ['receipts', 'list', {}],
    queryFn: () => coffer().receipts.list({}),
  });
  const selected = receipts.data?.find((r) => r.id === params.get('id'));
  return (
    <section aria-labelledby="receipts-heading" className="screen">
      <h1 id="receipts-heading">Receipts</h1>
      {receipts.isPending && <Progress label="Loading receipts" />}
      {receipts.isError && (
        <ErrorMessage error={receipts.error} title="Receipts could not be loaded" />
      )}
      {receipts.data !== undefined &&
        (receipts.data.length === 0 ? (
          <p>No receipts yet. Add the first one below.</p>
        ) : (
          <Table aria-label="Receipts" className="table">
            <TableHeader>
              <Column isRowHeader>Date</Column>
              <Column>Merchant</Column>
              <Column>File</Column>
              <Column>Transaction</Column>
              <Column className="numeric">Amount</Column>
            </TableHeader>
            <TableBody items={receipts.data}>
              {(receipt) => (
                <Row id={receipt.id}>
                  <Cell>
                    <Link to={`/receipts?id=${receipt.id}`}>{formatIsoDate(receipt.date)}</Link>
                  </Cell>
                  <Cell>{receipt.merchant}</Cell>
                  <Cell>{receipt.attachment?.fileName ?? 'Not on this device yet'}</Cell>
                  <Cell>{receipt.transactionId === null ? 'Not linked' : 'Linked'}</Cell>
                  <Cell className="numeric">
                    {receipt.amountMinor !== null && receipt.currency !== null ? (
                      <Money minor={receipt.amountMinor} currency={receipt.currency} />
                    ) : (
                      '—'
                    )}
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
      {selected !== undefined && <ReceiptDetail key={selected.id} receipt={selected} />}
      <ReceiptForm onCreated={(id) => setParams({ id })} />
    </section>
  );
}

function ReceiptDetail({ receipt }: { receipt: ReceiptView }): React.JSX.Element {
  return (
    <article className="card" aria-labelledby="receipt-detail-heading" data-testid="receipt-detail">
      <h2 id="receipt-detail-heading">
        Receipt{receipt.merchant === '' ? '' : ` from ${receipt.merchant}`},{' '}
        {formatIsoDate(receipt.date)}
      </h2>
      {receipt.attachment === null ? (
        <p>The file of this receipt is not on this device yet.</p>
      ) : (
        <AttachmentPreview
          attachment={receipt.attachment}
          queryKey={['receipts', 'readFile', { id: receipt.id }]}
          read={() => coffer().receipts.readFile({ id: receipt.id })}
        />
      )}
      <h3>Ledger transaction</h3>
      <TransactionLink receipt={receipt} />
    </article>
  );
}
