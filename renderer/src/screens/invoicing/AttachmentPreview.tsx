import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AttachmentDownload } from '../../../../shared/api/attachment-upload.js';
import type { AttachmentSummary } from '../../../../shared/domain/invoicing.views.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { base64Blob } from '../../ui/save-download.js';

/** A blob: URL for the file's bytes, revoked when the preview goes away. */
function useObjectUrl(download: AttachmentDownload | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (download === undefined) return undefined;
    const next = URL.createObjectURL(
      base64Blob(download.contentBase64, download.attachment.mimeType),
    );
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [download]);
  return url;
}

/**
 * An attached file read back from the vault: an image shown inline, a PDF as a link that
 * downloads it. Nothing is fetched from anywhere but the core.
 */
export function AttachmentPreview({
  attachment,
  queryKey,
  read,
}: {
  attachment: AttachmentSummary;
  queryKey: readonly unknown[];
  read: () => Promise<AttachmentDownload>;
}): React.JSX.Element {
  const file = useQuery({ queryKey, queryFn: read, staleTime: Infinity });
  const url = useObjectUrl(file.data);
  if (file.isPending) return <Progress label={`Loading ${attachment.fileName}`} />;
  if (file.isError) return <ErrorMessage error={file.error} title="The file could not be read" />;
  if (url === null) return <Progress label={`Preparing ${attachment.fileName}`} />;
  if (attachment.mimeType.startsWith('image/')) {
    return (
      <img
        className="attachment-image"
        src={url}
        alt={`Attached file ${attachment.fileName}`}
        data-testid="attachment-image"
      />
    );
  }
  return (
    <a href={url} download={attachment.fileName} data-testid="attachment-download">
      Download {attachment.fileName}
    </a>
  );
}
