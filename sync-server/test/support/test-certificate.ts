import { generateCertificate } from '../../tls/certificate.js';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed P-256 certificate for `names` (DNS names or IP addresses), made at test
 * time by the server's own generator and never written to the repository. Trusting its PEM
 * as a CA is how tests give the server a private relay's or range service's certificate
 * (--trust-ca).
 */
export async function makeTestCertificate(names: readonly string[]): Promise<TestCertificate> {
  const { certPem, keyPem } = await generateCertificate(names);
  return { certPem, keyPem };
}
