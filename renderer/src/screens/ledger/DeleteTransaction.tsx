import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';

/** The second step of deleting: nothing is deleted until this is confirmed. */
export function DeleteTransaction({
  transactionId,
  onDeleted,
  onKeep,
}: {
  transactionId: string;
  onDeleted: () => void;
  onKeep: () => void;
}): React.JSX.Element {
  const remove = useCofferMutation((id: string) => coffer().transactions.delete({ id }));
  return (
    <div role="alertdialog" aria-labelledby="delete-transaction-question" className="confirm">
      <p id="delete-transaction-question">Delete this transaction? This cannot be undone.</p>
      <div className="button-row">
        <Button
          variant="danger"
          autoFocus
          isPending={remove.isPending}
          onPress={() => remove.mutate(transactionId, { onSuccess: onDeleted })}
        >
          Delete transaction
        </Button>
        <Button onPress={onKeep}>Keep it</Button>
      </div>
      {remove.isPending && <Progress label="Deleting the transaction" />}
      {remove.isError && (
        <ErrorMessage error={remove.error} title="The transaction was not deleted" />
      )}
    </div>
  );
}
