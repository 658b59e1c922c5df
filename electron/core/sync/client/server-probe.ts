import { isIP } from 'node:net';
import tls from 'node:tls';

import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { certificateFingerprint, formatFingerprint } from './pinned-agent.js';
import { SyncHttpClient, serverUrl } from './sync-http.client.js';

const HANDSHAKE_TIMEOUT_MS = 15_000;

export interface ServerProbe {
  /** The server's origin, as it will be stored. */
  url: string;
  /** `sha256:<64 hex>` of the certificate it served, for the user to compare and pin. */
  fingerprint: string;
  /** A CA the system trusts signed the certificate (a self-signed server is the usual case). */
  caSigned: boolean;
  /** What `/v1/health` says the server runs. */
  version: string;
}

/**
 * What a sync server shows before anyone trusts it: its certificate's fingerprint and its
 * version. The handshake accepts any certificate, because showing it is the point; the
 * health request that follows is pinned to the fingerprint just seen, so the version comes
 * from the server whose fingerprint is shown. Nothing secret is sent.
 */
export async function probeServer(text: string): Promise<ServerProbe> {
  const url = serverUrl(text);
  const seen = await servedCertificate(url);
  const http = new SyncHttpClient({ url: url.origin, fingerprint: seen.fingerprint });
  try {
    const health = await http.request<{ version?: unknown }>('GET', '/v1/health');
    if (typeof health?.version !== 'string') {
      throw new CofferError('SERVER_ERROR', 'That server does not answer as a Coffer sync server.');
    }
    return {
      url: url.origin,
      fingerprint: formatFingerprint(seen.fingerprint),
      caSigned: seen.caSigned,
      version: health.version.slice(0, 100),
    };
  } finally {
    http.close();
  }
}

function servedCertificate(url: URL): Promise<{ fingerprint: string; caSigned: boolean }> {
  // An IPv6 literal keeps its brackets in a URL, not in a socket address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port: url.port === '' ? 443 : Number(url.port),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      minVersion: 'TLSv1.3',
      rejectUnauthorized: false,
      timeout: HANDSHAKE_TIMEOUT_MS,
    });
    const fail = (error: CofferError): void => {
      socket.destroy();
      reject(error);
    };
    socket.once('timeout', () =>
      fail(new CofferError('SERVER_UNREACHABLE', 'The sync server did not answer in time.')),
    );
    socket.once('error', (error: Error & { code?: string }) =>
      fail(
        /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(
          error.code ?? '',
        )
          ? new CofferError(
              'SERVER_UNREACHABLE',
              `The sync server could not be reached (${error.code}).`,
            )
          : new CofferError(
              'TLS_FAILED',
              'No TLS 1.3 connection could be made with the sync server.',
            ),
      ),
    );
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate().raw as Buffer | undefined;
      if (raw === undefined || raw.length === 0) {
        fail(new CofferError('TLS_FAILED', 'The sync server showed no certificate.'));
        return;
      }
      const result = { fingerprint: certificateFingerprint(raw), caSigned: socket.authorized };
      socket.end();
      resolve(result);
    });
  });
}
