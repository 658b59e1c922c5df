import { totpCodeAt } from '../../mfa/totp.js';
import type { TotpParameters } from '../../mfa/totp.js';

const STEP_MS = 30_000;

/**
 * The codes of the steps around `nowMs`, two either side: the server takes one step of
 * drift, and one more keeps a "wrong" code wrong should that window ever widen.
 */
function codesNear(params: TotpParameters, nowMs: number, reach: number): Set<string> {
  const codes = new Set<string>();
  for (let step = -reach; step <= reach; step += 1) {
    codes.add(totpCodeAt(params, nowMs + step * STEP_MS));
  }
  return codes;
}

/**
 * `count` different six-digit codes, none of them the code of any step near `nowMs`. A
 * code picked as "the right one plus one", or a fixed "000000", is the code of an
 * accepted neighbouring step a few times in a million runs, and then signs in; these
 * never do.
 */
export function wrongTotpCodes(params: TotpParameters, nowMs: number, count: number): string[] {
  const near = codesNear(params, nowMs, 2);
  const wrong: string[] = [];
  for (let n = Number(totpCodeAt(params, nowMs)) + 1; wrong.length < count; n += 1) {
    const code = String(n % 1_000_000).padStart(6, '0');
    if (!near.has(code)) wrong.push(code);
  }
  return wrong;
}

export function wrongTotpCode(params: TotpParameters, nowMs: number): string {
  return wrongTotpCodes(params, nowMs, 1)[0] ?? '';
}

/**
 * Whether the code of the step `offsetSteps` away from `nowMs` is also the code of a step
 * the server accepts at `nowMs` (T-1, T, T+1): six digits repeat now and then, and a test
 * that expects a far-off code to be refused must not stand on such a step.
 */
export function sharesAcceptedCode(
  params: TotpParameters,
  nowMs: number,
  offsetSteps: number,
): boolean {
  return codesNear(params, nowMs, 1).has(totpCodeAt(params, nowMs + offsetSteps * STEP_MS));
}
