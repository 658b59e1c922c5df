import type { PinnedKey, PinnedKeyStore } from './pinned-key-store.js';

export class MemoryPinnedKeyStore implements PinnedKeyStore {
  private readonly pins = new Map<string, PinnedKey>();

  get(userId: string): PinnedKey | undefined {
    const pin = this.pins.get(userId);
    return pin === undefined ? undefined : { ...pin, publicKey: Buffer.from(pin.publicKey) };
  }

  put(pin: PinnedKey): void {
    this.pins.set(pin.userId, { ...pin, publicKey: Buffer.from(pin.publicKey) });
  }
}
