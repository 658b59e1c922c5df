import { describe, expect, it } from 'vitest';
import { pullPageBody } from '../http/routes/pull-page.body.js';
import { loggedChangeSchema, pullResponseSchema } from '../http/routes/sync.schemas.js';
import type { PullAnswer } from '../sync/change-log.service.js';

const change = {
  seq: 7,
  id: '0190a0b0-0000-7000-8000-000000000007',
  collection: 'transactions' as const,
  keyVersion: 2,
  nonce: 'AAAAAAAAAAAAAAAA',
  ciphertext: 'c2VhbGVkLWJ5dGVzLW9mLWEtY2hhbmdl',
};

describe('pullPageBody', () => {
  it('writes the page as the pull schema describes it, and nothing else', () => {
    const page = {
      epoch: 'epoch-1',
      changes: [{ ...change, userId: 'u-1', sessionId: 's-1' }],
      nextAfter: 7,
      more: false,
      snapshot: { seq: 5, createdAt: 1_700_000_000_000, chunks: 3 },
      workspaceId: 'w-1',
    } as unknown as PullAnswer;
    const body = JSON.parse(pullPageBody(page, 'member').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(body).toEqual({
      epoch: 'epoch-1',
      changes: [change],
      nextAfter: 7,
      more: false,
      role: 'member',
      snapshot: { seq: 5, createdAt: 1_700_000_000_000 },
    });
    expect(Object.keys(body).sort()).toEqual(Object.keys(pullResponseSchema.properties).sort());
    const [sent] = body['changes'] as Record<string, unknown>[];
    expect(Object.keys(sent ?? {}).sort()).toEqual(
      Object.keys(loggedChangeSchema.properties).sort(),
    );
  });

  it('writes an empty page and a workspace without a snapshot', () => {
    const page: PullAnswer = {
      epoch: 'e',
      changes: [],
      nextAfter: 0,
      more: false,
      snapshot: null,
    };
    expect(JSON.parse(pullPageBody(page, 'viewer').toString('utf8'))).toEqual({
      epoch: 'e',
      changes: [],
      nextAfter: 0,
      more: false,
      role: 'viewer',
      snapshot: null,
    });
  });

  it('writes text beyond ASCII as UTF-8', () => {
    const page: PullAnswer = {
      epoch: 'épocha-Ā-😀',
      changes: [],
      nextAfter: 0,
      more: false,
      snapshot: null,
    };
    const bytes = pullPageBody(page, 'admin');
    expect(bytes.toString('utf8')).toContain('"épocha-Ā-😀"');
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ epoch: 'épocha-Ā-😀' });
  });
});
