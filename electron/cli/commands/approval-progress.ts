import type { ApprovalWaitHooks } from '../../core/sync/device-approval-wait.js';
import type { CommandContext } from '../command.js';

/** Progress reported at most this often while a new device waits for approval. */
export const APPROVAL_PROGRESS_MS = 30_000;

/** What `sync login --approve` shows on stderr: the code to compare, then time left. */
export function approvalProgress(ctx: Pick<CommandContext, 'io'>): ApprovalWaitHooks {
  let lastReport = ctx.io.now();
  return {
    onCode({ id, code }) {
      ctx.io.stderr(
        [
          `coffer: approval code ${code} (request ${id})`,
          'coffer: on a device of this account that is signed in, check it lists this request with',
          `coffer: the same code, then run: coffer --vault DIR devices approve ${id} --code ${code} --password-stdin`,
          'coffer: waiting up to 15 minutes for the approval (Ctrl-C to give up)',
          '',
        ].join('\n'),
      );
    },
    onWaiting(remainingMs) {
      const now = ctx.io.now();
      if (now - lastReport < APPROVAL_PROGRESS_MS) return;
      lastReport = now;
      const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
      ctx.io.stderr(
        `coffer: still waiting for approval, ${Math.floor(seconds / 60)} min ${seconds % 60} s left\n`,
      );
    },
  };
}
