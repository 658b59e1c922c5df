import { afterEach, describe, expect, it } from 'vitest';

import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import { canonicalDump, createDevice, T0, type Device } from './apply-test-kit.js';

/**
 * A first upload or a re-push after a server restore sends writes again under new change
 * ids, with their original HLCs (docs/sync-merge.md). A device that already applied them
 * must end exactly where it was: no value rewritten, no conflict raised.
 */
const devices: Device[] = [];
afterEach(() => {
  for (const device of devices.splice(0)) device.cleanup();
});

async function device(): Promise<Device> {
  const made = await createDevice(T0);
  devices.push(made);
  return made;
}

describe('a write sent again under a new id', () => {
  it('changes nothing on a device that applied it, money fields included', async () => {
    const laptop = await device();
    const desktop = await device();
    laptop.accounts.create({ name: 'Checking', currency: 'EUR' });
    const rent = laptop.transactions.create({
      accountId: 'Checking',
      date: '2026-01-01',
      amountMinor: -125_000,
      payeeName: 'Landlord',
    });
    laptop.setNow(T0 + 60_000);
    laptop.transactions.update(rent.id, { amountMinor: -130_000, notes: 'new lease' });
    const sent = laptop.drain();
    expect(desktop.applier.apply(sent).conflicts).toBe(0);
    const before = canonicalDump(desktop);

    // The same writes, as an upload would carry them: new ids, the same HLCs and values.
    const again = sent.map((change) => ({ ...change, id: uuidv7(T0 + 120_000) }));
    const result = desktop.applier.apply(again);
    expect(result).toMatchObject({ applied: 0, alreadyHad: again.length, conflicts: 0 });
    expect(canonicalDump(desktop)).toEqual(before);
    expect(desktop.conflicts.list()).toEqual([]);
  });
});
