import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import {
  formatGroupedKey,
  groupedKeyLength,
  parseGroupedKey,
  type GroupedKeyFormat,
} from './grouped-key-text.js';

const VAULT: GroupedKeyFormat = {
  name: 'Recovery Key',
  secretBytes: 20,
  checkBits: 20,
  checkLabel: 'coffer/recovery-key-check/v1',
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isCofferError(error) ? error.code : 'not a CofferError';
  }
  return undefined;
}

describe('grouped key text', () => {
  it('writes the Vault Recovery Key exactly as before it was shared', () => {
    // Made by the vault's own encoder before the codec was shared: the format must not move,
    // or Recovery Keys already written down would stop opening their vaults.
    const secret = createHash('sha256').update('vault recovery key').digest().subarray(0, 20);
    const text = 'W8GT-MWYN-F5HZ-YF6T-C0PG-K35F-YTBR-1M2S-G0PZ';
    expect(formatGroupedKey(VAULT, secret)).toBe(text);
    expect(parseGroupedKey(VAULT, text).equals(secret)).toBe(true);
  });

  it('keeps two kinds of key apart by their check label', () => {
    const secret = Buffer.alloc(20, 7);
    const other = { ...VAULT, checkLabel: 'coffer/other-check/v1' };
    expect(formatGroupedKey(other, secret)).not.toBe(formatGroupedKey(VAULT, secret));
    expect(codeOf(() => parseGroupedKey(other, formatGroupedKey(VAULT, secret)))).toBe(
      'RECOVERY_KEY_MALFORMED',
    );
  });

  it('refuses formats whose bits do not fill whole characters, and secrets of another size', () => {
    expect(groupedKeyLength(VAULT)).toBe(36);
    expect(groupedKeyLength({ ...VAULT, secretBytes: 32, checkBits: 24 })).toBe(56);
    expect(codeOf(() => groupedKeyLength({ ...VAULT, checkBits: 21 }))).toBe('INTERNAL');
    expect(codeOf(() => groupedKeyLength({ ...VAULT, checkBits: 0 }))).toBe('INTERNAL');
    expect(codeOf(() => formatGroupedKey(VAULT, Buffer.alloc(19)))).toBe('INTERNAL');
  });
});
