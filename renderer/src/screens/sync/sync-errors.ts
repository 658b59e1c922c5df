/**
 * Which field of a sync form a refusal from the core is about, so the message is shown
 * next to what the user typed (and what they typed stays). The server's own code, when
 * the refusal came from it, is in `details.serverCode`.
 */
import { isApiError } from '../../../../shared/api/api-error.js';

export type SyncField = 'url' | 'email' | 'password' | 'code' | 'recoveryKey';

export function serverCode(error: unknown): string | undefined {
  if (!isApiError(error)) return undefined;
  const code = error.details?.['serverCode'];
  return typeof code === 'string' ? code : undefined;
}

/**
 * The field `error` concerns among `fields` (the form's own), or null when it is about the
 * whole step (the server unreachable, its certificate changed, the sign-in expired).
 */
export function fieldOfError(error: unknown, fields: readonly SyncField[]): SyncField | null {
  if (!isApiError(error)) return null;
  const byCode = fieldFromCodes(error.code, serverCode(error), fields);
  if (byCode !== null && fields.includes(byCode)) return byCode;
  // Input the shared schema refused names its field.
  const named = Object.keys(error.fieldErrors()).find((key): key is SyncField =>
    fields.includes(key as SyncField),
  );
  return named ?? null;
}

function fieldFromCodes(
  code: string,
  server: string | undefined,
  fields: readonly SyncField[],
): SyncField | null {
  if (server !== undefined) {
    if (server.startsWith('PASSWORD_') || server === 'INVALID_CREDENTIALS') return 'password';
    if (server.startsWith('EMAIL_')) return 'email';
    if (server === 'INVALID_CODE') return 'code';
  }
  switch (code) {
    case 'RECOVERY_KEY_WRONG':
    case 'RECOVERY_KEY_MALFORMED':
    case 'RECOVERY_KEY_INVALID':
      return 'recoveryKey';
    case 'SERVER_UNREACHABLE':
      return 'url';
    // A refused sign-in: the code on the second-factor step, the password before it.
    case 'AUTH_FAILED':
      return fields.includes('code') ? 'code' : 'password';
    default:
      return null;
  }
}

/** A refusal as shown by a field: the core's message and the code a user can quote. */
export function errorText(error: unknown): string {
  const message = error instanceof Error && error.message !== '' ? error.message : 'Failed';
  if (!isApiError(error)) return message;
  // A server refusal's message already names the server's own, more precise code.
  const server = serverCode(error);
  if (server !== undefined && message.includes(`(${server})`)) return message;
  return `${message} (${error.code})`;
}
