/**
 * What this device remembers of each member's key: the signing key of the newest user key
 * version it has verified (user-key-continuity.ts) — the first one the server handed it,
 * moved along each signed rotation, or the one the user last re-verified. The vault holds
 * these (sync-account.repository.ts); tests use the in-memory store.
 */
export interface PinnedKey {
  userId: string;
  /** Raw 32-byte key: the user key version's Ed25519 signing key (X25519 in key-pinning.ts). */
  publicKey: Buffer;
  firstSeenAtMs: number;
  /** When the user last confirmed this key out of band; null for trust on first use. */
  verifiedAtMs: number | null;
}

export interface PinnedKeyStore {
  get(userId: string): PinnedKey | undefined;
  put(pin: PinnedKey): void;
}
