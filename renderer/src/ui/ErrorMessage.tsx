import { isApiError } from '../../../shared/api/api-error.js';

/** A refusal or failure, said plainly, with the code a user can quote in a bug report. */
export function ErrorMessage({
  error,
  title,
}: {
  error: unknown;
  title?: string;
}): React.JSX.Element {
  const message = error instanceof Error ? error.message : 'Something went wrong';
  const code = isApiError(error) ? error.code : undefined;
  return (
    <div role="alert" className="error-message">
      {title !== undefined && <strong>{title}: </strong>}
      {message}
      {code !== undefined && <span className="error-code"> ({code})</span>}
    </div>
  );
}
