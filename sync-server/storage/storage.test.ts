import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeStorage } from '../test/support/storage-backends.js';
import type { Storage } from './storage.js';

let storage: Storage;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describeStorage('Storage.transaction', (backend) => {
  beforeEach(async () => {
    storage = (await backend.open()).storage;
  });
  afterEach(async () => storage.close());

  it('commits a transaction spanning awaits', async () => {
    const result = await storage.transaction(async () => {
      await storage.meta.set('a', '1');
      await tick();
      await storage.meta.set('b', '2');
      return 'done';
    });
    expect(result).toBe('done');
    expect([await storage.meta.get('a'), await storage.meta.get('b')]).toEqual(['1', '2']);
  });

  it('rolls everything back when the body throws, a nested transaction too', async () => {
    await expect(
      storage.transaction(async () => {
        await storage.meta.set('a', '1');
        await storage.transaction(async () => storage.meta.set('nested', 'x'));
        await tick();
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await storage.meta.get('a')).toBeNull();
    expect(await storage.meta.get('nested')).toBeNull();
    // The storage is usable afterwards.
    await storage.meta.set('after', 'ok');
    expect(await storage.meta.get('after')).toBe('ok');
  });

  it('keeps a write from outside out of an open transaction that then rolls back', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = storage.transaction(async () => {
      await storage.meta.set('x', 'inside');
      await gate;
      throw new Error('abort');
    });
    await tick();
    const outsider = storage.meta.set('y', 'outside');
    await tick();
    release();
    await expect(tx).rejects.toThrow('abort');
    await outsider;
    expect(await storage.meta.get('y')).toBe('outside');
    expect(await storage.meta.get('x')).toBeNull();
  });

  it('runs concurrent read-check-write transactions as if one after another', async () => {
    // Each reads the count and writes it plus one: any overlap would lose increments.
    await Promise.all(
      Array.from({ length: 12 }, () =>
        storage.transaction(async () => {
          const count = Number((await storage.meta.get('count')) ?? '0');
          await tick();
          await storage.meta.set('count', String(count + 1));
        }),
      ),
    );
    expect(await storage.meta.get('count')).toBe('12');
  });
});
