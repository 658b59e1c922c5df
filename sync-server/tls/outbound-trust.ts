import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';

import { ConfigError } from '../config/server-config.js';

/**
 * Whom the server trusts when it connects out over TLS (the SMTP relay, HaveIBeenPwned).
 * `ca` undefined means Node's built-in list of public certificate authorities.
 */
export interface OutboundTrust {
  ca: string[] | undefined;
}

export const PUBLIC_TRUST: OutboundTrust = { ca: undefined };

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * `--trust-ca FILE`: PEM certificates of a private CA (a company relay, a test inbox) added
 * to Node's built-in list, which stays trusted. Certificates are still verified, host name
 * included; this only adds whom they may be issued by.
 */
export async function loadOutboundTrust(file: string | undefined): Promise<OutboundTrust> {
  if (file === undefined) return PUBLIC_TRUST;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`--trust-ca ${file} cannot be read (${reason})`);
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) {
    throw new ConfigError(`--trust-ca ${file} holds no PEM certificate`);
  }
  for (const [index, pem] of certificates.entries()) {
    try {
      new X509Certificate(pem);
    } catch (_error) {
      throw new ConfigError(`--trust-ca ${file}: certificate ${index + 1} is not valid`);
    }
  }
  return { ca: [...rootCertificates, ...certificates] };
}
