import { MEMBER_FACTORS, type MemberFactor } from '../../../shared/api/workspace.methods.js';

/** The server's factor names as the app names them; anything else it sends is not shown. */
const FACTOR_NAMES: ReadonlyMap<string, MemberFactor> = new Map([
  ['webauthn', 'passkey'],
  ['totp', 'totp'],
  ['email', 'email'],
]);

/**
 * A member's second factors as the server listed them for an admin, in the app's names and
 * order; null when the server listed none (it tells no other role).
 */
export function memberFactors(names: unknown): MemberFactor[] | null {
  if (!Array.isArray(names)) return null;
  const known = new Set<MemberFactor>();
  for (const name of names) {
    const factor = typeof name === 'string' ? FACTOR_NAMES.get(name) : undefined;
    if (factor !== undefined) known.add(factor);
  }
  return MEMBER_FACTORS.filter((factor) => known.has(factor));
}
