/**
 * Client addresses the bench sends as `X-Forwarded-For` (the server runs with
 * `--trust-proxy`, as behind a reverse proxy). The server's per-IP request limit and
 * login backoff stay at their production values; spreading the bench's traffic over many
 * addresses keeps a benchmark from one machine from looking like one abusive client.
 *
 * Addresses come from 10.77.0.0/16 (private, never routed), one /24 per pool so the
 * phases of the bench never share an address.
 */

export const ADDRESS_POOLS = {
  setup: 1,
  throughput: 2,
  sequentialLogins: 3,
  loadLogins: 4,
  probe: 5,
  scale: 6,
} as const;

export type AddressPool = (typeof ADDRESS_POOLS)[keyof typeof ADDRESS_POOLS];

/** The `index`-th address of a pool: 10.77.<pool>.1 … 10.77.<pool>.250, then round again. */
export function clientAddress(pool: number, index: number): string {
  if (!Number.isInteger(pool) || pool < 0 || pool > 255) {
    throw new RangeError(`address pool must be 0..255, got ${pool}`);
  }
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`address index must be a whole number >= 0, got ${index}`);
  }
  return `10.77.${pool}.${(index % 250) + 1}`;
}

/** `count` distinct addresses of a pool (at most 250). */
export function clientAddresses(pool: number, count: number): string[] {
  if (count > 250) throw new RangeError('a pool holds 250 addresses');
  return Array.from({ length: count }, (_unused, index) => clientAddress(pool, index));
}
