import { CofferError } from '../../../../shared/errors/coffer-error.js';
import {
  generateWorkspaceKey,
  sealWorkspaceKey,
  type MemberPublicKey,
  type SealedWorkspaceKey,
  type WorkspaceKey,
} from './workspace-key.js';
import type { WorkspaceKeyring } from './workspace-keyring.js';

export interface WorkspaceKeyRotation {
  key: WorkspaceKey;
  /** One sealed copy per remaining member, to upload. */
  sealed: SealedWorkspaceKey[];
}

/**
 * The next workspace key (newest version + 1), sealed to the members who remain, and added to
 * the keyring. A removed member — or the user of a revoked device — still holds the versions
 * they had, which is all they could ever read; they get no copy of the new one, so nothing
 * written from now on is theirs to read. Nothing is re-encrypted: changes under older
 * versions stay readable to everyone who remains, through the versions they hold.
 */
export function rotateWorkspaceKey(
  keyring: WorkspaceKeyring,
  remainingMembers: readonly MemberPublicKey[],
): WorkspaceKeyRotation {
  if (remainingMembers.length === 0) {
    throw new CofferError('INVALID_INPUT', 'A workspace key is rotated for at least one member.');
  }
  const userIds = new Set(remainingMembers.map((member) => member.userId));
  if (userIds.size !== remainingMembers.length) {
    throw new CofferError('INVALID_INPUT', 'A member is listed twice for the new workspace key.');
  }
  const key = generateWorkspaceKey(keyring.workspaceId, keyring.current().version + 1);
  const sealed = remainingMembers.map((member) => sealWorkspaceKey(key, member));
  keyring.add(key);
  return { key, sealed };
}
