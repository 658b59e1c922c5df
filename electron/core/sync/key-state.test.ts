import { describe, expect, it } from 'vitest';

import type { KeyState } from './client/account-api.client.js';
import { keyCatchUpDue } from './key-state.js';
import type { HeldKeys } from './key-state.js';

const quiet: KeyState = {
  userKeyVersion: 2,
  userKeyRotationDue: false,
  workspaceKeyRotationDue: false,
  sealedToYou: [
    { keyVersion: 1, userKeyVersion: 1 },
    { keyVersion: 2, userKeyVersion: 2 },
  ],
};
const member: HeldKeys = { userKeyVersion: 2, workspaceKeyVersions: [1, 2], admin: false };
const admin: HeldKeys = { ...member, admin: true };

describe('keyCatchUpDue', () => {
  it('is not due when the device holds the current user key and every key sealed to it', () => {
    expect(keyCatchUpDue(quiet, member)).toBe(false);
    expect(keyCatchUpDue(quiet, admin)).toBe(false);
    // A version sealed to an older user key was opened before that key was replaced.
    expect(keyCatchUpDue(quiet, { ...member, workspaceKeyVersions: [2] })).toBe(false);
  });

  it('is due when another device took a newer user key', () => {
    expect(keyCatchUpDue({ ...quiet, userKeyVersion: 3 }, member)).toBe(true);
  });

  it('is due when a revoked device still holds the user key held here', () => {
    expect(keyCatchUpDue({ ...quiet, userKeyRotationDue: true }, member)).toBe(true);
  });

  it("is due for an admin's device holding a workspace key when the workspace key is due", () => {
    const due = { ...quiet, workspaceKeyRotationDue: true };
    expect(keyCatchUpDue(due, admin)).toBe(true);
    // Members do not rotate it; an admin's device without any key yet cannot.
    expect(keyCatchUpDue(due, member)).toBe(false);
    const noneSealed = { ...due, sealedToYou: [] };
    expect(keyCatchUpDue(noneSealed, { ...admin, workspaceKeyVersions: [] })).toBe(false);
  });

  it('is due when a workspace key version sealed to the held user key is not held', () => {
    const newer = {
      ...quiet,
      sealedToYou: [...quiet.sealedToYou, { keyVersion: 3, userKeyVersion: 2 }],
    };
    expect(keyCatchUpDue(newer, member)).toBe(true);
    // Sealed to a user key version this device does not hold yet: the user key comes first.
    const ahead = {
      ...quiet,
      sealedToYou: [...quiet.sealedToYou, { keyVersion: 3, userKeyVersion: 3 }],
    };
    expect(keyCatchUpDue(ahead, member)).toBe(false);
  });
});
