import tls from 'node:tls';

export interface RawAnswer {
  /** The status line's code, 0 when the server sent nothing. */
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
  /** Everything the server sent, as text. */
  raw: string;
}

export interface RawTarget {
  port: number;
  /** PEM of the server certificate, trusted as the only CA. */
  ca: string;
}

/** Opens a pinned TLS 1.3 connection to the test server on 127.0.0.1. */
export function connectPinned(target: RawTarget): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port: target.port, ca: target.ca, servername: 'localhost' },
      () => resolve(socket),
    );
    socket.once('error', reject);
  });
}

/**
 * Sends bytes as they are (for requests a normal client would refuse to send) and reads
 * until the server closes the connection. Send `Connection: close` unless the server is
 * expected to close it anyway.
 */
export async function rawRequest(target: RawTarget, request: string): Promise<RawAnswer> {
  const socket = await connectPinned(target);
  return parseAnswer(await readUntilClose(socket, () => socket.write(request)));
}

/** Everything that arrives on `socket` until it closes, as text; `start` runs once listening. */
export function readUntilClose(socket: tls.TLSSocket, start?: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(text));
    start?.();
  });
}

/** The first HTTP/1.1 response in `text`. */
export function parseAnswer(text: string): RawAnswer {
  return parseAnswers(text)[0] ?? { status: 0, headers: {}, body: '', raw: text };
}

/** Every HTTP/1.1 response in `text` (pipelined answers arrive back to back). */
export function parseAnswers(text: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) {
    const split = rest.indexOf('\r\n\r\n');
    const head = (split === -1 ? rest : rest.subarray(0, split)).toString('utf8');
    const [statusLine = '', ...lines] = head.split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const afterHead = split === -1 ? rest.length : split + 4;
    const declared = Number(headers['content-length']);
    const end = Number.isInteger(declared) ? afterHead + declared : rest.length;
    answers.push({
      status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0),
      headers,
      body: rest.subarray(afterHead, end).toString('utf8'),
      raw: rest.subarray(0, end).toString('utf8'),
    });
    rest = rest.subarray(end);
  }
  return answers;
}
