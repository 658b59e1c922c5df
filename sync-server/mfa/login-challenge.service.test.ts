import { randomBytes } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { parseServerConfig } from '../config/server-config.js';
import { isHttpError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import type { MailMessage } from '../mail/mailer.js';
import { createSecretBox } from '../secrets/secret-box.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { normaliseBackupCode } from './backup-codes.service.js';
import { createMfaServices, webauthnOrigins, webauthnRpId } from './mfa-services.js';
import type { MfaServices } from './mfa-services.js';
import { totpCodeAt } from './totp.js';

const CONTEXT = { deviceName: 'Laptop', platform: 'linux', ip: '127.0.0.1', userAgent: 'test' };

let storage: SqliteStorage;
let clock: ManualClock;
let mfa: MfaServices;
let warnings: { event: unknown; userId: unknown }[];
const mail: MailMessage[] = [];

beforeEach(async () => {
  storage = openSqliteStorage(':memory:');
  clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
  warnings = [];
  const secrets = createSecretBox(randomBytes(32));
  const logger = {
    warn: (obj: { event: unknown; userId: unknown }) => void warnings.push(obj),
  } as unknown as Logger;
  mfa = createMfaServices({
    config: parseServerConfig(['--data-dir', '/tmp/unused'], {}),
    clock,
    storage,
    secrets,
    mailer: { send: async (m) => void mail.push(m) },
    logger,
  });
  await storage.users.create({
    id: 'u1',
    emailLookup: secrets.lookupHash('email', 'ana@example.com'),
    emailSealed: secrets.seal('ana@example.com', 'email:u1'),
    passwordHash: 'h',
    createdAt: 0,
    updatedAt: 0,
    passwordChangedAt: 0,
  });
});
afterEach(async () => storage.close());

async function enrol(): Promise<string> {
  const { secret } = await mfa.totp.begin('u1', 'ana@example.com');
  expect(await mfa.totp.confirm('u1', totpCodeAt({ secret }, clock.now()))).toBe(true);
  await mfa.backupCodes.regenerate('u1');
  return secret;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isHttpError(error)) return error.code;
    throw error;
  }
}

describe('LoginChallengeService (MfaGate)', () => {
  it('has no methods without a factor; backup codes alone are not one', async () => {
    expect(await mfa.gate.methodsFor('u1')).toEqual([]);
    await mfa.backupCodes.regenerate('u1');
    expect(await mfa.gate.methodsFor('u1')).toEqual([]);
    await enrol();
    expect(await mfa.gate.methodsFor('u1')).toEqual(['totp', 'backup_code']);
  });

  it('logs a replayed TOTP code as a security event (never the code)', async () => {
    const secret = await enrol();
    const code = totpCodeAt({ secret }, clock.now());
    expect(await codeOf(mfa.gate.verifySecondFactor('u1', { method: 'totp', code }))).toBe(
      'CODE_REPLAYED',
    );
    expect(warnings).toEqual([{ event: 'totp_replay', userId: 'u1' }]);
    expect(JSON.stringify(warnings)).not.toContain(code);
  });

  it('completes a challenge once and returns the login context', async () => {
    const secret = await enrol();
    clock.advance(30_000);
    const { challengeToken, methods } = await mfa.gate.startChallenge('u1', CONTEXT);
    expect(challengeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(methods).toEqual(['totp', 'backup_code']);
    const code = totpCodeAt({ secret }, clock.now());
    expect(await mfa.gate.completeChallenge(challengeToken, { method: 'totp', code })).toEqual({
      userId: 'u1',
      method: 'totp',
      context: CONTEXT,
    });
    expect(await codeOf(mfa.gate.completeChallenge(challengeToken, { method: 'totp', code }))).toBe(
      'CHALLENGE_EXPIRED',
    );
  });

  it('reports the fifth wrong answer as the end of the challenge', async () => {
    await enrol();
    const { challengeToken } = await mfa.gate.startChallenge('u1', CONTEXT);
    for (let i = 0; i < 5; i += 1) {
      expect(
        await codeOf(
          mfa.gate.completeChallenge(challengeToken, { method: 'backup_code', code: 'x' }),
        ),
      ).toBe('INVALID_CODE');
    }
    expect(warnings).toContainEqual({ event: 'challenge_exhausted', userId: 'u1' });
  });
});

describe('configuration helpers', () => {
  it('RP id defaults to localhost, else the public URL host or --rp-id', () => {
    const base = parseServerConfig(['--data-dir', '/tmp/x'], {});
    expect(webauthnRpId(base)).toBe('localhost');
    expect(webauthnOrigins(base, 8443)).toEqual([
      'https://localhost:8443',
      'https://127.0.0.1:8443',
    ]);
    const proxied = { ...base, publicUrl: 'https://coffer.example.org' };
    expect(webauthnRpId(proxied)).toBe('coffer.example.org');
    expect(webauthnOrigins(proxied, 8443)).toEqual(['https://coffer.example.org']);
    expect(webauthnRpId({ ...proxied, rpId: 'example.org' })).toBe('example.org');
    // The app's origins come on top of the server's own, never instead of them.
    expect(
      webauthnOrigins({ ...proxied, webauthnOrigins: ['http://localhost:5173'] }, 8443),
    ).toEqual(['https://coffer.example.org', 'http://localhost:5173']);
  });

  it('backup codes are read loosely but strictly checked', () => {
    expect(normaliseBackupCode(' ABCD efgh-JKMN 0123 ')).toBe('abcd-efgh-jkmn-0123');
    expect(normaliseBackupCode('abcd-efgh-jkmn-012')).toBeNull();
    expect(normaliseBackupCode('abcd-efgh-jkmn-012i')).toBeNull();
  });
});
