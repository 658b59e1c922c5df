import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * The newest sign-in or step-up code the test server mailed to `address`: with no SMTP
 * relay it writes each mail as an `.eml` file in `<dataDir>/outbox`, named in send order.
 * Null when none has been written yet.
 */
export async function latestMailedCode(dataDir: string, address: string): Promise<string | null> {
  const dir = path.join(dataDir, 'outbox');
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.eml')).sort();
  for (const name of names.reverse()) {
    const mail = await readFile(path.join(dir, name), 'utf8');
    if (!mail.includes(`To: ${address}`)) continue;
    const match = /code is (\d{6})/.exec(mail);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}
