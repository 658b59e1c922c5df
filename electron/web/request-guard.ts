/**
 * Who may talk to web mode: decisions on the raw headers, kept apart from the server so
 * each can be tested on its own. The server listens on 127.0.0.1 only; these checks add
 * what loopback alone does not give. A web page elsewhere can point a name it controls at
 * 127.0.0.1 (DNS rebinding) and so reach the port: its requests carry its own Host, which
 * is refused. A page elsewhere can also open a WebSocket to localhost (browsers send the
 * cookie along): its Origin is refused.
 */

/** The Host values a request to this server may carry. */
export function allowedHosts(port: number): readonly string[] {
  return [`localhost:${port}`, `127.0.0.1:${port}`];
}

/** The Origins a WebSocket to this server may come from: pages this server served. */
export function allowedOrigins(port: number): readonly string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && allowedOrigins(port).includes(origin.toLowerCase());
}

/**
 * Every value of cookie `name` in a Cookie header. Cookies are not kept apart by port, so
 * another app on localhost may have set one of the same name: the caller accepts the
 * request when any of them matches.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    values.push(part.slice(eq + 1).trim());
  }
  return values;
}
