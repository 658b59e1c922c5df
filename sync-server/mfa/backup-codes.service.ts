import { createHash, randomBytes, randomInt } from 'node:crypto';

import type { Clock } from '../clock.js';
import type { MfaRepository } from '../storage/mfa.repository.js';

export const BACKUP_CODE_COUNT = 10;
/** 16 characters of Crockford's base32 alphabet (no i, l, o, u): 80 bits each. */
const CODE_LENGTH = 16;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ten single-use recovery codes, shown once. Stored as SHA-256(salt ‖ code) with a random
 * per-user salt: the codes carry 80 bits of entropy, so a fast hash is enough to make a
 * stolen database useless (no dictionary to try), and unlike an HMAC under the master key
 * the hashes survive `rotate-master-key`.
 */
export class BackupCodesService {
  constructor(
    private readonly repo: MfaRepository,
    private readonly clock: Clock,
  ) {}

  /** Replaces the user's set (the old codes stop working) and returns the new codes. */
  async regenerate(userId: string): Promise<string[]> {
    const salt = randomBytes(16).toString('hex');
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newCode);
    await this.repo.replaceBackupCodes(
      userId,
      salt,
      codes.map((code) => hashBackupCode(salt, code)),
      this.clock.now(),
    );
    return codes;
  }

  /** True once per code; false for an unknown, malformed or already used code. */
  async consume(userId: string, input: string): Promise<boolean> {
    const code = normaliseBackupCode(input);
    if (code === null) return false;
    const salt = await this.repo.backupCodeSalt(userId);
    if (salt === null) return false;
    return this.repo.consumeBackupCode(userId, hashBackupCode(salt, code), this.clock.now());
  }

  async remaining(userId: string): Promise<number> {
    return this.repo.countUnusedBackupCodes(userId);
  }

  async remove(userId: string): Promise<void> {
    await this.repo.deleteBackupCodes(userId);
  }
}

function newCode(): string {
  let raw = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) raw += ALPHABET[randomInt(ALPHABET.length)];
  return raw.match(/.{4}/g)?.join('-') ?? raw;
}

/** Accepts any case, spaces and dashes; null if it cannot be a code. */
export function normaliseBackupCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '').toLowerCase();
  if (compact.length !== CODE_LENGTH) return null;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return null;
  return compact.match(/.{4}/g)?.join('-') ?? compact;
}

export function hashBackupCode(salt: string, code: string): string {
  return createHash('sha256').update(`${salt}:${code}`).digest('hex');
}
