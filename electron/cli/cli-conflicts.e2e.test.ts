import { describe, expect, it } from 'vitest';
import type { Change } from '../../shared/sync/change.js';
import { RemoteChangeApplier } from '../core/sync/apply/remote-change-applier.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import { cliFailed, cliOk, enableOutbox, keychainScratch } from './testing/cli-json.js';

const scratch = keychainScratch('coffer-cli-conflicts-');

async function newVault(name: string): Promise<string> {
  const vault = scratch.path(name);
  scratch.vaultIds.push(String((await cliOk(vault, ['init']))['vaultId']));
  // A synced vault: what it writes is kept in its outbox for the other to receive.
  await enableOutbox(vault);
  return vault;
}

/**
 * Carries what `from` wrote since last time into `to`, as sync will: the outbox of one vault,
 * applied by the other. `sent` remembers the change ids already carried.
 */
async function carry(from: string, to: string, sent: Set<string>): Promise<void> {
  const source = await openVault({ dir: from, keyStore: new KeychainKeyStore() });
  let changes: Change[];
  try {
    changes = source.changes
      .pending(100_000)
      .map((e) => e.change)
      .filter((c) => !sent.has(c.id));
  } finally {
    source.close();
  }
  for (const c of changes) sent.add(c.id);
  const target = await openVault({ dir: to, keyStore: new KeychainKeyStore() });
  try {
    const result = new RemoteChangeApplier(target).apply(changes);
    expect(result.refused).toEqual([]);
  } finally {
    target.close();
  }
}

interface ListedConflict {
  id: string;
  field: string;
  recordId: string;
  mine: { value: unknown; deviceId: string };
  theirs: { value: unknown; deviceId: string };
}

const conflictsOf = async (vault: string): Promise<ListedConflict[]> =>
  ((await cliOk(vault, ['conflicts', 'list'])) as unknown as { conflicts: ListedConflict[] })
    .conflicts;

/**
 * `conflicts list|resolve` through the real `coffer` process and keychain, on two vaults
 * whose changes are carried between them in-process (the network client is separate).
 * @module-tag secret-service
 */
describe('coffer conflicts (child process, real keychain)', { timeout: 300_000 }, () => {
  it('lists a concurrent amount edit the same way on both vaults, and a resolution clears it on both', async () => {
    const a = await newVault('a');
    const b = await newVault('b');
    const toB = new Set<string>();
    const toA = new Set<string>();
    await cliOk(a, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    const tx = await cliOk(a, [
      'tx',
      'add',
      '--account',
      'Checking',
      '--amount',
      '-12.00',
      '--date',
      '2026-11-02',
    ]);
    const id = String(tx['id']);
    await carry(a, b, toB);
    expect(await conflictsOf(b)).toEqual([]);

    await cliOk(a, ['tx', 'edit', id, '--amount', '-15.00']);
    await cliOk(b, ['tx', 'edit', id, '--amount', '-18.00']);
    await carry(a, b, toB);
    await carry(b, a, toA);

    const onA = await conflictsOf(a);
    const onB = await conflictsOf(b);
    expect(onA).toHaveLength(1);
    expect(onB).toEqual(onA);
    expect(onA[0]).toMatchObject({
      recordId: id,
      field: 'amountMinor',
      mine: { value: -1800 },
      theirs: { value: -1500 },
    });
    const conflictId = onA[0]?.id as string;

    const refused = await cliFailed(a, ['conflicts', 'resolve', 'f'.repeat(32), '--keep', 'mine']);
    expect(refused.error.code).toBe('NOT_FOUND');
    const wrongKind = await cliFailed(a, ['conflicts', 'resolve', conflictId, '--keep', 'lots']);
    expect(wrongKind.error.code).toBe('INVALID_INPUT');
    expect(await conflictsOf(a)).toEqual(onA);

    const resolved = await cliOk(a, ['conflicts', 'resolve', conflictId, '--keep', 'theirs']);
    expect(resolved).toMatchObject({ kept: -1500 });
    expect(await conflictsOf(a)).toEqual([]);
    await carry(a, b, toB);
    expect(await conflictsOf(b)).toEqual([]);
    for (const vault of [a, b]) {
      const listed = (await cliOk(vault, ['tx', 'list'])) as {
        transactions: { id: string; amountMinor: number }[];
      };
      expect(listed.transactions.find((t) => t.id === id)?.amountMinor).toBe(-1500);
    }
  });
});
