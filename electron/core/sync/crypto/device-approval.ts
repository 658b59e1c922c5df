import { createHash } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { lengthPrefixed } from './length-prefixed.js';
import { X25519_KEY_BYTES } from './x25519-key-pair.js';

/**
 * Device approval: a new device asks, through the server, for the user key; a signed-in
 * device of the same user seals it to the new device's public key. The server relays both
 * sides, so it could swap the new device's key for one of its own. Both devices therefore
 * show a short code derived from what each sees — the request id, the new device's public
 * key and the user's public key — and the user approves only when the two match.
 *
 * 8 Crockford base32 characters are 40 bits: to pass the comparison with a key of its own,
 * the server must find a key pair whose code matches the genuine one, about 2^40 key
 * generations within the request's 15 minutes. The request id comes from the new device
 * (random), so no work can be done before the request exists.
 */
export const APPROVAL_REQUEST_TTL_MS = 15 * 60_000;
/** A request stamped this far ahead of our clock is still taken as fresh (clocks differ). */
export const APPROVAL_CLOCK_SKEW_MS = 60_000;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LABEL = 'coffer/device-approval-code/v1';

export interface DeviceApprovalSubject {
  requestId: string;
  newDevicePublicKey: Buffer;
  userPublicKey: Buffer;
}

/** The code both devices show, as "XXXX-XXXX". */
export function deviceApprovalCode(subject: DeviceApprovalSubject): string {
  if (
    subject.requestId.length === 0 ||
    subject.newDevicePublicKey.length !== X25519_KEY_BYTES ||
    subject.userPublicKey.length !== X25519_KEY_BYTES
  ) {
    throw new CofferError('INVALID_INPUT', 'An approval request needs its id and two public keys.');
  }
  const digest = createHash('sha256')
    .update(
      lengthPrefixed([
        CODE_LABEL,
        subject.requestId,
        subject.newDevicePublicKey,
        subject.userPublicKey,
      ]),
    )
    .digest();
  // The first 40 bits, 5 at a time.
  let code = '';
  for (let i = 0; i < 8; i++) {
    const bit = i * 5;
    const pair = ((digest[bit >> 3] as number) << 8) | (digest[(bit >> 3) + 1] as number);
    code += ALPHABET[(pair >> (11 - (bit & 7))) & 31];
  }
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Compares a code the user typed or confirmed with ours, ignoring case, spaces and dashes. */
export function sameApprovalCode(typed: string, expected: string): boolean {
  const normal = (text: string) => text.replace(/[\s-]+/g, '').toUpperCase();
  return normal(typed) === normal(expected);
}

/**
 * DEVICE_APPROVAL_EXPIRED once 15 minutes have passed since the request was made; `now` is
 * injected so the rule is tested without waiting. A request stamped more than a minute in
 * our future is refused as INVALID_INPUT: it would otherwise live longer than 15 minutes.
 */
export function assertApprovalRequestLive(createdAtMs: number, now: () => number): void {
  const nowMs = now();
  if (!Number.isFinite(createdAtMs) || !Number.isFinite(nowMs)) {
    throw new CofferError('INVALID_INPUT', 'An approval request has no valid time.');
  }
  if (createdAtMs - nowMs > APPROVAL_CLOCK_SKEW_MS) {
    throw new CofferError(
      'INVALID_INPUT',
      "The approval request is dated in this device's future: check the date and time settings on both devices.",
    );
  }
  if (nowMs >= createdAtMs + APPROVAL_REQUEST_TTL_MS) {
    throw new CofferError(
      'DEVICE_APPROVAL_EXPIRED',
      'This approval request is more than 15 minutes old. Start again on the new device.',
    );
  }
}
