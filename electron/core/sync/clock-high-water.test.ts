import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { tsEntryArgs } from '../testing/ts-entry.js';
import { KeyFileKeyStore } from '../vault/key-file.key-store.js';
import { getMeta } from '../vault/vault-meta.js';
import { createVault, openVault, type Vault } from '../vault/vault.js';
import { formatHlc } from '../../../shared/hlc/hlc.js';
import { CLOCK_LEASE_MS, readClockHighWater, saveClockHighWater } from './clock-high-water.js';

/**
 * The HLC clock must never go backwards across restarts, even when the system clock did,
 * although ChangeRecorder no longer writes the high-water mark on every change: the outbox
 * holds every unacknowledged HLC and acknowledging saves the mark (clock-high-water.ts).
 */
const START = 1_750_000_000_000;
const HOUR = 3_600_000;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** A vault linked to sync unless `outbox` is false: its HLCs are bounded by the outbox. */
async function tempVaultAt(wall: { ms: number }, outbox = true): Promise<TempVault> {
  const temp = await createTempVault({ now: () => wall.ms, outbox });
  cleanups.push(() => temp.cleanup());
  return temp;
}

async function reopen(temp: TempVault, wallMs: number): Promise<Vault> {
  const vault = await openVault({ dir: temp.dir, keyStore: temp.keyStore, now: () => wallMs });
  cleanups.push(() => vault.close());
  return vault;
}

/** Ends the connection the way a crash does as far as the vault is concerned: no close-time work. */
function crash(vault: Vault): void {
  vault.db.close();
}

function recordOne(vault: Vault, recordId: string): string {
  return vault.transaction(
    () => vault.changes.record('payees', recordId, 'upsert', { name: recordId }).hlc,
  );
}

describe('clock high-water mark', () => {
  it('is not written to meta by each change', async () => {
    const wall = { ms: START };
    const { vault } = await tempVaultAt(wall);
    recordOne(vault, 'p1');
    recordOne(vault, 'p2');
    expect(getMeta(vault.db, 'clock_high_water')).toBeNull();
  });

  it('resumes after unacknowledged changes when the vault was not closed and the clock stepped back', async () => {
    const wall = { ms: START + HOUR };
    const temp = await tempVaultAt(wall);
    recordOne(temp.vault, 'p1');
    const last = recordOne(temp.vault, 'p2');
    crash(temp.vault);

    const reopened = await reopen(temp, START); // system clock an hour behind
    expect(readClockHighWater(reopened.db)).toBe(last);
    const next = recordOne(reopened, 'p3');
    expect(next > last).toBe(true);
  });

  it('resumes after acknowledged changes once the outbox is empty', async () => {
    const wall = { ms: START + HOUR };
    const temp = await tempVaultAt(wall);
    const changes = [recordOne(temp.vault, 'p1'), recordOne(temp.vault, 'p2')];
    const ids = temp.vault.changes.pending(10).map((entry) => entry.change.id);
    expect(temp.vault.changes.acknowledge(ids)).toBe(2);
    expect(temp.vault.changes.pendingCount()).toBe(0);
    expect(getMeta(temp.vault.db, 'clock_high_water')).toBe(changes[1]);
    crash(temp.vault);

    const reopened = await reopen(temp, START);
    expect(recordOne(reopened, 'p3') > (changes[1] as string)).toBe(true);
  });

  it('keeps the mark from an earlier session when acknowledging changes of that session only', async () => {
    const wall = { ms: START + HOUR };
    const temp = await tempVaultAt(wall);
    const last = recordOne(temp.vault, 'p1');
    crash(temp.vault);

    // A later session acknowledges without recording anything itself.
    const second = await reopen(temp, START);
    second.changes.acknowledge(second.changes.pending(10).map((entry) => entry.change.id));
    expect(second.changes.pendingCount()).toBe(0);
    crash(second);

    const third = await reopen(temp, START);
    expect(recordOne(third, 'p2') > last).toBe(true);
  });

  it('never lowers the stored mark', async () => {
    const { vault } = await tempVaultAt({ ms: START });
    const newer = '001750000000005:000000:dev';
    saveClockHighWater(vault.db, newer);
    saveClockHighWater(vault.db, '001750000000001:000009:dev');
    expect(getMeta(vault.db, 'clock_high_water')).toBe(newer);
  });

  it('in a local-only vault, resumes past every stamped HLC although no outbox row holds them', async () => {
    const wall = { ms: START + HOUR };
    const temp = await tempVaultAt(wall, false);
    recordOne(temp.vault, 'p1');
    wall.ms += 10;
    const last = recordOne(temp.vault, 'p2');
    expect(temp.vault.changes.pendingCount()).toBe(0);
    crash(temp.vault);

    const reopened = await reopen(temp, START); // system clock an hour behind
    expect(readClockHighWater(reopened.db)! >= last).toBe(true);
    expect(recordOne(reopened, 'p3') > last).toBe(true);
  });

  it('in a local-only vault, leases the mark a second ahead instead of writing it for each change', async () => {
    const wall = { ms: START };
    const { vault } = await tempVaultAt(wall, false);
    const first = recordOne(vault, 'p1');
    const lease = getMeta(vault.db, 'clock_high_water');
    expect(lease).toBe(
      formatHlc({ wallMs: START + CLOCK_LEASE_MS, counter: 0, deviceId: vault.deviceId }),
    );
    expect(lease! > first).toBe(true);
    for (let i = 0; i < 50; i += 1) {
      wall.ms += 10; // 500 ms in all: still inside the lease
      recordOne(vault, `q${i}`);
    }
    expect(getMeta(vault.db, 'clock_high_water')).toBe(lease);
    wall.ms = START + CLOCK_LEASE_MS + 1;
    const past = recordOne(vault, 'p2');
    expect(getMeta(vault.db, 'clock_high_water')! > past).toBe(true);
  });

  it('in a local-only vault, a lease written by a rolled-back write is not trusted', async () => {
    const wall = { ms: START + HOUR };
    const temp = await tempVaultAt(wall, false);
    expect(() =>
      temp.vault.transaction(() => {
        temp.vault.changes.record('payees', 'gone', 'upsert', { name: 'gone' });
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(getMeta(temp.vault.db, 'clock_high_water')).toBeNull();
    const kept = recordOne(temp.vault, 'p1');
    crash(temp.vault);

    const reopened = await reopen(temp, START);
    expect(recordOne(reopened, 'p2') > kept).toBe(true);
  });

  it('resumes after a process killed right after its commits (SIGKILL)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-clock-crash-'));
    cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
    const dir = path.join(root, 'vault');
    const keyStore = new KeyFileKeyStore(path.join(root, 'vault.key'));
    const created = await createVault({ dir, keyStore, now: () => START });
    created.changes.enableOutbox();
    created.close();

    const child = fileURLToPath(
      new URL('./test-fixtures/record-then-crash.child.ts', import.meta.url),
    );
    const run = spawnSync(
      process.execPath,
      [...tsEntryArgs(child), dir, keyStore.file, String(START + HOUR)],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.signal, run.stderr).toBe('SIGKILL');
    const { lastHlc } = JSON.parse(run.stdout.trim()) as { lastHlc: string };

    const reopened = await openVault({ dir, keyStore, now: () => START });
    cleanups.push(() => reopened.close());
    expect(reopened.changes.pendingCount()).toBe(3);
    expect(recordOne(reopened, 'p9') > lastHlc).toBe(true);
  });
});
