/**
 * Every failure Coffer reports to a user, a script or another process carries a stable
 * SNAKE_CASE code. Messages are for people; codes are for programs and tests.
 * A message must never contain a secret (key, token, password, code).
 */
export type ErrorCode =
  // input
  | 'INVALID_INPUT'
  | 'INVALID_AMOUNT'
  | 'AMBIGUOUS_AMOUNT'
  | 'TOO_MANY_DECIMALS'
  | 'AMOUNT_OUT_OF_RANGE'
  | 'UNKNOWN_CURRENCY'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_DATE'
  | 'INVALID_MONTH'
  | 'SPLITS_DO_NOT_SUM'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'OVERPAYMENT'
  // files
  | 'FILE_NOT_FOUND'
  | 'FILE_TOO_LARGE'
  /** An attachment whose bytes are not an image or PDF Coffer shows, or not what it claims. */
  | 'UNSUPPORTED_FILE_TYPE'
  | 'IMPORT_PARSE_ERROR'
  | 'IMPORT_FORMAT_UNSUPPORTED'
  /** The file can be read more than one way (e.g. 03/04 as March or April); a flag decides. */
  | 'IMPORT_NEEDS_CHOICE'
  /** The bank's server answered with an error instead of a statement (OFX <SONRS>). */
  | 'IMPORT_BANK_ERROR'
  /** A file with several accounts holds one no vault account is tied to. */
  | 'IMPORT_ACCOUNT_UNKNOWN'
  // vault
  | 'VAULT_NOT_FOUND'
  | 'VAULT_EXISTS'
  | 'VAULT_LOCKED'
  | 'VAULT_KEY_INVALID'
  | 'VAULT_CORRUPT'
  | 'VAULT_TOO_NEW'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'KEY_NOT_FOUND'
  | 'KEY_FILE_INSECURE'
  | 'REKEY_FAILED'
  | 'VAULT_READ_ONLY'
  | 'VAULT_IO_ERROR'
  | 'DISK_FULL'
  | 'RECOVERY_KEY_MALFORMED'
  | 'RECOVERY_KEY_INVALID'
  | 'RECOVERY_NOT_SET_UP'
  | 'BACKUP_CORRUPT'
  | 'DIRECTORY_NOT_EMPTY'
  // settings
  /** A locale that is not a well-formed BCP 47 tag (Intl.getCanonicalLocales refuses it). */
  | 'INVALID_LOCALE'
  /** A logo that is not a PNG or JPEG by its first bytes, whatever its name or type says. */
  | 'LOGO_UNSUPPORTED_TYPE'
  | 'LOGO_TOO_LARGE'
  // app lock
  /** A new app passcode shorter than the minimum (or longer than the maximum). */
  | 'PASSCODE_TOO_WEAK'
  | 'PASSCODE_WRONG'
  | 'PASSCODE_NOT_SET'
  | 'PASSCODE_ALREADY_SET'
  /** Too many wrong passcodes: even the right one is refused until the delay has passed. */
  | 'PASSCODE_ATTEMPTS_EXCEEDED'
  /** The app is locked: nothing answers until it is unlocked with the passcode. */
  | 'APP_LOCKED'
  /** Unlocking with Touch ID / Windows Hello was asked for while it is turned off. */
  | 'OS_UNLOCK_OFF'
  /** The OS check was cancelled or failed; counted like a wrong passcode. */
  | 'OS_CHECK_FAILED'
  /** An OS check's outcome arrived with no check started for it. */
  | 'OS_CHECK_NOT_STARTED'
  /** This platform or machine has no OS check Coffer can use. */
  | 'OS_CHECK_UNAVAILABLE'
  /** An OS check is already showing. */
  | 'OS_CHECK_BUSY'
  /** The OS check was asked for while the app is not locked. */
  | 'APP_NOT_LOCKED'
  // sync
  | 'CLOCK_DRIFT'
  | 'CLOCK_OVERFLOW'
  /** A public or private key that is not a usable X25519 key (wrong length, low-order point). */
  | 'KEY_INVALID'
  /** A wrapped key that this key pair does not open: another recipient, other context, or altered. */
  | 'KEY_UNWRAP_FAILED'
  /** A change envelope that fails authentication: altered label, ciphertext or nonce, or another key. */
  | 'CHANGE_DECRYPT_FAILED'
  /** Decrypted bytes whose padding is not what the padder writes. */
  | 'PADDING_INVALID'
  /** A workspace key version this device does not hold. */
  | 'KEY_VERSION_UNKNOWN'
  /** A snapshot chunk failed its tag or label checks, or its content is not a snapshot. */
  | 'SNAPSHOT_INVALID'
  /** A device approval request older than its 15 minutes. */
  | 'DEVICE_APPROVAL_EXPIRED'
  /** A signed-in device of the account denied this device's request for the user key. */
  | 'DEVICE_APPROVAL_DENIED'
  /** The approval code typed is not the one derived from the request: nothing is approved. */
  | 'APPROVAL_CODE_MISMATCH'
  /** The server handed a member key that differs from the one this device saw first. */
  | 'PINNED_KEY_MISMATCH'
  /** The sync server's certificate is not the one pinned by its SHA-256 fingerprint. */
  | 'CERT_PIN_MISMATCH'
  /** No TLS 1.3 connection could be made with the sync server (older TLS, bad certificate). */
  | 'TLS_FAILED'
  /** The sync server could not be reached (refused, timed out, no route). */
  | 'SERVER_UNREACHABLE'
  /** The sync server failed (5xx) or answered something that is not its protocol. */
  | 'SERVER_ERROR'
  /** The sync server refused the request; details.serverCode says why. */
  | 'SERVER_REFUSED'
  /** This device's session was revoked: its workspace data is crypto-shredded. */
  | 'SESSION_REVOKED'
  /** This account was removed from the workspace: its data on this device is crypto-shredded. */
  | 'MEMBER_REMOVED'
  /** This device's session ended (expired or signed out): sign in again. */
  | 'SESSION_ENDED'
  /** Wrong email, password or second-factor code. */
  | 'AUTH_FAILED'
  /** A sensitive change the server takes only after a recent step-up (password + second factor). */
  | 'STEP_UP_REQUIRED'
  /** A step-up with the password alone for an account that has a second factor. */
  | 'SECOND_FACTOR_REQUIRED'
  /** The server did not accept the passkey (unknown, another account's, wrong origin, expired challenge). */
  | 'PASSKEY_REJECTED'
  /** The server's rate limits or backoff: try again later. */
  | 'RATE_LIMITED'
  /** A sync command in a vault that is not signed in to a sync server. */
  | 'SYNC_NOT_SET_UP'
  /** A sign-in waited too long between its steps (or the server ended it): start again. */
  | 'SIGN_IN_EXPIRED'
  /** A sign-in step was asked for with no sign-in waiting at it. */
  | 'SIGN_IN_NOT_STARTED'
  /** A sign-in's wait for approval by a signed-in device was cancelled here. */
  | 'SIGN_IN_CANCELLED'
  /** An Account Recovery Key that is well formed but opens no key of this account. */
  | 'RECOVERY_KEY_WRONG'
  /** An invite the server does not take: unknown, used, expired, or for another address. */
  | 'INVITE_INVALID'
  /** The workspace's policy requires a second factor this account does not have yet. */
  | 'MFA_REQUIRED'
  /**
   * This account's role in the workspace may not change these records: a viewer changes
   * nothing, a member neither contracts nor workspace settings (ARCHITECTURE §5).
   */
  | 'ROLE_FORBIDDEN'
  /** The workspace keeps at least one admin: the last one cannot be demoted or removed. */
  | 'LAST_ADMIN'
  /** The workspace key has not been sealed to this user yet (an admin does it). */
  | 'WORKSPACE_KEY_PENDING'
  /** An invoice of a synced workspace takes its number from the sync server, asked for first. */
  | 'INVOICE_NUMBER_FROM_SERVER'
  // app
  /** A window called a method the API does not list. */
  | 'UNKNOWN_METHOD'
  /** The call needs an open vault and none is open (first run, or after closing). */
  | 'VAULT_CLOSED'
  /** Another write (an import) holds the vault's transaction open: try again when it ends. */
  | 'VAULT_BUSY'
  /** The window lost its connection to the core (web mode server stopped, core restarted). */
  | 'DISCONNECTED'
  // usage
  | 'USAGE'
  | 'INTERNAL';

export interface CofferErrorJson {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class CofferError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CofferError';
    this.code = code;
    this.details = details;
  }

  toJSON(): CofferErrorJson {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isCofferError(value: unknown): value is CofferError {
  return value instanceof CofferError;
}
