import { lookup } from 'node:dns/promises';
import { hostname, networkInterfaces } from 'node:os';

/**
 * An address of this machine that is not loopback, for a test relay the server must treat
 * as remote: it listens there and the SMTP URL names it. The server decides on the URL's
 * literal host (mail/smtp-relay.ts), so this is the same decision a real remote relay gets,
 * without a switch that only tests set. Prefers a non-internal IPv4 interface address; on a
 * machine without one, the host name (never a loopback literal) and what it resolves to.
 */
export async function nonLoopbackHost(): Promise<{ urlHost: string; listenOn: string }> {
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (external !== undefined) return { urlHost: external.address, listenOn: external.address };
  }
  const name = hostname();
  if (name === '' || name.toLowerCase() === 'localhost') {
    throw new Error('this test needs a network interface or a host name other than localhost');
  }
  return { urlHost: name, listenOn: (await lookup(name, { family: 4 })).address };
}
