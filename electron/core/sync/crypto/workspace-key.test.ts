import { describe, expect, it } from 'vitest';
import { errorOf, flipByte } from './test-fixtures/crypto-test-support.js';
import { generateUserKey } from './user-key.js';
import {
  generateWorkspaceKey,
  openWorkspaceKey,
  sealWorkspaceKey,
  type SealedWorkspaceKey,
} from './workspace-key.js';
import { rotateWorkspaceKey } from './workspace-key-rotation.js';
import { WorkspaceKeyring } from './workspace-keyring.js';

const WS = 'ws-books';

function members() {
  const alice = generateUserKey('u-alice');
  const bob = generateUserKey('u-bob');
  const carol = generateUserKey('u-carol');
  const asMember = (key: typeof alice) => ({ userId: key.userId, publicKey: key.pair.publicKey });
  return { alice, bob, carol, asMember };
}

describe('workspace keys sealed to members', () => {
  it('are 256 random bits, versioned', () => {
    const key = generateWorkspaceKey(WS, 1);
    expect(key.key.length).toBe(32);
    expect(key).toMatchObject({ workspaceId: WS, version: 1 });
    expect(generateWorkspaceKey(WS, 1).key.equals(key.key)).toBe(false);
    errorOf(() => generateWorkspaceKey(WS, 0), 'INVALID_INPUT');
  });

  it('open for the member they were sealed to', () => {
    const { alice, asMember } = members();
    const key = generateWorkspaceKey(WS, 1);
    const sealed = sealWorkspaceKey(key, asMember(alice));
    expect(sealed).toMatchObject({ workspaceId: WS, version: 1, userId: 'u-alice' });
    expect(sealed.sealed.includes(key.key)).toBe(false);
    expect(openWorkspaceKey(sealed, alice.pair)).toEqual(key);
  });

  it("refuse another member's key, another workspace, version or user, and any changed byte", () => {
    const { alice, bob, asMember } = members();
    const sealed = sealWorkspaceKey(generateWorkspaceKey(WS, 4), asMember(alice));
    const relabelled: SealedWorkspaceKey[] = [
      { ...sealed, workspaceId: 'ws-other' },
      { ...sealed, version: 5 },
      { ...sealed, userId: 'u-bob' },
    ];
    errorOf(() => openWorkspaceKey(sealed, bob.pair), 'KEY_UNWRAP_FAILED');
    for (const label of relabelled) {
      errorOf(() => openWorkspaceKey(label, alice.pair), 'KEY_UNWRAP_FAILED');
    }
    for (let i = 0; i < sealed.sealed.length; i += 7) {
      errorOf(
        () => openWorkspaceKey({ ...sealed, sealed: flipByte(sealed.sealed, i) }, alice.pair),
        'KEY_UNWRAP_FAILED',
      );
    }
  });
});

describe('workspace keyring', () => {
  it('holds several versions, newest current, and says which version it lacks', () => {
    const v1 = generateWorkspaceKey(WS, 1);
    const v2 = generateWorkspaceKey(WS, 2);
    const ring = new WorkspaceKeyring(WS, [v2, v1]);
    expect(ring.versions()).toEqual([1, 2]);
    expect(ring.current().version).toBe(2);
    expect(ring.get(1).key.equals(v1.key)).toBe(true);
    const error = errorOf(() => ring.get(3), 'KEY_VERSION_UNKNOWN');
    expect(error.message).toMatch(/version 3/);
    errorOf(() => new WorkspaceKeyring(WS).current(), 'KEY_VERSION_UNKNOWN');
  });

  it('refuses a key of another workspace or a second, different key for a version', () => {
    const ring = new WorkspaceKeyring(WS, [generateWorkspaceKey(WS, 1)]);
    errorOf(() => ring.add(generateWorkspaceKey('ws-other', 2)), 'INVALID_INPUT');
    errorOf(() => ring.add(generateWorkspaceKey(WS, 1)), 'CONFLICT');
    ring.add({ ...ring.get(1), key: Buffer.from(ring.get(1).key) }); // the same key again is fine
    expect(ring.versions()).toEqual([1]);
  });

  it('wipes the keys it holds', () => {
    const key = generateWorkspaceKey(WS, 1);
    const ring = new WorkspaceKeyring(WS, [key]);
    const held = ring.get(1).key;
    ring.wipe();
    expect(held.equals(Buffer.alloc(32))).toBe(true);
    expect(ring.versions()).toEqual([]);
    expect(key.key.equals(Buffer.alloc(32))).toBe(false); // the caller's copy is the caller's
  });
});

describe('workspace key rotation', () => {
  it('makes version n+1 for the remaining members only; older versions stay with whoever held them', () => {
    const { alice, bob, carol, asMember } = members();
    const v1 = generateWorkspaceKey(WS, 1);
    const sealedV1 = [alice, bob, carol].map((m) => sealWorkspaceKey(v1, asMember(m)));
    const aliceRing = new WorkspaceKeyring(WS, [openWorkspaceKey(sealedV1[0]!, alice.pair)]);

    // Carol is removed.
    const rotation = rotateWorkspaceKey(aliceRing, [asMember(alice), asMember(bob)]);
    expect(rotation.key.version).toBe(2);
    expect(rotation.key.key.equals(v1.key)).toBe(false);
    expect(rotation.sealed.map((s) => s.userId)).toEqual(['u-alice', 'u-bob']);
    expect(aliceRing.versions()).toEqual([1, 2]);
    expect(aliceRing.current().version).toBe(2);

    // Bob opens version 2, and still opens version 1 from his old copy.
    const bobRing = new WorkspaceKeyring(WS, [
      openWorkspaceKey(sealedV1[1]!, bob.pair),
      openWorkspaceKey(rotation.sealed[1]!, bob.pair),
    ]);
    expect(bobRing.get(2).key.equals(rotation.key.key)).toBe(true);
    expect(bobRing.get(1).key.equals(v1.key)).toBe(true);

    // Carol keeps version 1, which is all she could read, and opens no copy of version 2.
    expect(openWorkspaceKey(sealedV1[2]!, carol.pair).key.equals(v1.key)).toBe(true);
    for (const copy of rotation.sealed) {
      errorOf(() => openWorkspaceKey(copy, carol.pair), 'KEY_UNWRAP_FAILED');
      errorOf(
        () => openWorkspaceKey({ ...copy, userId: 'u-carol' }, carol.pair),
        'KEY_UNWRAP_FAILED',
      );
    }
    expect(rotateWorkspaceKey(bobRing, [asMember(bob)]).key.version).toBe(3);
  });

  it('refuses a rotation with no members, a member twice, or no current key', () => {
    const { alice, asMember } = members();
    const ring = new WorkspaceKeyring(WS, [generateWorkspaceKey(WS, 1)]);
    errorOf(() => rotateWorkspaceKey(ring, []), 'INVALID_INPUT');
    errorOf(() => rotateWorkspaceKey(ring, [asMember(alice), asMember(alice)]), 'INVALID_INPUT');
    expect(ring.versions()).toEqual([1]);
    errorOf(
      () => rotateWorkspaceKey(new WorkspaceKeyring(WS), [asMember(alice)]),
      'KEY_VERSION_UNKNOWN',
    );
  });
});
