/**
 * Which field of a Security form a refusal is about, so its message shows next to what
 * the user typed (which stays).
 */
import { isApiError } from '../../../../shared/api/api-error.js';

export type SecurityField = 'currentPassword' | 'newPassword' | 'code';

export function securityFieldOfError(
  error: unknown,
  fields: readonly SecurityField[],
): SecurityField | null {
  if (!isApiError(error)) return null;
  const server = error.details?.['serverCode'];
  let field: SecurityField | null = null;
  if (typeof server === 'string') {
    if (server.startsWith('PASSWORD_')) field = 'newPassword';
    else if (server === 'INVALID_CREDENTIALS') field = 'currentPassword';
    else if (server === 'INVALID_CODE' || server.startsWith('CODE_')) field = 'code';
  }
  if (field === null) {
    const named = Object.keys(error.fieldErrors()).find((key) =>
      fields.includes(key as SecurityField),
    );
    field = (named as SecurityField | undefined) ?? null;
  }
  return field !== null && fields.includes(field) ? field : null;
}

/** The message for a field: the server's words, without the request path jargon. */
export function securityErrorText(error: unknown): string {
  if (!(error instanceof Error) || error.message === '') return 'Refused';
  return error.message.replace(/^The sync server refused: /, '');
}
