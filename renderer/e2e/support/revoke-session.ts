/**
 * Revokes one of an account's sessions through the server's API, from a session of its
 * own (password, step-up), as the account's owner would from another app.
 */
import { parseFingerprint } from '../../../electron/core/sync/client/pinned-agent.js';
import { SyncHttpClient } from '../../../electron/core/sync/client/sync-http.client.js';

interface Session {
  id: string;
  deviceName: string;
  createdAt: string;
  current: boolean;
}

/** Revokes the newest session named `deviceName` (not the one this helper opens). */
export async function revokeNewestSession(
  server: { url: string; fingerprint: string },
  email: string,
  password: string,
  deviceName: string,
): Promise<void> {
  const http = new SyncHttpClient({
    url: server.url,
    fingerprint: parseFingerprint(server.fingerprint),
  });
  try {
    const { token } = await http.request<{ token: string }>('POST', '/v1/auth/login', {
      body: { email, password, deviceName: 'Session admin' },
    });
    await http.request('POST', '/v1/auth/step-up', { token, body: { password } });
    const { sessions } = await http.request<{ sessions: Session[] }>('GET', '/v1/me/sessions', {
      token,
    });
    const newest = sessions
      .filter((s) => !s.current && s.deviceName === deviceName)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
      .at(-1);
    if (newest === undefined) throw new Error(`no session named ${deviceName}`);
    await http.request('DELETE', `/v1/me/sessions/${encodeURIComponent(newest.id)}`, { token });
    await http.request('POST', '/v1/auth/logout', { token, body: {} }).catch(() => undefined);
  } finally {
    http.close();
  }
}
