import type { SecretBox } from '../secrets/secret-box.js';

/**
 * What the audit log names a deleted account by: an HMAC-SHA256 of its user id under the
 * master key's lookup subkey (domain `audit-user`), hex. The same on every row of that
 * account, so its trail still reads as one person's; without the master key it cannot be
 * traced back to the id, and it never held the email. A master-key rotation does not
 * re-key it: the id is gone by then, and the rows keep the value they got at deletion.
 */
export function auditPseudonym(secrets: SecretBox, userId: string): string {
  return secrets.lookupHash('audit-user', userId);
}
