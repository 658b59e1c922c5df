import type { KeyState } from './client/account-api.client.js';

/** What this device holds, to compare with the server's key state. */
export interface HeldKeys {
  userKeyVersion: number;
  workspaceKeyVersions: readonly number[];
  /** Only an admin's device rotates the workspace key. */
  admin: boolean;
}

/**
 * Whether the key directory must be read in full before a push (key-rotation.service.ts
 * catchUp, then the newly sealed workspace keys): another device took a newer user key, a
 * revoked device still holds this one, an admin's workspace key is due, or a workspace key
 * version sealed to the user key held here is not held yet. Anything else means the device
 * already holds the newest keys, and the push goes out under them.
 */
export function keyCatchUpDue(state: KeyState, held: HeldKeys): boolean {
  if (state.userKeyVersion !== null && state.userKeyVersion > held.userKeyVersion) return true;
  if (state.userKeyRotationDue && state.userKeyVersion === held.userKeyVersion) return true;
  if (held.admin && held.workspaceKeyVersions.length > 0 && state.workspaceKeyRotationDue) {
    return true;
  }
  const have = new Set(held.workspaceKeyVersions);
  return state.sealedToYou.some(
    (sealed) => !have.has(sealed.keyVersion) && sealed.userKeyVersion === held.userKeyVersion,
  );
}
