import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConfigError } from '../config/server-config.js';
import { generateCertificate } from './certificate.js';
import { loadOutboundTrust } from './outbound-trust.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'coffer-trust-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('loadOutboundTrust', () => {
  it('without a file trusts Node’s built-in list (ca left unset)', async () => {
    expect(await loadOutboundTrust(undefined)).toEqual({ ca: undefined });
  });

  it('adds the file’s certificates to the built-in list, which stays', async () => {
    const one = await generateCertificate(['relay-one.example.test']);
    const two = await generateCertificate(['relay-two.example.test']);
    const file = path.join(dir, 'ca.pem');
    await writeFile(file, `${one.certPem}\n# comment\n${two.certPem}`);
    const trust = await loadOutboundTrust(file);
    expect(trust.ca).toHaveLength(rootCertificates.length + 2);
    expect(trust.ca?.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(trust.ca?.slice(-2).map((pem) => pem.trim())).toEqual([
      one.certPem.trim(),
      two.certPem.trim(),
    ]);
  });

  it('refuses a missing file, a file without certificates and a broken certificate', async () => {
    await expect(loadOutboundTrust(path.join(dir, 'missing.pem'))).rejects.toThrow(
      /--trust-ca .*missing\.pem cannot be read \(ENOENT\)/,
    );
    const empty = path.join(dir, 'empty.pem');
    await writeFile(empty, 'no certificates here\n');
    await expect(loadOutboundTrust(empty)).rejects.toThrow(ConfigError);
    await expect(loadOutboundTrust(empty)).rejects.toThrow(/holds no PEM certificate/);
    const broken = path.join(dir, 'broken.pem');
    await writeFile(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(loadOutboundTrust(broken)).rejects.toThrow(/certificate 1 is not valid/);
  });
});
