import type { IncomingMessage } from 'node:http';

import { WebSocket, type RawData } from 'ws';

import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import { PinnedAgent } from './pinned-agent.js';
import { refusal, serverUrl } from './sync-http.client.js';
import type { SyncServerTarget } from './sync-http.client.js';

/** What the server says on the socket: the workspace log reached `seq` (server epoch `epoch`). */
export interface SeqAnnouncement {
  seq: number;
  epoch: string;
}

/** Why the socket is gone: the close code and reason, or the error that ended or refused it. */
export interface SocketEnd {
  /** The WebSocket close code (1006 when the connection broke or never opened). */
  code: number;
  reason: string;
  /** A refused upgrade (the server's JSON error), a pin mismatch, or an unreachable server. */
  error?: CofferError;
}

export interface SyncSocketHandlers {
  onOpen(): void;
  onSeq(announcement: SeqAnnouncement): void;
  /** Called once, whether the socket opened or not. */
  onEnd(end: SocketEnd): void;
}

export interface SyncSocketConnection {
  close(): void;
}

export interface SyncSocketOptions {
  /** The server pings every 15 s; silence this long means the connection is dead. */
  silenceMs?: number;
  handshakeTimeoutMs?: number;
}

/** Announcements are a few dozen bytes; anything much larger is not one. */
const MAX_MESSAGE_BYTES = 4_096;
/** A refused upgrade's JSON error body is read up to this size. */
const MAX_REFUSAL_BYTES = 16_384;
const DEFAULT_SILENCE_MS = 45_000;
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * The workspace's sync WebSocket (`GET /v1/workspaces/:id/sync/ws`), through the same
 * PinnedAgent as every HTTP request: TLS 1.3 only, and the certificate's SHA-256 checked
 * before the upgrade request — and its bearer token — is written. The token travels in the
 * Authorization header, never in the URL. The socket only listens: announcements are
 * `{ type: 'seq', seq, epoch }`, anything else is ignored, and the client never sends.
 */
export function openSyncSocket(
  target: SyncServerTarget,
  workspaceId: string,
  token: string,
  handlers: SyncSocketHandlers,
  options: SyncSocketOptions = {},
): SyncSocketConnection {
  const base = serverUrl(target.url);
  const url = new URL(`/v1/workspaces/${encodeURIComponent(workspaceId)}/sync/ws`, base);
  url.protocol = 'wss:';
  const agent = new PinnedAgent(
    target.fingerprint === undefined ? {} : { fingerprint: target.fingerprint },
  );
  const silenceMs = options.silenceMs ?? DEFAULT_SILENCE_MS;
  let ended = false;
  let failure: CofferError | undefined;
  let watchdog: NodeJS.Timeout | undefined;

  const socket = new WebSocket(url.href, {
    agent,
    headers: { authorization: `Bearer ${token}` },
    handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    followRedirects: false,
  });

  const end = (result: SocketEnd): void => {
    if (ended) return;
    ended = true;
    clearTimeout(watchdog);
    agent.destroy();
    handlers.onEnd(result);
  };
  const listen = (): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      failure = new CofferError('SERVER_UNREACHABLE', 'The sync server stopped answering.');
      socket.terminate();
    }, silenceMs);
    watchdog.unref();
  };

  socket.on('open', () => {
    listen();
    handlers.onOpen();
  });
  socket.on('ping', listen);
  socket.on('message', (data: RawData, isBinary: boolean) => {
    listen();
    if (isBinary) return;
    const announcement = parseAnnouncement(rawText(data));
    if (announcement !== undefined) handlers.onSeq(announcement);
  });
  socket.on('unexpected-response', (_request, response: IncomingMessage) => {
    readRefusal(response).then(
      (error) => {
        failure = error;
        socket.terminate();
      },
      () => socket.terminate(),
    );
  });
  socket.on('error', (error: Error) => {
    failure ??= isCofferError(error)
      ? error
      : new CofferError('SERVER_UNREACHABLE', 'The sync socket connection failed.');
  });
  socket.on('close', (code: number, reason: Buffer) => {
    end({
      code,
      reason: reason.toString('utf8'),
      ...(failure === undefined ? {} : { error: failure }),
    });
  });

  return {
    close: () => {
      if (ended) return;
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000, 'client closing');
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** A seq announcement, or undefined for anything that is not exactly one. */
export function parseAnnouncement(text: string): SeqAnnouncement | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, seq, epoch } = message as Record<string, unknown>;
  if (type !== 'seq' || typeof epoch !== 'string' || epoch.length === 0 || epoch.length > 200) {
    return undefined;
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { seq, epoch };
}

/** A refused upgrade: the server's JSON error as the same CofferError an HTTP call would get. */
function readRefusal(response: IncomingMessage): Promise<CofferError> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REFUSAL_BYTES) {
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('close', () => {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        json = undefined;
      }
      resolve(refusal(response.statusCode ?? 0, json));
    });
  });
}
