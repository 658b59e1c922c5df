/**
 * What this device remembers of each member's user public key: the first one the server
 * handed it, or the one the user last re-verified. The vault will hold these; for now there
 * is the in-memory store.
 */
export interface PinnedKey {
  userId: string;
  /** Raw 32-byte X25519 public key. */
  publicKey: Buffer;
  firstSeenAtMs: number;
  /** When the user last confirmed this key out of band; null for trust on first use. */
  verifiedAtMs: number | null;
}

export interface PinnedKeyStore {
  get(userId: string): PinnedKey | undefined;
  put(pin: PinnedKey): void;
}
