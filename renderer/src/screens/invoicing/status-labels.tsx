import type {
  ContractStatus,
  EffectiveInvoiceStatus,
  PaymentMethod,
  QuoteStatus,
  RecurringFrequency,
} from '../../../../shared/domain/invoicing.schema.js';

/** How each status reads to a person: an issued invoice is "Issued", not "sent". */
export const INVOICE_STATUS_LABELS: Record<EffectiveInvoiceStatus, string> = {
  draft: 'Draft',
  sent: 'Issued',
  partially_paid: 'Partly paid',
  paid: 'Paid',
  overdue: 'Overdue',
  void: 'Void',
};

export const QUOTE_STATUS_LABELS: Record<QuoteStatus, string> = {
  draft: 'Draft',
  sent: 'Sent',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
  converted: 'Converted',
};

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, string> = {
  draft: 'Draft',
  sent: 'Sent',
  signed: 'Signed',
  void: 'Void',
};

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  bank_transfer: 'Bank transfer',
  card: 'Card',
  paypal: 'PayPal',
  stripe: 'Stripe',
  zelle: 'Zelle',
  cash: 'Cash',
  check: 'Check',
  other: 'Other',
};

export const FREQUENCY_LABELS: Record<RecurringFrequency, string> = {
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  yearly: 'Yearly',
};

export function optionsOf<K extends string>(labels: Record<K, string>): { id: K; label: string }[] {
  return (Object.entries(labels) as [K, string][]).map(([id, label]) => ({ id, label }));
}

/** A status shown as a badge whose class carries the status, so colour is never the only cue. */
export function StatusBadge({
  status,
  label,
}: {
  status: string;
  label: string;
}): React.JSX.Element {
  return <span className={`status-badge status-${status}`}>{label}</span>;
}
