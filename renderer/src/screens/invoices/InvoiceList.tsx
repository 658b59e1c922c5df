import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { Link } from 'react-router';
import type { EffectiveInvoiceStatus } from '../../../../shared/domain/invoicing.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { INVOICE_STATUS_LABELS, optionsOf, StatusBadge } from '../invoicing/status-labels.js';

const FILTERS = [{ id: 'all', label: 'All' }, ...optionsOf(INVOICE_STATUS_LABELS)];

/** Every invoice with its status, total and balance due in its own currency. */
export function InvoiceList(): React.JSX.Element {
  const [status, setStatus] = useState<'all' | EffectiveInvoiceStatus>('all');
  const filter = status === 'all' ? {} : { status };
  const invoices = useQuery({
    queryKey: ['invoices', 'list', filter],
    queryFn: () => coffer().invoices.list(filter),
  });
  return (
    <>
      <div className="filters">
        <SelectInput
          label="Status"
          value={status}
          onChange={(value) => setStatus(value as typeof status)}
          options={FILTERS}
        />
      </div>
      {invoices.isPending && <Progress label="Loading invoices" />}
      {invoices.isError && (
        <ErrorMessage error={invoices.error} title="Invoices could not be loaded" />
      )}
      {invoices.data !== undefined &&
        (invoices.data.length === 0 ? (
          <p>{status === 'all' ? 'No invoices yet.' : 'No invoices with this status.'}</p>
        ) : (
          <Table aria-label="Invoices" className="table">
            <TableHeader>
              <Column isRowHeader>Number</Column>
              <Column>Client</Column>
              <Column>Status</Column>
              <Column>Due</Column>
              <Column className="numeric">Total</Column>
              <Column className="numeric">Balance due</Column>
            </TableHeader>
            <TableBody items={invoices.data}>
              {(invoice) => (
                <Row id={invoice.id}>
                  <Cell>
                    <Link to={`/invoices?id=${invoice.id}`}>
                      {invoice.number ?? `Draft of ${formatIsoDate(todayOf(invoice.createdAt))}`}
                    </Link>
                  </Cell>
                  <Cell>{invoice.clientName}</Cell>
                  <Cell>
                    <StatusBadge
                      status={invoice.effectiveStatus}
                      label={INVOICE_STATUS_LABELS[invoice.effectiveStatus]}
                    />
                    {invoice.status !== 'draft' && invoice.depositOutstandingMinor > 0 && (
                      <>
                        {' '}
                        <StatusBadge status="deposit-due" label="Deposit due" />
                      </>
                    )}
                  </Cell>
                  <Cell>{invoice.dueDate === null ? '—' : formatIsoDate(invoice.dueDate)}</Cell>
                  <Cell className="numeric">
                    <Money minor={invoice.totals.totalMinor} currency={invoice.currency} />
                  </Cell>
                  <Cell className="numeric">
                    <Money minor={invoice.balanceDueMinor} currency={invoice.currency} />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
    </>
  );
}

function todayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
