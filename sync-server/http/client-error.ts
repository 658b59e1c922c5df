import http from 'node:http';
import type { Socket } from 'node:net';

import { SECURITY_HEADERS } from './security-headers.js';

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (malformed request line,
 * oversized headers, timeouts) still get the error format and the security headers.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let code = 'BAD_REQUEST';
  let message = 'The request could not be parsed.';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    code = 'REQUEST_TIMEOUT';
    message = 'The request took too long.';
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    code = 'HEADERS_TOO_LARGE';
    message = 'The request headers are too large.';
  }
  const body = JSON.stringify({ error: { code, message } });
  const headers = Object.entries({
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // end(), not write() then destroy(): destroy() drops whatever the TLS layer has not yet
  // handed to the kernel (queued behind a post-handshake session ticket, or for a client
  // that reads slowly), and the answer would be lost.
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n${headers}\r\n${body}`);
  // A client that never closes its side must not hold the socket open.
  socket.setTimeout(5_000, () => socket.destroy());
}
