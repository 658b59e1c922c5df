import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPLAY_NOTICE_QUIET_MS } from '../mfa/security-alerts.service.js';
import { totpCodeAt } from '../mfa/totp.js';
import { registerUser, startMfaHarness } from './support/mfa-fixtures.js';
import type { MfaHarness } from './support/mfa-fixtures.js';
import {
  STEP_MS,
  answer,
  challenge,
  enrolTotp,
  expectWrong,
  stepUpWith,
} from './support/second-factor-steps.js';
import type { TotpUser } from './support/second-factor-steps.js';

/*
 * Issue 6 point 10 (part): a replayed TOTP code and a used backup code mail the account's
 * owner, through a real SMTP server. Replay mails are limited to one an hour per account.
 */

let h: MfaHarness;
beforeAll(async () => {
  h = await startMfaHarness();
});
afterAll(async () => h.close());

const REPLAY_SUBJECT = 'An authenticator code was used twice on your Coffer account';
const BACKUP_SUBJECT = 'A backup code was used on your Coffer account';
const mailsTo = (user: TotpUser, subject: string) =>
  h.inbox.to(user.email).filter((m) => m.subject === subject);

const newTotpUser = async (): Promise<TotpUser> =>
  enrolTotp(h.server, h.clock, await registerUser(h.server));

describe('owner mails', () => {
  it('a replayed TOTP code mails the owner, at most once an hour, never with the code', async () => {
    const user = await newTotpUser();
    h.clock.advance(STEP_MS);
    const code = totpCodeAt(user, h.clock.now());
    expect(
      (await answer(h.server, await challenge(h.server, user.email), 'totp', code)).status,
    ).toBe(200);
    expect(mailsTo(user, REPLAY_SUBJECT)).toHaveLength(0);

    const replayed = await answer(h.server, await challenge(h.server, user.email), 'totp', code);
    expectWrong(replayed, 'CODE_REPLAYED');
    const [mail] = mailsTo(user, REPLAY_SUBJECT);
    expect(mail?.text).toContain('already been used');
    expect(mail?.text).toContain('change your password');
    expect(mail?.text).not.toContain(code);

    // More replays within the hour (at step-up too) are refused and mail nobody.
    expectWrong(
      await answer(h.server, await challenge(h.server, user.email), 'totp', code),
      'CODE_REPLAYED',
    );
    expectWrong(await stepUpWith(h.server, user.token, 'totp', code), 'CODE_REPLAYED');
    expect(mailsTo(user, REPLAY_SUBJECT)).toHaveLength(1);

    h.clock.advance(REPLAY_NOTICE_QUIET_MS);
    const later = totpCodeAt(user, h.clock.now());
    expect((await stepUpWith(h.server, user.token, 'totp', later)).status).toBe(200);
    expectWrong(await stepUpWith(h.server, user.token, 'totp', later), 'CODE_REPLAYED');
    expect(mailsTo(user, REPLAY_SUBJECT)).toHaveLength(2);
  });

  it('every used backup code mails the owner with the number left, never the code', async () => {
    const user = await newTotpUser();
    const [first = '', second = ''] = user.backupCodes;
    const signedIn = await answer(
      h.server,
      await challenge(h.server, user.email),
      'backup_code',
      first,
    );
    expect(signedIn.status).toBe(200);
    const [atSignIn] = mailsTo(user, BACKUP_SUBJECT);
    expect(atSignIn?.text).toContain('9 unused backup codes left');
    expect(atSignIn?.text).not.toContain(first);

    expect((await stepUpWith(h.server, user.token, 'backup_code', second)).status).toBe(200);
    const mails = mailsTo(user, BACKUP_SUBJECT);
    expect(mails).toHaveLength(2);
    expect(mails[1]?.text).toContain('8 unused backup codes left');
    expect(mails[1]?.text).not.toContain(second);

    // A used code is refused and mails nothing more.
    expectWrong(await stepUpWith(h.server, user.token, 'backup_code', second));
    expect(mailsTo(user, BACKUP_SUBJECT)).toHaveLength(2);
  });
});
