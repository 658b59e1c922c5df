import { createHash } from 'node:crypto';
import https from 'node:https';
import type { ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

import { CofferError } from '../../../../shared/errors/coffer-error.js';

/** `sha256:<64 hex>`, the form the server prints at start. */
const FINGERPRINT = /^sha256:([0-9a-f]{64})$/;

/** The 64 hex digits of a typed fingerprint (case and colons forgiven); INVALID_INPUT otherwise. */
export function parseFingerprint(text: string): string {
  const lower = text.trim().toLowerCase();
  // Colons between hex pairs, as some tools print fingerprints, are forgiven.
  const hex = lower.startsWith('sha256:') ? lower.slice(7).replace(/:/g, '') : '';
  const match = FINGERPRINT.exec(`sha256:${hex}`);
  if (match?.[1] === undefined) {
    throw new CofferError(
      'INVALID_INPUT',
      'A certificate fingerprint is written sha256:<64 hex digits>, as the server prints it at start.',
    );
  }
  return match[1];
}

export function formatFingerprint(hex: string): string {
  return `sha256:${hex}`;
}

/** SHA-256 over the certificate's DER bytes, as the server computes its own. */
export function certificateFingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

export interface PinnedAgentOptions {
  /** 64 hex digits: the server's self-signed certificate. Without it, the system's CAs decide. */
  fingerprint?: string;
}

type Connected = (error: Error | null, socket: Duplex) => void;

/**
 * An HTTPS agent that speaks TLS 1.3 only and, given a fingerprint, talks only to the server
 * whose certificate has it. The check runs on each new connection after the handshake and
 * before the socket is handed to HTTP, so on a mismatch not one byte of the request — nor
 * its bearer token — is written. TLS session resumption is off, so every connection shows
 * its certificate again.
 *
 * A self-signed certificate has no chain to verify, so with a pin the chain check is
 * replaced by the pin: it names exactly one certificate, a stricter trust than any CA.
 */
export class PinnedAgent extends https.Agent {
  private readonly pin: string | undefined;

  constructor(options: PinnedAgentOptions = {}) {
    super({ keepAlive: true, maxCachedSessions: 0, minVersion: 'TLSv1.3' });
    this.pin = options.fingerprint;
  }

  override createConnection(options: ClientRequestArgs, callback?: Connected): undefined {
    // Node's agent always passes the callback; without one the socket would be handed over
    // before its certificate was checked.
    if (callback === undefined)
      throw new CofferError('INTERNAL', 'A pinned connection needs a callback.');
    const socket = tls.connect({
      ...(options as tls.ConnectionOptions),
      minVersion: 'TLSv1.3',
      rejectUnauthorized: this.pin === undefined,
      session: undefined,
    });
    const fail = (error: Error): void => {
      socket.destroy();
      callback(error, socket);
    };
    socket.once('error', (error: Error) => fail(connectError(error)));
    socket.once('secureConnect', () => {
      socket.removeAllListeners('error');
      if (socket.getProtocol() !== 'TLSv1.3') {
        fail(new CofferError('TLS_FAILED', 'The sync server did not speak TLS 1.3.'));
        return;
      }
      if (this.pin !== undefined) {
        const seen = certificateFingerprint(socket.getPeerCertificate().raw);
        if (seen !== this.pin) {
          fail(
            new CofferError(
              'CERT_PIN_MISMATCH',
              `The sync server's certificate is not the pinned one (pinned ${formatFingerprint(this.pin)}, ` +
                `served ${formatFingerprint(seen)}). Nothing was sent. If the server's operator made a new ` +
                'certificate, compare its fingerprint with them and sign in again with --fingerprint.',
              { pinned: formatFingerprint(this.pin), served: formatFingerprint(seen) },
            ),
          );
          return;
        }
      }
      callback(null, socket);
    });
    return undefined;
  }
}

function connectError(error: Error & { code?: string }): CofferError {
  const code = error.code ?? '';
  if (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)
  ) {
    return new CofferError('SERVER_UNREACHABLE', `The sync server could not be reached (${code}).`);
  }
  return new CofferError(
    'TLS_FAILED',
    `No TLS 1.3 connection could be made with the sync server (${code || 'handshake failed'}).`,
  );
}
