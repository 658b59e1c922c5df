/**
 * A minimal JSON client for the server's real API over a pinned keep-alive agent. Each
 * answer carries its latency: from just before the request is handed to Node until the
 * last byte of the response.
 */
import https from 'node:https';
import { performance } from 'node:perf_hooks';

export interface ApiRequest {
  body?: unknown;
  token?: string;
  /** Sent as X-Forwarded-For (the server runs with --trust-proxy). */
  forwardedFor?: string;
}

export interface ApiResponse<T = unknown> {
  status: number;
  json: T | undefined;
  ms: number;
  /** performance.now() when the response ended. */
  endedAt: number;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly agent: https.Agent,
  ) {}

  request<T = unknown>(
    method: string,
    path: string,
    options: ApiRequest = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body), 'utf8');
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.forwardedFor !== undefined) headers['x-forwarded-for'] = options.forwardedFor;
    return new Promise((resolve, reject) => {
      const startedAt = performance.now();
      const request = https.request(
        new URL(path, this.baseUrl),
        { method, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const endedAt = performance.now();
            const text = Buffer.concat(chunks).toString('utf8');
            let json: T | undefined;
            try {
              json = text === '' ? undefined : (JSON.parse(text) as T);
            } catch (_error) {
              json = undefined;
            }
            resolve({ status: response.statusCode ?? 0, json, ms: endedAt - startedAt, endedAt });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** Closes the agent's sockets; requests still in flight fail. */
  close(): void {
    this.agent.destroy();
  }
}

/** The error code of an `{ error: { code } }` body, for messages. */
export function errorCodeOf(json: unknown): string {
  if (typeof json === 'object' && json !== null && 'error' in json) {
    const error = json.error;
    if (typeof error === 'object' && error !== null && 'code' in error) {
      return String(error.code);
    }
  }
  return 'no error code';
}
