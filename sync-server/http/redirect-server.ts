import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The optional plain-HTTP listener: every request gets a 301 to the same path on the HTTPS
 * origin, and nothing else (no body is read, no route runs).
 */
export async function startRedirectServer(options: {
  host: string;
  port: number;
  httpsOrigin: string;
}): Promise<{ server: http.Server; port: number; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    try {
      response.writeHead(301, {
        location: redirectTarget(options.httpsOrigin, request.url),
        'content-length': '0',
        connection: 'close',
        'cache-control': 'no-store',
      });
    } catch (_error) {
      response.writeHead(400, { 'content-length': '0', connection: 'close' });
    }
    response.end();
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The HTTPS origin plus the request's path and query, byte for byte (any character outside
 * printable ASCII percent-encoded). An absolute-form target (`http://other/x`) or `*` goes to
 * the root: the redirect never leaves the configured origin.
 */
export function redirectTarget(httpsOrigin: string, requestUrl: string | undefined): string {
  if (requestUrl === undefined || !requestUrl.startsWith('/')) return `${httpsOrigin}/`;
  return httpsOrigin + requestUrl.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
}
