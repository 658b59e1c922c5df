import { setTimeout } from 'node:timers/promises';

import { parseFingerprint } from '../pinned-agent.js';
import { SyncHttpClient } from '../sync-http.client.js';
import { TOTP_STEP_MS, totpCodeForStep, totpStep } from './totp-code.js';

/** Time left in a step below which a code for the step before it is not sent. */
const STEP_MARGIN_MS = 5_000;

export interface TotpAccount {
  /** A code the server has not seen yet: a code is accepted once, so each takes the next step. */
  nextCode(): Promise<string>;
  /** Codes the server would take around now, for a test to pick a wrong one that is none of them. */
  codesNearNow(): string[];
}

/**
 * Turns on TOTP for an account that exists, from a session of its own (password, step-up,
 * secret, confirm), as the account's owner would in another app.
 */
export async function enableTotp(
  server: { url: string; fingerprint: string },
  email: string,
  password: string,
): Promise<TotpAccount> {
  const http = new SyncHttpClient({
    url: server.url,
    fingerprint: parseFingerprint(server.fingerprint),
  });
  let step: number;
  let secret: string;
  try {
    const grant = await http.request<{ token: string }>('POST', '/v1/auth/login', {
      body: { email, password, deviceName: 'Setup' },
    });
    await http.request('POST', '/v1/auth/step-up', { token: grant.token, body: { password } });
    secret = (
      await http.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
        token: grant.token,
        body: {},
      })
    ).secret;
    // Confirmed with the code of the step before this one (the server takes one step either
    // side of its clock), so this step and the next are left for the test's codes and the
    // first two need no wait. Near the end of a step that code could reach the server two
    // steps late: then the next step is awaited first (and a little past it, as a timer's
    // clock and Date.now() can differ by a millisecond).
    const intoStep = Date.now() % TOTP_STEP_MS;
    if (intoStep > TOTP_STEP_MS - STEP_MARGIN_MS) await setTimeout(TOTP_STEP_MS - intoStep + 100);
    step = totpStep(Date.now()) - 1;
    await http.request('POST', '/v1/me/mfa/totp/confirm', {
      token: grant.token,
      body: { code: totpCodeForStep(secret, step) },
    });
  } finally {
    http.close();
  }
  return {
    // The server allows one step either side of its clock, so a step two ahead waits until
    // time has caught up.
    nextCode: async () => {
      step = Math.max(step + 1, totpStep(Date.now()));
      while (totpStep(Date.now()) < step - 1) await setTimeout(250);
      return totpCodeForStep(secret, step);
    },
    codesNearNow: () => {
      const now = totpStep(Date.now());
      const codes: string[] = [];
      for (let s = Math.min(now, step) - 2; s <= Math.max(now, step) + 3; s += 1) {
        codes.push(totpCodeForStep(secret, s));
      }
      return codes;
    },
  };
}
