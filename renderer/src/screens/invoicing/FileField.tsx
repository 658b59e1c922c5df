import { useId, useState } from 'react';
import type { AttachmentUpload } from '../../../../shared/api/attachment-upload.js';
import { ACCEPTED_FILE_TYPES, readPickedFile } from './file-upload.js';

/** A labelled file picker for an image or PDF; hands the form the file, ready to send. */
export function FileField({
  label,
  onChange,
  error,
}: {
  label: string;
  onChange: (upload: AttachmentUpload | null) => void;
  error?: string | undefined;
}): React.JSX.Element {
  const id = useId();
  const [readError, setReadError] = useState<string | null>(null);
  const shown = readError ?? error;
  return (
    <div className="field">
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="file"
        accept={ACCEPTED_FILE_TYPES}
        aria-invalid={shown !== undefined}
        aria-describedby={shown !== undefined ? `${id}-error` : undefined}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          setReadError(null);
          if (file === undefined) {
            onChange(null);
            return;
          }
          void readPickedFile(file).then(
            (read) => {
              if ('error' in read) {
                setReadError(read.error);
                onChange(null);
              } else onChange(read.upload);
            },
            (failure: unknown) => {
              setReadError(
                failure instanceof Error ? failure.message : 'The file could not be read',
              );
              onChange(null);
            },
          );
        }}
      />
      <span className="description">PNG, JPEG, GIF, WebP or PDF, up to 10 MiB</span>
      {shown !== undefined && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {shown}
        </span>
      )}
    </div>
  );
}
