import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { DeviceApprovalApiClient } from './client/device-approval-api.client.js';
import {
  APPROVAL_REQUEST_TTL_MS,
  assertApprovalRequestLive,
  deviceApprovalCode,
} from './crypto/device-approval.js';
import { openUserKeyOnDevice } from './crypto/user-key.js';
import type { UserKey, UserKeyLabel } from './crypto/user-key.js';
import { generateX25519KeyPair } from './crypto/x25519-key-pair.js';
import type { X25519KeyPair } from './crypto/x25519-key-pair.js';

/** How a new device shows its wait: the code once, then how long is left now and then. */
export interface ApprovalWaitHooks {
  /** The request exists: show its code (and id) so the user can approve it elsewhere. */
  onCode(request: { id: string; code: string; expiresAt: string }): void | Promise<void>;
  /** Called after each look at the server that found no answer yet. */
  onWaiting?(remainingMs: number): void;
  /** Between looks at the server; 2 seconds by default. */
  pollMs?: number;
  now?: () => number;
  /** Ends the wait (the user cancelled): rejects with SIGN_IN_CANCELLED, nothing stored. */
  signal?: AbortSignal;
}

/**
 * A new device's side of device approval: a fresh device key pair, a request under a random
 * id, the short code derived from what this device sees, then a wait — bounded by the
 * request's 15 minutes — for a device that holds the user key to seal it to this one. The
 * box is bound to the request id (as the device id of `coffer/user-key-to-device/v1`) and
 * must open to the user public key the server lists; anything else is KEY_UNWRAP_FAILED
 * and nothing is kept. Returns the user key and the device key pair it was sealed to.
 */
export async function awaitDeviceApproval(
  client: DeviceApprovalApiClient,
  token: string,
  expected: UserKeyLabel,
  hooks: ApprovalWaitHooks,
): Promise<{ userKey: UserKey; device: X25519KeyPair }> {
  const now = hooks.now ?? Date.now;
  const device = generateX25519KeyPair();
  const id = randomUUID();
  const startedAt = now();
  const made = await client.request(token, id, device.publicKey.toString('base64url'));
  const code = deviceApprovalCode({
    requestId: id,
    newDevicePublicKey: device.publicKey,
    userPublicKey: expected.publicKey,
  });
  await hooks.onCode({ id, code, expiresAt: made.expiresAt });
  for (;;) {
    throwIfCancelled(hooks.signal);
    const answer = await client.result(token, id);
    if (answer.state === 'approved') {
      if (answer.sealedUserKey === undefined || answer.userKeyVersion !== expected.version) {
        throw new CofferError(
          'KEY_UNWRAP_FAILED',
          'The approval holds no user key of the version the server lists; nothing was stored.',
        );
      }
      return {
        userKey: openApproval(Buffer.from(answer.sealedUserKey, 'base64url'), id, device, expected),
        device,
      };
    }
    if (answer.state === 'denied') {
      throw new CofferError(
        'DEVICE_APPROVAL_DENIED',
        'A signed-in device of this account denied the request; nothing was stored.',
      );
    }
    if (answer.state === 'expired') {
      throw new CofferError(
        'DEVICE_APPROVAL_EXPIRED',
        'No device approved the request within 15 minutes; nothing was stored. Sign in again to make a new one.',
      );
    }
    // Our own clock bounds the wait too, whatever the server says.
    assertApprovalRequestLive(startedAt, now);
    hooks.onWaiting?.(startedAt + APPROVAL_REQUEST_TTL_MS - now());
    await sleep(hooks.pollMs ?? 2_000, undefined, { signal: hooks.signal }).catch(() => undefined);
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new CofferError(
      'SIGN_IN_CANCELLED',
      'The wait for approval was cancelled; nothing was stored.',
    );
  }
}

function openApproval(
  sealed: Buffer,
  requestId: string,
  device: X25519KeyPair,
  expected: UserKeyLabel,
): UserKey {
  try {
    return openUserKeyOnDevice(sealed, requestId, device, expected);
  } catch (error) {
    if (isCofferError(error) && error.code === 'KEY_UNWRAP_FAILED') {
      throw new CofferError(
        'KEY_UNWRAP_FAILED',
        "The approval does not open with this device's key to this account's user key: it was altered on the way. Nothing was stored.",
      );
    }
    throw error;
  }
}
