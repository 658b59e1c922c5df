import { describe, expect, it } from 'vitest';

import { DEFAULT_ARGON2_PARAMS } from '../accounts/password-hasher.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../accounts/password-policy.js';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, STEP_UP_MS } from '../accounts/session.service.js';
import { AUDIT_RETENTION_MS } from '../audit/audit.prune.js';
import { EMAIL_CODE_TTL_MS } from '../mfa/email-otp.service.js';
import { WEBAUTHN_CHALLENGE_TTL_MS } from '../mfa/webauthn.service.js';

// Behaviour tests elsewhere move the clock by these constants ("advance SESSION_IDLE_MS,
// the session has ended"), so they would follow a constant anywhere it moved. Here each is
// held to the literal value SECURITY.md promises: changing one fails this test first.

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

describe('security numbers, as literals', () => {
  it('sessions: 14 days idle, 90 days absolute, step-up lasts 10 minutes', () => {
    expect(SESSION_IDLE_MS).toBe(14 * DAY);
    expect(SESSION_ABSOLUTE_MS).toBe(90 * DAY);
    expect(STEP_UP_MS).toBe(10 * MINUTE);
  });

  it('passwords: 12 to 1,024 characters, Argon2id m=64 MiB, t=3, p=1', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_LENGTH).toBe(1024);
    expect(DEFAULT_ARGON2_PARAMS).toEqual({ memoryCost: 65536, timeCost: 3, parallelism: 1 });
  });

  it('email codes live 10 minutes, passkey challenges 5, audit rows 90 days', () => {
    expect(EMAIL_CODE_TTL_MS).toBe(10 * MINUTE);
    expect(WEBAUTHN_CHALLENGE_TTL_MS).toBe(5 * MINUTE);
    expect(AUDIT_RETENTION_MS).toBe(90 * DAY);
  });
});
