import { createHash } from 'node:crypto';
import { CofferError } from '../../../shared/errors/coffer-error.js';

/**
 * How Coffer shows a random secret to a person once (a Recovery Key): the secret's bits,
 * then check bits from a SHA-256 over a label and the secret, in Crockford base32 (no I, L,
 * O or U to misread), in groups of 4 joined by dashes.
 *
 * The check bits tell a mistyped key from a wrong one before any decryption is tried. Input
 * may use any case, spaces or dashes, and I/L/O are read as 1/1/0, as Crockford's alphabet
 * intends. Errors never echo the input: it is a secret.
 */
export interface GroupedKeyFormat {
  /** What the user calls it, e.g. "Recovery Key". */
  name: string;
  secretBytes: number;
  /** secretBytes * 8 + checkBits must be a multiple of 5, so no character is half padding. */
  checkBits: number;
  /** Domain separation for the check, so two kinds of key never share a checksum. */
  checkLabel: string;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP = 4;

export function groupedKeyLength(format: GroupedKeyFormat): number {
  const bits = format.secretBytes * 8 + format.checkBits;
  if (bits % 5 !== 0 || format.checkBits < 1 || format.checkBits > 256) {
    throw new CofferError(
      'INTERNAL',
      `${format.name}: secret and check bits must fill whole characters.`,
    );
  }
  return bits / 5;
}

/** The text shown to the user once. */
export function formatGroupedKey(format: GroupedKeyFormat, secret: Buffer): string {
  if (secret.length !== format.secretBytes) {
    throw new CofferError('INTERNAL', `A ${format.name} secret is ${format.secretBytes} bytes.`);
  }
  const chars = groupedKeyLength(format);
  let value = (toBigInt(secret) << BigInt(format.checkBits)) | checkValue(format, secret);
  const out: string[] = [];
  for (let i = 0; i < chars; i++) {
    out.push(ALPHABET[Number(value & 31n)] as string);
    value >>= 5n;
  }
  const text = out.reverse().join('');
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += GROUP) groups.push(text.slice(i, i + GROUP));
  return groups.join('-');
}

/**
 * The secret behind a typed key; RECOVERY_KEY_MALFORMED (never echoing the input) when it
 * has the wrong length, a character outside the alphabet, or a failed check.
 */
export function parseGroupedKey(format: GroupedKeyFormat, input: string): Buffer {
  const chars = groupedKeyLength(format);
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  if (compact.length !== chars) {
    throw new CofferError(
      'RECOVERY_KEY_MALFORMED',
      `A ${format.name} has ${chars} letters and digits (${Math.ceil(chars / GROUP)} groups of ${GROUP}); this one has ${compact.length}.`,
    );
  }
  const normalized = compact.replace(/[IL]/g, '1').replace(/O/g, '0');
  const invalid = [...normalized].filter((c) => !ALPHABET.includes(c)).length;
  if (invalid > 0) {
    throw new CofferError(
      'RECOVERY_KEY_MALFORMED',
      `The ${format.name} has ${invalid} character(s) that cannot be in one (U or punctuation).`,
    );
  }
  let value = 0n;
  for (const char of normalized) value = (value << 5n) | BigInt(ALPHABET.indexOf(char));
  const check = value & ((1n << BigInt(format.checkBits)) - 1n);
  const secret = fromBigInt(value >> BigInt(format.checkBits), format.secretBytes);
  if (checkValue(format, secret) !== check) {
    secret.fill(0);
    throw new CofferError(
      'RECOVERY_KEY_MALFORMED',
      `The ${format.name} does not add up: a character is mistyped. Compare it with your copy, group by group.`,
    );
  }
  return secret;
}

/** The first checkBits bits of SHA-256(label, secret). */
function checkValue(format: GroupedKeyFormat, secret: Buffer): bigint {
  const digest = createHash('sha256').update(format.checkLabel).update(secret).digest();
  return toBigInt(digest) >> BigInt(256 - format.checkBits);
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function fromBigInt(value: bigint, bytes: number): Buffer {
  return Buffer.from(value.toString(16).padStart(bytes * 2, '0'), 'hex');
}
