/**
 * How a keychain call is asked again after the Secret Service failed it. When the daemon
 * behind the Secret Service exits (gnome-keyring crashing, or restarting at login), a call in
 * flight fails at once with "recipient disconnected", and the session bus starts a new daemon
 * on the next call. That daemon owns its bus name a moment before it has unlocked its keyring
 * file, and a lookup in that moment finds nothing. Asking again a few times within a second
 * rides out the restart. A daemon that hangs instead fails each call only after the Secret
 * Service client's reply timeout (2 s), which @napi-rs/keyring waits out on the calling
 * thread, so a failure that comes that late is not asked again: the caller hears of it as
 * soon as it would without retries.
 */
export const KEYCHAIN_RETRY = {
  delaysMs: [100, 300, 600],
  /** A failure that took this long was a reply timeout, not a daemon going away. */
  slowFailureMs: 1_500,
} as const;

export interface KeychainRetryPolicy {
  delaysMs: readonly number[];
  slowFailureMs: number;
}

/**
 * Runs `op`, asking again after each of `delaysMs` while it fails quickly (in less than
 * `slowFailureMs`). Once an attempt has thrown, a later attempt's `null` is asked again too,
 * since the daemon answering it may be the one that has just started; a `null` with no
 * failure before it is the answer. Throws the last failure when no attempt is left.
 */
export async function withKeychainRetry<T>(
  op: () => Promise<T>,
  policy: KeychainRetryPolicy = KEYCHAIN_RETRY,
): Promise<T> {
  let failed = false;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.delaysMs.length;
    const began = performance.now();
    try {
      const result = await op();
      const found = result !== null && result !== undefined;
      if (found || !failed || last) return result;
    } catch (error) {
      failed = true;
      if (last || performance.now() - began >= policy.slowFailureMs) throw error;
    }
    await new Promise<void>((resolve) => setTimeout(resolve, policy.delaysMs[attempt]));
  }
}
