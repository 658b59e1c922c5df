import type { SecretBox } from '../secrets/secret-box.js';
import type { UserRepository } from '../storage/user.repository.js';

/** The user's email address, opened from the users table (sealed, AAD `email:<userId>`). */
export async function userEmailAddress(
  users: UserRepository,
  secrets: SecretBox,
  userId: string,
): Promise<string | null> {
  const user = await users.findById(userId);
  if (user === null) return null;
  return secrets.open(user.emailSealed, `email:${userId}`);
}
