/**
 * How long a keychain call keeps asking after the Secret Service failed it. When the daemon
 * behind the Secret Service exits (gnome-keyring crashing, or restarting at login), a call in
 * flight fails with "recipient disconnected", and the session bus starts a new daemon on the
 * next call. That daemon owns its bus name a moment before it has unlocked its keyring file,
 * and a lookup in that moment finds nothing. Asking again a few times, for about a second in
 * all, rides out the restart; a keychain that stays unreachable still fails within that second.
 */
export const KEYCHAIN_RETRY_DELAYS_MS: readonly number[] = [100, 300, 600];

/**
 * Runs `op`, asking again after each of `delaysMs` while it throws. Once an attempt has thrown,
 * a later attempt's `null` is asked again too, since the daemon answering it may be the one
 * that has just started; a `null` with no failure before it is the answer. Throws the last
 * failure when every attempt failed.
 */
export async function withKeychainRetry<T>(
  op: () => Promise<T>,
  delaysMs: readonly number[] = KEYCHAIN_RETRY_DELAYS_MS,
): Promise<T> {
  let failed = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await op();
      const found = result !== null && result !== undefined;
      if (found || !failed || attempt >= delaysMs.length) return result;
    } catch (error) {
      failed = true;
      if (attempt >= delaysMs.length) throw error;
    }
    await new Promise<void>((resolve) => setTimeout(resolve, delaysMs[attempt]));
  }
}
