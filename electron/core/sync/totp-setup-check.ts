/**
 * The authenticator setup a server hands out, checked before a window sees it: the app
 * draws the QR code from the otpauth URI itself, so the URI must be a TOTP one that
 * carries exactly the key shown beside the picture.
 */
import { CofferError } from '../../../shared/errors/coffer-error.js';

/** The account label of an `otpauth://totp/<label>?secret=<secret>…` URI for this secret. */
export function totpLabel(otpauthUri: string, secret: string): string {
  let uri: URL;
  try {
    uri = new URL(otpauthUri);
  } catch {
    throw unusableTotp();
  }
  if (
    uri.protocol !== 'otpauth:' ||
    uri.host !== 'totp' ||
    !/^[A-Z2-7]{16,128}=*$/.test(secret) ||
    uri.searchParams.get('secret')?.toUpperCase() !== secret
  ) {
    throw unusableTotp();
  }
  try {
    return decodeURIComponent(uri.pathname.replace(/^\//, ''));
  } catch {
    throw unusableTotp();
  }
}

function unusableTotp(): CofferError {
  return new CofferError(
    'SERVER_ERROR',
    'The sync server sent an authenticator key Coffer cannot use: nothing was turned on.',
  );
}
