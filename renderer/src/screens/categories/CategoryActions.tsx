import { useState } from 'react';
import type { Category } from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { RenameDialog } from '../../ui/RenameDialog.js';

/**
 * Rename, archive (or bring back) and delete one category. Deleting asks first; the core
 * refuses a category still in use, and that refusal is shown here.
 */
export function CategoryActions({ category }: { category: Category }): React.JSX.Element {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const archive = useCofferMutation((archived: boolean) =>
    coffer().categories.update({ ref: category.id, patch: { archived } }),
  );
  const remove = useCofferMutation(() => coffer().categories.delete({ ref: category.id }));
  return (
    <div className="row-actions">
      <Button onPress={() => setRenaming(true)} aria-label={`Rename ${category.name}`}>
        Rename
      </Button>
      <Button
        isPending={archive.isPending}
        onPress={() => archive.mutate(!category.archived)}
        aria-label={`${category.archived ? 'Unarchive' : 'Archive'} ${category.name}`}
      >
        {category.archived ? 'Unarchive' : 'Archive'}
      </Button>
      {!confirming && (
        <Button
          variant="danger"
          onPress={() => {
            remove.reset();
            setConfirming(true);
          }}
          aria-label={`Delete ${category.name}`}
        >
          Delete…
        </Button>
      )}
      {confirming && (
        <span role="group" aria-label={`Confirm deleting ${category.name}`} className="row-actions">
          <Button
            variant="danger"
            isPending={remove.isPending}
            onPress={() => remove.mutate(undefined, { onSettled: () => setConfirming(false) })}
          >
            Delete {category.name}
          </Button>
          <Button onPress={() => setConfirming(false)}>Keep</Button>
        </span>
      )}
      {(archive.isPending || remove.isPending) && <Progress label="Saving" />}
      {archive.isError && <ErrorMessage error={archive.error} title="Not changed" />}
      {remove.isError && <ErrorMessage error={remove.error} title="Not deleted" />}
      {renaming && (
        <RenameDialog
          what="category"
          name={category.name}
          rename={(name) => coffer().categories.update({ ref: category.id, patch: { name } })}
          onClose={() => setRenaming(false)}
        />
      )}
    </div>
  );
}
