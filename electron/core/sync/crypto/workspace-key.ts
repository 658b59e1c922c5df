import { randomBytes } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { assertKeyVersion } from './key-version.js';
import { open, seal, type SealBinding } from './sealed-box.js';
import type { X25519KeyPair } from './x25519-key-pair.js';

/**
 * A workspace key: 256 random bits that encrypt the workspace's changes and snapshots,
 * versioned from 1. Each member holds it sealed to their user public key; the server keeps
 * those sealed copies and never the key.
 */
export interface WorkspaceKey {
  workspaceId: string;
  version: number;
  key: Buffer;
}

/** A member as key wrapping sees them: whose user key, and its public half (pinned). */
export interface MemberPublicKey {
  userId: string;
  publicKey: Buffer;
}

/** A workspace key sealed to one member, as uploaded to the server. */
export interface SealedWorkspaceKey {
  workspaceId: string;
  version: number;
  userId: string;
  sealed: Buffer;
}

export const WORKSPACE_KEY_BYTES = 32;
const PURPOSE = 'coffer/workspace-key-to-member/v1';

export function generateWorkspaceKey(workspaceId: string, version: number): WorkspaceKey {
  assertKeyVersion(version);
  return { workspaceId, version, key: randomBytes(WORKSPACE_KEY_BYTES) };
}

export function sealWorkspaceKey(key: WorkspaceKey, member: MemberPublicKey): SealedWorkspaceKey {
  const sealed = seal(
    key.key,
    member.publicKey,
    binding(key.workspaceId, key.version, member.userId),
  );
  return { workspaceId: key.workspaceId, version: key.version, userId: member.userId, sealed };
}

/**
 * The workspace key in `sealed`, opened with the member's user key pair; KEY_UNWRAP_FAILED
 * when it was sealed to someone else, for another workspace or version, or altered.
 */
export function openWorkspaceKey(sealed: SealedWorkspaceKey, userKey: X25519KeyPair): WorkspaceKey {
  const key = open(
    sealed.sealed,
    userKey,
    binding(sealed.workspaceId, sealed.version, sealed.userId),
  );
  if (key.length !== WORKSPACE_KEY_BYTES) {
    key.fill(0);
    throw new CofferError('KEY_UNWRAP_FAILED', 'A wrapped workspace key holds no usable key.');
  }
  return { workspaceId: sealed.workspaceId, version: sealed.version, key };
}

function binding(workspaceId: string, version: number, userId: string): SealBinding {
  assertKeyVersion(version);
  return { purpose: PURPOSE, context: { workspaceId, keyVersion: version, userId } };
}
