import { useMutation } from '@tanstack/react-query';
import type { FileDownload } from '../../../../shared/api/file-payload.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { saveDownload } from '../../ui/save-download.js';

/** A button that asks the core for a file and saves it, with the wait and the outcome shown. */
export function DownloadAction({
  label,
  pendingLabel,
  fetch,
  isDisabled = false,
}: {
  isDisabled?: boolean;
  label: string;
  pendingLabel: string;
  fetch: () => Promise<FileDownload>;
}): React.JSX.Element {
  const download = useMutation({ mutationFn: fetch, onSuccess: saveDownload });
  return (
    <div className="download-action">
      <Button
        variant="primary"
        isPending={download.isPending}
        isDisabled={isDisabled}
        onPress={() => download.mutate()}
      >
        {label}
      </Button>
      {download.isPending && <Progress label={pendingLabel} />}
      {download.isError && <ErrorMessage error={download.error} title="Nothing was saved" />}
      {download.isSuccess && (
        <p className="status-line" role="status">
          Handed to the browser to save: {download.data.fileName} (
          {download.data.bytes.toLocaleString()} bytes).
        </p>
      )}
    </div>
  );
}
