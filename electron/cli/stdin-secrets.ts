import type { CommandContext } from './command.js';
import { UsageError } from './usage-error.js';

export type SecretName = 'password' | 'code' | 'recovery key';

/**
 * Secrets for the sync commands, one line each on standard input in a fixed order —
 * password, then the 2FA code, then the Recovery Key (ARCHITECTURE §7) — for those asked.
 * Never from argv, where other users of the machine can read them.
 */
export async function readStdinSecrets(
  ctx: CommandContext,
  wanted: readonly SecretName[],
): Promise<Map<SecretName, string>> {
  const secrets = new Map<SecretName, string>();
  if (wanted.length === 0) return secrets;
  const lines = (await ctx.io.readStdin()).split(/\r?\n/);
  wanted.forEach((name, index) => {
    const line = lines[index];
    if (line === undefined || line.length === 0) {
      throw new UsageError(
        `no ${name} on line ${index + 1} of standard input (the order is: ${wanted.join(', ')})`,
      );
    }
    secrets.set(name, line);
  });
  return secrets;
}
