import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReceiptView } from '../../../../shared/domain/invoicing.views.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate, formatMinor } from '../../ui/format.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';

/** The ledger's latest transactions a receipt can back; the core checks the currency. */
const RECENT = { limit: 200 } as const;

/** Links the receipt to the ledger transaction it backs, or unlinks it. */
export function TransactionLink({ receipt }: { receipt: ReceiptView }): React.JSX.Element {
  const transactions = useQuery({
    queryKey: ['transactions', 'list', RECENT],
    queryFn: () => coffer().transactions.list(RECENT),
  });
  const [chosen, setChosen] = useState(receipt.transactionId ?? '');
  const link = useCofferMutation((transactionId: string | null) =>
    coffer().receipts.linkTransaction({ id: receipt.id, transactionId }),
  );
  if (transactions.isPending) return <Progress label="Loading transactions" />;
  if (transactions.isError) {
    return <ErrorMessage error={transactions.error} title="Transactions could not be loaded" />;
  }
  const items = transactions.data.items.filter(
    (t) => receipt.currency === null || t.currency === receipt.currency,
  );
  if (items.length === 0) return <p>No transactions in the ledger to link this receipt to.</p>;
  return (
    <div className="form">
      <SelectInput
        label="Transaction"
        value={chosen}
        onChange={setChosen}
        options={items.map((t) => ({
          id: t.id,
          label: `${formatIsoDate(t.date)} · ${t.payeeName ?? 'No payee'} · ${formatMinor(t.amountMinor, t.currency)}`,
        }))}
      />
      <div className="button-row">
        <Button
          variant="primary"
          isDisabled={chosen === ''}
          isPending={link.isPending}
          onPress={() => link.mutate(chosen)}
        >
          Link transaction
        </Button>
        {receipt.transactionId !== null && (
          <Button onPress={() => link.mutate(null)}>Unlink</Button>
        )}
      </div>
      {link.isError && <ErrorMessage error={link.error} title="The receipt was not linked" />}
    </div>
  );
}
