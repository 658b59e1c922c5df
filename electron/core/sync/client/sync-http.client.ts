import https from 'node:https';

import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { ErrorCode } from '../../../../shared/errors/coffer-error.js';
import { parseRetryAfter } from '../engine/backoff-policy.js';
import { PinnedAgent } from './pinned-agent.js';
import { utf8Text } from '../utf8-text.js';

/** The largest answer read from the server; its pull pages are 1 MB of ciphertext and then some. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 60_000;

export interface SyncServerTarget {
  /** `https://host:port`, no path. */
  url: string;
  /** 64 hex digits of a self-signed server's certificate, or undefined for a CA-signed one. */
  fingerprint?: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw bytes sent as application/octet-stream instead of a JSON body (a snapshot chunk). */
  bytes?: Buffer;
  /** The session's bearer token; never logged, never in an error. */
  token?: string;
}

/**
 * One JSON-over-HTTPS connection to a Coffer sync server (TLS 1.3, pinned: pinned-agent.ts).
 * Every refusal becomes a CofferError with the server's code in `details.serverCode`:
 * 401 SESSION_REVOKED is its own code (the caller crypto-shreds), other 401s are
 * SESSION_ENDED or AUTH_FAILED, 429 RATE_LIMITED, other 4xx SERVER_REFUSED, 5xx SERVER_ERROR.
 */
export class SyncHttpClient {
  private readonly agent: PinnedAgent;
  private readonly base: URL;

  constructor(target: SyncServerTarget) {
    this.base = serverUrl(target.url);
    this.agent = new PinnedAgent(
      target.fingerprint === undefined ? {} : { fingerprint: target.fingerprint },
    );
  }

  get url(): string {
    return this.base.origin;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { status, body, retryAfter } = await this.exchange(method, path, options, 'json');
    const json = parseJson(utf8Text(body));
    if (status >= 200 && status < 300) return json as T;
    throw refusal(status, json, parseRetryAfter(retryAfter, Date.now()));
  }

  /** As request(), for an answer of raw bytes (application/octet-stream): a snapshot chunk. */
  async requestBytes(method: string, path: string, options: RequestOptions = {}): Promise<Buffer> {
    const { status, body, retryAfter } = await this.exchange(method, path, options, 'bytes');
    if (status >= 200 && status < 300) return body;
    throw refusal(status, parseJson(utf8Text(body)), parseRetryAfter(retryAfter, Date.now()));
  }

  private exchange(
    method: string,
    path: string,
    options: RequestOptions,
    answer: 'json' | 'bytes',
  ): Promise<{ status: number; body: Buffer; retryAfter: string | undefined }> {
    const headers: Record<string, string> = {
      accept: answer === 'json' ? 'application/json' : 'application/octet-stream, application/json',
    };
    let payload: Buffer | undefined;
    if (options.bytes !== undefined) {
      payload = options.bytes;
      headers['content-type'] = 'application/octet-stream';
      headers['content-length'] = String(payload.length);
    } else if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body), 'utf8');
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    return this.send(method, new URL(path, this.base), headers, payload);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    payload: Buffer | undefined,
  ): Promise<{ status: number; body: Buffer; retryAfter: string | undefined }> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        url,
        { method, headers, agent: this.agent, timeout: REQUEST_TIMEOUT_MS },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy();
              reject(new CofferError('SERVER_ERROR', 'The sync server sent too large an answer.'));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', () =>
            reject(
              new CofferError('SERVER_UNREACHABLE', 'The connection to the sync server broke.'),
            ),
          );
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks),
              retryAfter: response.headers['retry-after'],
            }),
          );
        },
      );
      request.on('timeout', () =>
        request.destroy(
          new CofferError('SERVER_UNREACHABLE', 'The sync server did not answer in time.'),
        ),
      );
      request.on('error', (error) =>
        reject(
          isCofferError(error)
            ? error
            : new CofferError('SERVER_UNREACHABLE', 'The connection to the sync server failed.'),
        ),
      );
      request.end(payload);
    });
  }
}

/** The server's origin; only https, no credentials, path, query or fragment. */
export function serverUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CofferError('INVALID_INPUT', 'The server URL is not a URL (https://host:port).');
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') {
    throw new CofferError('INVALID_INPUT', 'The server URL must be https://host[:port].');
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new CofferError(
      'INVALID_INPUT',
      'The server URL is https://host[:port], without a path.',
    );
  }
  return new URL(url.origin);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const SIGN_IN_FAILURES = new Set([
  'INVALID_CREDENTIALS',
  'INVALID_CODE',
  'CODE_EXPIRED',
  'CODE_REPLAYED',
  'CHALLENGE_EXPIRED',
]);

/**
 * The server's `{ error: { code, message } }` as a CofferError; a 429's Retry-After travels
 * as `details.retryAfterMs` for the sync loop to obey.
 */
export function refusal(status: number, json: unknown, retryAfterMs?: number): CofferError {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const serverCode = typeof error?.code === 'string' ? error.code : undefined;
  const serverMessage = typeof error?.message === 'string' ? error.message : undefined;
  if (serverCode === undefined || serverMessage === undefined) {
    return new CofferError('SERVER_ERROR', `The sync server answered ${status} without an error.`, {
      status,
    });
  }
  const details = {
    status,
    serverCode,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  let code: ErrorCode;
  if (status === 401 && serverCode === 'SESSION_REVOKED') code = 'SESSION_REVOKED';
  // The session is fine but not recently confirmed: a window asks in place and retries.
  else if (status === 403 && serverCode === 'STEP_UP_REQUIRED') code = 'STEP_UP_REQUIRED';
  // The workspace requires a second factor this account lacks: enrolment is the way on.
  else if (status === 403 && serverCode === 'MFA_REQUIRED') code = 'MFA_REQUIRED';
  else if (status === 409 && serverCode === 'LAST_ADMIN') code = 'LAST_ADMIN';
  // A wrong password at a step-up is 403 (the session itself is fine): still AUTH_FAILED.
  else if ((status === 401 || status === 403) && SIGN_IN_FAILURES.has(serverCode)) {
    code = 'AUTH_FAILED';
  } else if (status === 401) code = 'SESSION_ENDED';
  else if (status === 429) code = 'RATE_LIMITED';
  else if (status >= 400 && status < 500) code = 'SERVER_REFUSED';
  else code = 'SERVER_ERROR';
  return new CofferError(
    code,
    `The sync server refused: ${serverMessage} (${serverCode})`,
    details,
  );
}
