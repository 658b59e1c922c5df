import { useState } from 'react';
import type { AccountBalance } from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { RenameDialog } from '../../ui/RenameDialog.js';

/** Rename, archive or bring back one account. */
export function AccountActions({ account }: { account: AccountBalance }): React.JSX.Element {
  const [renaming, setRenaming] = useState(false);
  const archive = useCofferMutation((archived: boolean) =>
    archived
      ? coffer().accounts.archive({ ref: account.accountId })
      : coffer().accounts.unarchive({ ref: account.accountId }),
  );
  return (
    <div className="row-actions">
      <Button onPress={() => setRenaming(true)} aria-label={`Rename ${account.name}`}>
        Rename
      </Button>
      <Button
        isPending={archive.isPending}
        onPress={() => archive.mutate(!account.archived)}
        aria-label={`${account.archived ? 'Unarchive' : 'Archive'} ${account.name}`}
      >
        {account.archived ? 'Unarchive' : 'Archive'}
      </Button>
      {archive.isError && (
        <ErrorMessage error={archive.error} title="The account was not changed" />
      )}
      {renaming && (
        <RenameDialog
          what="account"
          name={account.name}
          rename={(name) => coffer().accounts.update({ ref: account.accountId, patch: { name } })}
          onClose={() => setRenaming(false)}
        />
      )}
    </div>
  );
}
