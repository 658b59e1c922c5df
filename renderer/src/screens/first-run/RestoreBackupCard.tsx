import { useState } from 'react';
import { FileTrigger } from 'react-aria-components';
import { coffer } from '../../api/coffer-client.js';
import { uploadFile } from '../../api/upload-file.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Progress } from '../../ui/Progress.js';

/** Restores a backup file (made by Coffer's backup) into the empty vault folder. */
export function RestoreBackupCard(): React.JSX.Element {
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const restore = useCofferMutation(async (picked: File) => {
    const uploadId = await uploadFile(picked, (done, total) => setSent({ sent: done, total }));
    return coffer().app.restoreBackup({ uploadId });
  });

  return (
    <section aria-labelledby="restore-heading" className="card">
      <h2 id="restore-heading">Restore a backup</h2>
      <p>
        Pick a backup file made by Coffer. It stays encrypted; your keychain or your Recovery Key
        opens it.
      </p>
      <div className="button-row">
        <FileTrigger onSelect={(files) => setFile(files?.[0] ?? null)}>
          <Button>Choose backup file…</Button>
        </FileTrigger>
        <span className="status-line">{file === null ? 'No file chosen' : file.name}</span>
      </div>
      <Button
        variant="primary"
        isDisabled={file === null}
        isPending={restore.isPending}
        onPress={() => {
          if (file !== null) restore.mutate(file);
        }}
      >
        Restore backup
      </Button>
      {restore.isPending && (
        <Progress label="Restoring the backup" value={sent?.sent ?? 0} total={sent?.total ?? 0} />
      )}
      {restore.isError && (
        <ErrorMessage error={restore.error} title="The backup was not restored" />
      )}
      {restore.isSuccess && (
        <p role="status">
          Restored the backup taken on{' '}
          {formatIsoDate(new Date(restore.data.backedUpAt).toISOString().slice(0, 10))}.
        </p>
      )}
    </section>
  );
}
