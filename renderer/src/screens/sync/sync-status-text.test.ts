import { describe, expect, it } from 'vitest';
import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { describeSyncStatus } from './sync-status-text.js';

type SignedIn = Extract<SyncAccountStatus, { signedIn: true }>;

const base: SignedIn = {
  signedIn: true,
  server: 'https://127.0.0.1:8443',
  fingerprint: null,
  email: 'ana@example.test',
  workspace: { id: 'w1', name: 'Harbour books', role: 'admin' },
  loop: null,
  lastSyncAt: null,
};
const at = (ms: number): string => `T${ms}`;

describe('describeSyncStatus', () => {
  it('says when there is no workspace to sync and offers no retry', () => {
    const text = describeSyncStatus({ ...base, workspace: null }, at);
    expect(text).toMatchObject({ tone: 'idle', title: 'No workspace yet', canRetry: false });
  });

  it('synced, with the time of the last round', () => {
    const text = describeSyncStatus(
      { ...base, loop: { state: 'synced', lastSyncAt: 1000, seq: 4, held: 0 } },
      at,
    );
    expect(text).toEqual({
      tone: 'ok',
      title: 'Synced',
      detail: 'Last synced T1000.',
      canRetry: false,
    });
  });

  it('synced with changes held for a role: a warning that says why they wait and who can help', () => {
    const text = describeSyncStatus(
      { ...base, loop: { state: 'synced', lastSyncAt: 1000, seq: 4, held: 2 } },
      at,
    );
    expect(text).toEqual({
      tone: 'warning',
      title: 'Synced, 2 changes unsent',
      detail:
        'Last synced T1000. Everyone else’s changes arrive; 2 changes made here wait unsent because your role in this workspace sends none. An admin can make you a member.',
      canRetry: false,
    });
    expect(
      describeSyncStatus(
        { ...base, loop: { state: 'synced', lastSyncAt: 1000, seq: 4, held: 1 } },
        at,
      ),
    ).toMatchObject({
      title: 'Synced, 1 change unsent',
      detail: expect.stringContaining('1 change made here waits unsent') as unknown,
    });
  });

  it('syncing, with the counts so far', () => {
    const text = describeSyncStatus(
      {
        ...base,
        loop: { state: 'syncing', progress: { pushed: 1, pulled: 12, applied: 12, seq: 9 } },
      },
      at,
    );
    expect(text.title).toBe('Syncing');
    expect(text.detail).toBe('1 change sent, 12 changes received so far.');
  });

  it('offline: the queued changes and when it tries again, with a retry', () => {
    const text = describeSyncStatus(
      { ...base, loop: { state: 'offline', queued: 3, retryAt: 5000 } },
      at,
    );
    expect(text).toMatchObject({ tone: 'warning', title: 'Offline', canRetry: true });
    expect(text.detail).toBe('3 changes waiting to be sent. Trying again at T5000.');
  });

  it('a joiner waiting for the workspace key is told what it waits on, not shown an error', () => {
    const text = describeSyncStatus(
      {
        ...base,
        workspace: { id: 'w1', name: null, role: 'member' },
        loop: {
          state: 'error',
          code: 'WORKSPACE_KEY_PENDING',
          message: 'No admin has shared the workspace key',
          retryAt: 9,
          queued: 0,
        },
      },
      at,
    );
    expect(text).toMatchObject({ tone: 'busy', title: 'Waiting for the workspace key' });
    expect(text.detail).toContain('Workspace → Members');
  });

  it('error: the reason and its code, and whether it retries by itself', () => {
    const stopped = describeSyncStatus(
      {
        ...base,
        loop: {
          state: 'error',
          code: 'SESSION_REVOKED',
          message: 'This device was signed out.',
          retryAt: null,
          queued: 0,
        },
      },
      at,
    );
    expect(stopped).toMatchObject({ tone: 'error', title: 'Sync error', canRetry: true });
    expect(stopped.detail).toBe(
      'This device was signed out (SESSION_REVOKED). Sync has stopped until you retry.',
    );
    const retrying = describeSyncStatus(
      {
        ...base,
        loop: { state: 'error', code: 'X', message: 'Busy', retryAt: 7, queued: 1 },
      },
      at,
    );
    expect(retrying.detail).toBe('Busy (X). 1 change waiting to be sent. Trying again at T7.');
  });
});
