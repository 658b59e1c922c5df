/**
 * The request list autocannon cycles through: every entry the same route, each with its
 * own client address and (for authenticated routes) one of several accounts' tokens, so
 * the load spreads evenly over addresses and accounts and no production rate limit
 * (per IP, per account) is reached. Autocannon encodes each entry once and reuses the
 * bytes, so the rotation costs the client nothing per request.
 */

export interface RotatedRequest {
  method: 'GET';
  path: string;
  headers: Record<string, string>;
}

export function greatestCommonDivisor(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

export function leastCommonMultiple(a: number, b: number): number {
  if (a <= 0 || b <= 0) throw new RangeError('least common multiple of non-positive numbers');
  return (a / greatestCommonDivisor(a, b)) * b;
}

/** Longest cycle built; past it, counts per address and token differ by at most one. */
export const MAX_ROTATION = 8192;

/**
 * Entry i uses address i mod A and token i mod T, over lcm(A, T) entries so each address
 * and each token appear equally often (or MAX_ROTATION entries, so they differ by at most
 * one). `tokens` empty means an unauthenticated route.
 */
export function rotatedRequests(options: {
  path: string;
  addresses: readonly string[];
  tokens: readonly string[];
}): RotatedRequest[] {
  const { path, addresses, tokens } = options;
  if (addresses.length === 0) throw new RangeError('at least one client address is needed');
  const length = Math.min(
    MAX_ROTATION,
    leastCommonMultiple(addresses.length, Math.max(1, tokens.length)),
  );
  return Array.from({ length }, (_unused, index) => {
    const headers: Record<string, string> = {
      'x-forwarded-for': addresses[index % addresses.length] as string,
    };
    if (tokens.length > 0) {
      headers.authorization = `Bearer ${tokens[index % tokens.length] as string}`;
    }
    return { method: 'GET', path, headers };
  });
}
