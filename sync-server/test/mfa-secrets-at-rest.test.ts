import { existsSync, readFileSync } from 'node:fs';

import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { base32Decode } from './support/base32.js';
import { totpCodeAt } from '../mfa/totp.js';
import {
  codeFromMail,
  login,
  registerUser,
  startMfaHarness,
  stepUp,
} from './support/mfa-fixtures.js';
import type { MfaHarness } from './support/mfa-fixtures.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

let h: MfaHarness;
beforeAll(async () => {
  h = await startMfaHarness();
});
afterAll(async () => h.close());

/** The database file and its WAL as they are on disk while the server runs. */
function databaseBytes(): Buffer {
  const files = [
    h.server.databaseFile,
    `${h.server.databaseFile}-wal`,
    `${h.server.databaseFile}-shm`,
  ];
  return Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

it('after a full two-factor scenario, no TOTP secret, backup code or token is on disk in the clear', async () => {
  const user = await registerUser(h.server);
  const secrets: { label: string; bytes: Buffer }[] = [];
  const remember = (label: string, value: string | Buffer): void => {
    secrets.push({ label, bytes: Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8') });
  };

  // TOTP enrolment: the secret and the backup codes.
  await stepUp(h.server, user.token);
  const setup = await h.server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
    token: user.token,
    body: {},
  });
  const { secret } = setup.json;
  remember('TOTP secret (base32)', secret);
  remember('TOTP secret (lower-case base32)', secret.toLowerCase());
  remember('TOTP secret (raw key)', base32Decode(secret));
  const confirm = await h.server.request<{ backupCodes: string[] }>(
    'POST',
    '/v1/me/mfa/totp/confirm',
    {
      token: user.token,
      body: { code: totpCodeAt({ secret }, h.clock.now()) },
    },
  );
  expect(confirm.status).toBe(200);
  for (const code of confirm.json.backupCodes) {
    remember('backup code', code);
    remember('backup code (compact)', code.replace(/-/g, ''));
  }

  // Email codes on, a passkey, regenerated backup codes.
  expect(
    (await h.server.request('POST', '/v1/me/mfa/email', { token: user.token, body: {} })).status,
  ).toBe(200);
  const regOptions = await h.server.request<PublicKeyCredentialCreationOptionsJSON>(
    'POST',
    '/v1/me/webauthn/register/options',
    { token: user.token, body: {} },
  );
  const authenticator = new SoftAuthenticator(`https://localhost:${h.server.port}`);
  const registered = await h.server.request('POST', '/v1/me/webauthn/register/verify', {
    token: user.token,
    body: { response: authenticator.register(regOptions.json) },
  });
  expect(registered.status).toBe(201);
  const regenerated = await h.server.request<{ backupCodes: string[] }>(
    'POST',
    '/v1/me/mfa/backup-codes',
    {
      token: user.token,
      body: {},
    },
  );
  expect(regenerated.status).toBe(200);
  for (const code of regenerated.json.backupCodes) {
    remember('backup code', code);
    remember('backup code (compact)', code.replace(/-/g, ''));
  }

  // Logins with each factor; challenge and session tokens.
  h.clock.advance(30_000);
  const byTotp = await login(h.server, user.email);
  remember('challenge token', byTotp.json.challengeToken ?? '');
  const totpSession = await h.server.request<{ token: string }>('POST', '/v1/auth/login/mfa', {
    body: {
      challengeToken: byTotp.json.challengeToken,
      method: 'totp',
      code: totpCodeAt({ secret }, h.clock.now()),
    },
  });
  expect(totpSession.status).toBe(200);
  remember('session token', totpSession.json.token);

  const byBackup = await login(h.server, user.email);
  remember('challenge token', byBackup.json.challengeToken ?? '');
  const backupSession = await h.server.request<{ token: string }>('POST', '/v1/auth/login/mfa', {
    body: {
      challengeToken: byBackup.json.challengeToken,
      method: 'backup_code',
      code: regenerated.json.backupCodes[0],
    },
  });
  expect(backupSession.status).toBe(200);
  remember('session token', backupSession.json.token);

  const byEmail = await login(h.server, user.email);
  remember('challenge token', byEmail.json.challengeToken ?? '');
  await h.server.request('POST', '/v1/auth/login/mfa/email-code', {
    body: { challengeToken: byEmail.json.challengeToken },
  });
  const mail = await h.inbox.waitFor(
    (m) => m.to.includes(user.email) && m.text.includes('verification code'),
  );
  const emailSession = await h.server.request<{ token: string }>('POST', '/v1/auth/login/mfa', {
    body: {
      challengeToken: byEmail.json.challengeToken,
      method: 'email',
      code: codeFromMail(mail.text),
    },
  });
  expect(emailSession.status).toBe(200);
  remember('session token', emailSession.json.token);

  const options = await h.server.request<PublicKeyCredentialRequestOptionsJSON>(
    'POST',
    '/v1/auth/webauthn/options',
    {
      body: {},
    },
  );
  remember('WebAuthn challenge', options.json.challenge);
  const passkeySession = await h.server.request<{ token: string }>(
    'POST',
    '/v1/auth/webauthn/verify',
    {
      body: { response: authenticator.assert(options.json) },
    },
  );
  expect(passkeySession.status).toBe(200);
  remember('session token', passkeySession.json.token);
  remember('email address', user.email);

  const disk = databaseBytes();
  expect(disk.length).toBeGreaterThan(0);
  // Sanity: the scan can find what is there (the credential id is stored as is).
  expect(disk.includes(Buffer.from(authenticator.id))).toBe(true);
  expect(disk.includes(Buffer.from(`v1:${h.server.deps.secrets.keyId}:`))).toBe(true);
  const found = secrets
    .filter((s) => s.bytes.length > 0 && disk.includes(s.bytes))
    .map((s) => s.label);
  expect(found).toEqual([]);
});
