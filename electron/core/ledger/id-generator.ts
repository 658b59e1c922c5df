import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL_BYTES = 4096;

/**
 * UUIDv7 ids (RFC 9562) that strictly increase within this generator, even within one
 * millisecond (the random tail is then incremented, RFC 9562 §6.2 method 2), so records
 * created in one go, such as an import, keep their order when sorted by id.
 * Random bytes are drawn from a pooled buffer: one system call per ~400 ids instead of one
 * per id matters on the bulk import path.
 */
export class IdGenerator {
  private readonly last = new Uint8Array(16);
  private lastMs = -1;
  private readonly pool = Buffer.alloc(POOL_BYTES);
  private poolOffset = POOL_BYTES;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    const ms = Math.floor(this.now());
    const bytes = this.last;
    if (ms > this.lastMs) {
      this.lastMs = ms;
      let rest = ms;
      for (let i = 5; i >= 0; i--) {
        bytes[i] = rest % 256;
        rest = Math.floor(rest / 256);
      }
      const random = this.random10();
      for (let i = 0; i < 10; i++) bytes[6 + i] = random[i] ?? 0;
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    } else {
      incrementTail(bytes);
    }
    return format(bytes);
  }

  private random10(): Buffer {
    if (this.poolOffset + 10 > POOL_BYTES) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    const slice = this.pool.subarray(this.poolOffset, this.poolOffset + 10);
    this.poolOffset += 10;
    return slice;
  }
}

/**
 * Adds one to the 62 random bits after the variant (bytes 8-15), carrying into the 12 bits
 * of rand_a (bytes 6-7) in the astronomically unlikely case they are all ones.
 */
function incrementTail(bytes: Uint8Array): void {
  for (let i = 15; i >= 6; i--) {
    if (i === 8) {
      const low = (bytes[8] ?? 0) & 0x3f;
      if (low < 0x3f) {
        bytes[8] = 0x80 | (low + 1);
        return;
      }
      bytes[8] = 0x80;
      continue;
    }
    if (i === 6) {
      const low = (bytes[6] ?? 0) & 0x0f;
      bytes[6] = 0x70 | ((low + 1) & 0x0f);
      return;
    }
    const value = (bytes[i] ?? 0) + 1;
    if (value < 256) {
      bytes[i] = value;
      return;
    }
    bytes[i] = 0;
  }
}

/**
 * The 16 bytes as 8-4-4-4-12 hex. Written out without a helper closure: a closure made per
 * call costs more than the formatting, and more again where a loader names functions (tsx).
 */
function format(b: Uint8Array): string {
  return (
    hex(b[0]) +
    hex(b[1]) +
    hex(b[2]) +
    hex(b[3]) +
    '-' +
    hex(b[4]) +
    hex(b[5]) +
    '-' +
    hex(b[6]) +
    hex(b[7]) +
    '-' +
    hex(b[8]) +
    hex(b[9]) +
    '-' +
    hex(b[10]) +
    hex(b[11]) +
    hex(b[12]) +
    hex(b[13]) +
    hex(b[14]) +
    hex(b[15])
  );
}

function hex(byte: number | undefined): string {
  return HEX[byte ?? 0] ?? '00';
}
