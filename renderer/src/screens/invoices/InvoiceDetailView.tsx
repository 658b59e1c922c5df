import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { InvoiceDetail, InvoiceView } from '../../../../shared/domain/invoicing.views.js';
import {
  formatPercentPpm,
  formatQuantityMilli,
} from '../../../../shared/invoice/parse-line-values.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { saveDownload } from '../../ui/save-download.js';
import { ConfirmButton } from '../invoicing/ConfirmButton.js';
import { DocumentTotalsList } from '../invoicing/DocumentTotalsList.js';
import {
  INVOICE_STATUS_LABELS,
  PAYMENT_METHOD_LABELS,
  StatusBadge,
} from '../invoicing/status-labels.js';
import { InvoiceEditor } from './InvoiceEditor.js';
import { PaymentForm } from './PaymentForm.js';

/**
 * One invoice as its client will read it: lines, subtotal, discounts, taxes, total, the
 * deposits and payments received, and the balance due; with what can be done next.
 */
export function InvoiceDetailView({
  id,
  onClose,
}: {
  id: string;
  onClose: () => void;
}): React.JSX.Element {
  const invoice = useQuery({
    queryKey: ['invoices', 'get', { ref: id }],
    queryFn: () => coffer().invoices.get({ ref: id }),
  });
  const [editing, setEditing] = useState(false);
  if (invoice.isPending) return <Progress label="Loading the invoice" />;
  if (invoice.isError) {
    return (
      <>
        <ErrorMessage error={invoice.error} title="The invoice could not be loaded" />
        <Button onPress={onClose}>Back to invoices</Button>
      </>
    );
  }
  const data = invoice.data;
  if (editing) {
    return (
      <InvoiceEditor
        draft={data}
        onSaved={() => setEditing(false)}
        onCancel={() => setEditing(false)}
      />
    );
  }
  return (
    <article aria-labelledby="invoice-detail-heading" data-testid="invoice-detail">
      <div className="detail-header">
        <h2 id="invoice-detail-heading">
          {data.number === null ? 'Draft invoice' : `Invoice ${data.number}`}
        </h2>
        <StatusBadge
          status={data.effectiveStatus}
          label={INVOICE_STATUS_LABELS[data.effectiveStatus]}
        />
      </div>
      <dl className="detail-facts">
        <dt>Client</dt>
        <dd>{data.clientName}</dd>
        <dt>Currency</dt>
        <dd>{data.currency}</dd>
        <dt>Issued</dt>
        <dd>{data.issueDate === null ? 'Not yet' : formatIsoDate(data.issueDate)}</dd>
        <dt>Due</dt>
        <dd>{data.dueDate === null ? '—' : formatIsoDate(data.dueDate)}</dd>
      </dl>
      <LinesTable invoice={data} />
      <DocumentTotalsList totals={data.totals} currency={data.currency}>
        {data.depositMinor !== null && (
          <>
            <dt>
              Deposit requested
              {data.depositDueDate === null ? '' : `, due ${formatIsoDate(data.depositDueDate)}`}
            </dt>
            <dd data-testid="deposit-requested">
              <Money minor={data.depositMinor} currency={data.currency} />
            </dd>
          </>
        )}
        <dt>Deposits and payments received</dt>
        <dd data-testid="paid">
          <Money minor={-data.paidMinor} currency={data.currency} />
        </dd>
        {data.depositOutstandingMinor > 0 && (
          <>
            <dt className="balance-due">Deposit outstanding</dt>
            <dd className="balance-due" data-testid="deposit-outstanding">
              <Money minor={data.depositOutstandingMinor} currency={data.currency} />
            </dd>
          </>
        )}
        <dt className="balance-due">Balance due</dt>
        <dd className="balance-due" data-testid="balance-due">
          <Money minor={data.balanceDueMinor} currency={data.currency} />
        </dd>
      </DocumentTotalsList>
      <PaymentsTable invoice={data} />
      <InvoiceActions invoice={data} onEdit={() => setEditing(true)} onClose={onClose} />
      {data.status !== 'draft' && data.status !== 'void' && data.balanceDueMinor > 0 && (
        <PaymentForm key={`${data.id}-${data.paidMinor}`} invoice={data} />
      )}
    </article>
  );
}

function LinesTable({ invoice }: { invoice: InvoiceView }): React.JSX.Element {
  const rows = invoice.lines.map((line, i) => ({ ...line, total: invoice.totals.lines[i] }));
  return (
    <Table aria-label="Invoice lines" className="table">
      <TableHeader>
        <Column isRowHeader>Description</Column>
        <Column className="numeric">Quantity</Column>
        <Column className="numeric">Unit price</Column>
        <Column className="numeric">Discount</Column>
        <Column className="numeric">Tax</Column>
        <Column className="numeric">Amount</Column>
      </TableHeader>
      <TableBody items={rows}>
        {(line) => (
          <Row id={line.id}>
            <Cell>{line.description}</Cell>
            <Cell className="numeric">{formatQuantityMilli(line.quantityMilli)}</Cell>
            <Cell className="numeric">
              <Money minor={line.unitPriceMinor} currency={invoice.currency} />
            </Cell>
            <Cell className="numeric">{formatPercentPpm(line.discountPpm)} %</Cell>
            <Cell className="numeric">{formatPercentPpm(line.taxRatePpm)} %</Cell>
            <Cell className="numeric">
              <Money minor={line.total?.netMinor ?? 0} currency={invoice.currency} />
            </Cell>
          </Row>
        )}
      </TableBody>
    </Table>
  );
}

function PaymentsTable({ invoice }: { invoice: InvoiceDetail }): React.JSX.Element | null {
  if (invoice.payments.length === 0) return null;
  return (
    <section aria-labelledby="invoice-payments-heading">
      <h3 id="invoice-payments-heading">Payments received</h3>
      <Table aria-labelledby="invoice-payments-heading" className="table">
        <TableHeader>
          <Column isRowHeader>Date</Column>
          <Column>Method</Column>
          <Column>Reference</Column>
          <Column className="numeric">Amount</Column>
        </TableHeader>
        <TableBody items={invoice.payments.map((p) => ({ ...p, id: p.paymentId }))}>
          {(payment) => (
            <Row id={payment.id}>
              <Cell>{formatIsoDate(payment.date)}</Cell>
              <Cell>{PAYMENT_METHOD_LABELS[payment.method]}</Cell>
              <Cell>{payment.reference}</Cell>
              <Cell className="numeric">
                <Money minor={payment.amountMinor} currency={invoice.currency} />
              </Cell>
            </Row>
          )}
        </TableBody>
      </Table>
    </section>
  );
}

function InvoiceActions({
  invoice,
  onEdit,
  onClose,
}: {
  invoice: InvoiceDetail;
  onEdit: () => void;
  onClose: () => void;
}): React.JSX.Element {
  const issue = useCofferMutation(() => coffer().invoices.issue({ ref: invoice.id }));
  const voidIt = useCofferMutation(() => coffer().invoices.void({ ref: invoice.id }));
  const remove = useCofferMutation(() => coffer().invoices.deleteDraft({ ref: invoice.id }), {
    onSuccess: onClose,
  });
  // The PDF (profile, logo, payment instructions) is made by the core and saved as a download.
  const pdf = useMutation({
    mutationFn: () => coffer().documents.invoicePdf({ ref: invoice.id }),
    onSuccess: saveDownload,
  });
  const canVoid =
    (invoice.status === 'draft' || invoice.status === 'sent') && invoice.paidMinor === 0;
  return (
    <div className="card">
      <div className="button-row">
        <Button onPress={onClose}>Back to invoices</Button>
        {invoice.status === 'draft' && (
          <>
            <Button onPress={onEdit}>Edit draft</Button>
            <Button
              variant="primary"
              isPending={issue.isPending}
              onPress={() => issue.mutate(undefined)}
            >
              Issue invoice
            </Button>
            {invoice.quoteId === null && (
              <ConfirmButton
                label="Delete draft"
                title="Delete this draft?"
                body="The draft has no number yet, so nothing is lost from the invoice sequence."
                confirmLabel="Delete draft"
                isPending={remove.isPending}
                onConfirm={() => remove.mutate(undefined)}
              />
            )}
          </>
        )}
        {canVoid && (
          <ConfirmButton
            label="Void invoice"
            title="Void this invoice?"
            body="A void invoice stays in the list with its number, and can no longer be paid or edited."
            confirmLabel="Void invoice"
            isPending={voidIt.isPending}
            onConfirm={() => voidIt.mutate(undefined)}
          />
        )}
        <Button isPending={pdf.isPending} onPress={() => pdf.mutate()}>
          Download PDF
        </Button>
      </div>
      {issue.isError && <ErrorMessage error={issue.error} title="The invoice was not issued" />}
      {voidIt.isError && <ErrorMessage error={voidIt.error} title="The invoice was not voided" />}
      {remove.isError && <ErrorMessage error={remove.error} title="The draft was not deleted" />}
      {pdf.isError && <ErrorMessage error={pdf.error} title="The PDF was not made" />}
    </div>
  );
}
