/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, then random bits. Time-ordered, so ids
 * sort by creation and index well; random enough to serve as idempotency keys.
 * Uses the Web Crypto `getRandomValues`, present in Node, browsers and Electron.
 */
/** The one Web Crypto call shared/ needs; declared here since shared/ sees no DOM or Node types. */
const webCrypto = (
  globalThis as unknown as {
    crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
  }
).crypto;

/**
 * Random bytes are drawn from a pool refilled 4 KiB at a time: one `getRandomValues` call
 * per ~400 ids instead of one per id, which shows when a bulk import makes 100k of them.
 * Every pool byte is used once. Ids are identifiers, not secrets, so holding upcoming
 * random bytes in memory exposes nothing.
 */
const POOL_BYTES = 4096;
const RANDOM_BYTES_PER_ID = 10; // bytes 6..15; version and variant bits overwrite 6 of their bits
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex(byte: number): string {
  return HEX[byte & 0xff] as string;
}

export function uuidv7(nowMs: number = Date.now()): string {
  if (poolOffset + RANDOM_BYTES_PER_ID > POOL_BYTES) {
    webCrypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const r = poolOffset;
  poolOffset += RANDOM_BYTES_PER_ID;

  // The low 48 bits of the timestamp, most significant byte first.
  let ms = Math.floor(nowMs);
  const time = new Array<number>(6);
  for (let i = 5; i >= 0; i--) {
    time[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  let time12 = '';
  for (const byte of time) time12 += hex(byte);

  // Read straight from the pool: a closure made per id costs more than the formatting.
  return (
    `${time12.slice(0, 8)}-${time12.slice(8)}-` +
    `${hex((pool[r]! & 0x0f) | 0x70)}${hex(pool[r + 1]!)}-` +
    `${hex((pool[r + 2]! & 0x3f) | 0x80)}${hex(pool[r + 3]!)}-` +
    `${hex(pool[r + 4]!)}${hex(pool[r + 5]!)}${hex(pool[r + 6]!)}${hex(pool[r + 7]!)}${hex(pool[r + 8]!)}${hex(pool[r + 9]!)}`
  );
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
