import { isIP } from 'node:net';

import { generate } from 'selfsigned';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed P-256 certificate for `names` (DNS names or IP addresses), made at test
 * time and never written to the repository. Trusting its PEM as a CA is how tests give the
 * server a private relay's or range service's certificate (--trust-ca).
 */
export async function makeTestCertificate(names: readonly string[]): Promise<TestCertificate> {
  const [first = 'localhost'] = names;
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 24 * 60 * 60_000);
  const pems = await generate([{ name: 'commonName', value: first }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) =>
          isIP(name) === 0 ? { type: 2 as const, value: name } : { type: 7 as const, ip: name },
        ),
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
