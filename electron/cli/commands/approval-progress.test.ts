import { describe, expect, it } from 'vitest';

import { memoryIo } from '../testing/memory-io.js';
import { APPROVAL_PROGRESS_MS, approvalProgress } from './approval-progress.js';

describe('sync login --approve progress', () => {
  it('shows the code and the command to approve, then the time left at most every 30 seconds', async () => {
    let now = Date.UTC(2026, 10, 21);
    const io = memoryIo();
    io.now = () => now;
    const hooks = approvalProgress({ io });
    const id = '0190abcd-0000-4000-8000-000000000001';
    await hooks.onCode({ id, code: 'K7QM-2XRT', expiresAt: '2026-11-21T00:15:00.000Z' });
    expect(io.err).toContain(`approval code K7QM-2XRT (request ${id})`);
    expect(io.err).toContain(`devices approve ${id} --code K7QM-2XRT --password-stdin`);
    const shown = io.err.length;

    now += APPROVAL_PROGRESS_MS - 1;
    hooks.onWaiting?.(14 * 60_000 + 1);
    expect(io.err.length).toBe(shown);
    now += 1;
    hooks.onWaiting?.(14 * 60_000 + 30_000);
    expect(io.err.slice(shown)).toBe('coffer: still waiting for approval, 14 min 30 s left\n');
    hooks.onWaiting?.(14 * 60_000);
    expect(io.err.slice(shown).split('\n')).toHaveLength(2);
  });
});
