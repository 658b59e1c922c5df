import { readFileSync, existsSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_ENVELOPE_CIPHERTEXT_CHARS } from '../../shared/sync/change-envelope.js';
import {
  MAX_PUSH_CHANGES,
  MAX_PULL_CIPHERTEXT_CHARS,
  SYNC_BODY_LIMIT,
} from '../sync/change-log.service.js';
import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { plainChange, pull, push, randomEnvelope, sealed, workspaceKey } from './sync-support.js';
import { adminWithWorkspace, snapshot } from './workspaces-support.js';

let server: AccountsTestServer;

beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

/** A workspace of its own per test, so seqs and pages start from 1. */
async function freshWorkspace(): Promise<{ id: string; token: string }> {
  const created = await adminWithWorkspace(server, 'paging');
  return { id: created.workspaceId, token: created.admin.token };
}

// Bad input first: its snapshots stay small before the limit tests fill the log.
describe('bad input', () => {
  it('push: a malformed body is 400 with a specific code and stores nothing', async () => {
    const ws = await freshWorkspace();
    const good = randomEnvelope();
    const cases: [string, unknown, string][] = [
      ['no changes', {}, 'INVALID_REQUEST'],
      ['empty batch', { changes: [] }, 'INVALID_REQUEST'],
      ['not an array', { changes: good }, 'INVALID_REQUEST'],
      ['extra field', { changes: [good], more: 1 }, 'INVALID_REQUEST'],
      ['extra envelope field', { changes: [{ ...good, seq: 1 }] }, 'INVALID_REQUEST'],
      ['unknown collection', { changes: [{ ...good, collection: 'secrets' }] }, 'INVALID_REQUEST'],
      ['upper-case id', { changes: [{ ...good, id: good.id.toUpperCase() }] }, 'INVALID_REQUEST'],
      ['key version 0', { changes: [{ ...good, keyVersion: 0 }] }, 'INVALID_REQUEST'],
      ['key version as text', { changes: [{ ...good, keyVersion: '1' }] }, 'INVALID_REQUEST'],
      ['short nonce', { changes: [{ ...good, nonce: good.nonce.slice(1) }] }, 'INVALID_REQUEST'],
      [
        'base64 not url',
        { changes: [{ ...good, ciphertext: `${'A'.repeat(22)}+/` }] },
        'INVALID_REQUEST',
      ],
      ['short ciphertext', { changes: [{ ...good, ciphertext: 'AAAA' }] }, 'INVALID_REQUEST'],
    ];
    for (const [label, body, code] of cases) {
      const before = snapshot(server);
      const res = await server.request<{ error?: { code: string } }>(
        'POST',
        `/v1/workspaces/${ws.id}/sync/push`,
        { token: ws.token, body },
      );
      expect([res.status, res.json.error?.code], label).toEqual([400, code]);
      expect(snapshot(server), label).toBe(before);
    }
    const notJson = await server.request<{ error?: { code: string } }>(
      'POST',
      `/v1/workspaces/${ws.id}/sync/push`,
      { token: ws.token, rawBody: '{"changes":[', headers: { 'content-type': 'application/json' } },
    );
    expect([notJson.status, notJson.json.error?.code]).toEqual([400, 'INVALID_JSON']);
  });

  it('push: non-canonical base64url is rejected for that change (its stray bits would be lost)', async () => {
    const ws = await freshWorkspace();
    const good = randomEnvelope('transactions', 16);
    // 16 bytes are 22 characters whose last carries 4 unused bits; "B" sets one of them.
    const strayBits = {
      ...good,
      id: randomEnvelope().id,
      ciphertext: `${good.ciphertext.slice(0, 21)}B`,
    };
    expect(Buffer.from(strayBits.ciphertext, 'base64url').toString('base64url')).not.toBe(
      strayBits.ciphertext,
    );
    const res = await push(server, ws.token, ws.id, [strayBits, good]);
    expect(res.json.results.map((r) => [r.status, r.reason?.code])).toEqual([
      ['rejected', 'NOT_CANONICAL'],
      ['accepted', undefined],
    ]);
  });

  it('pull: a bad after or limit is 400 INVALID_AFTER / INVALID_LIMIT', async () => {
    const ws = await freshWorkspace();
    const cases: [string, string][] = [
      ['after=-1', 'INVALID_AFTER'],
      ['after=abc', 'INVALID_AFTER'],
      ['after=1.5', 'INVALID_AFTER'],
      ['after=01', 'INVALID_AFTER'],
      ['after=1e3', 'INVALID_AFTER'],
      ['after=', 'INVALID_AFTER'],
      ['after=9007199254740992', 'INVALID_AFTER'],
      ['limit=0', 'INVALID_LIMIT'],
      ['limit=5001', 'INVALID_LIMIT'],
      ['limit=-5', 'INVALID_LIMIT'],
      ['limit=ten', 'INVALID_LIMIT'],
      ['since=1', 'INVALID_REQUEST'],
    ];
    for (const [query, code] of cases) {
      const res = await pull(server, ws.token, ws.id, query);
      expect([res.status, res.json.error?.code], query).toEqual([400, code]);
    }
    const ok = await pull(server, ws.token, ws.id, 'after=9007199254740991&limit=5000');
    expect(ok.status, ok.text).toBe(200);
  });

  it('without a session, push and pull are 401', async () => {
    const ws = await freshWorkspace();
    const pushed = await server.request('POST', `/v1/workspaces/${ws.id}/sync/push`, {
      body: { changes: [randomEnvelope()] },
    });
    const pulled = await server.request('GET', `/v1/workspaces/${ws.id}/sync/pull`);
    expect([pushed.status, pulled.status]).toEqual([401, 401]);
  });
});

describe('push limits', () => {
  it('5,000 changes are one batch; 5,001 are 413 PUSH_TOO_MANY_CHANGES and store nothing', async () => {
    const ws = await freshWorkspace();
    const most = Array.from({ length: MAX_PUSH_CHANGES }, () => randomEnvelope('payees', 16));
    const ok = await push(server, ws.token, ws.id, most);
    expect(ok.status, ok.text.slice(0, 200)).toBe(200);
    expect(ok.json.results.filter((r) => r.status === 'accepted')).toHaveLength(MAX_PUSH_CHANGES);

    const before = snapshot(server);
    const over = [...most.map(() => randomEnvelope('payees', 16)), randomEnvelope('payees', 16)];
    expect(over).toHaveLength(MAX_PUSH_CHANGES + 1);
    // Under the byte limit: it is the count that is refused.
    expect(Buffer.byteLength(JSON.stringify({ changes: over }))).toBeLessThan(SYNC_BODY_LIMIT);
    const res = await push(server, ws.token, ws.id, over);
    expect([res.status, res.json.error?.code]).toEqual([413, 'PUSH_TOO_MANY_CHANGES']);
    expect(snapshot(server)).toBe(before);
  });

  it('a body over 1 MB is 413 PUSH_TOO_LARGE and stores nothing; one just under is accepted', async () => {
    const ws = await freshWorkspace();
    // One envelope whose body is exactly SYNC_BODY_LIMIT + 1 bytes.
    const probe = randomEnvelope('transactions', 3);
    const overhead =
      Buffer.byteLength(JSON.stringify({ changes: [probe] })) - probe.ciphertext.length;
    const over = { ...probe, ciphertext: 'A'.repeat(SYNC_BODY_LIMIT + 1 - overhead) };
    const body = JSON.stringify({ changes: [over] });
    expect(Buffer.byteLength(body)).toBe(SYNC_BODY_LIMIT + 1);
    expect(over.ciphertext.length).toBeLessThan(MAX_ENVELOPE_CIPHERTEXT_CHARS);
    const before = snapshot(server);
    const res = await server.request<{ error?: { code: string } }>(
      'POST',
      `/v1/workspaces/${ws.id}/sync/push`,
      { token: ws.token, rawBody: body, headers: { 'content-type': 'application/json' } },
    );
    expect([res.status, res.json.error?.code]).toEqual([413, 'PUSH_TOO_LARGE']);
    expect(snapshot(server)).toBe(before);

    // The largest canonical ciphertext that fits: a multiple of 4 characters below the limit.
    const fits = {
      ...probe,
      ciphertext: 'A'.repeat(Math.floor((SYNC_BODY_LIMIT - overhead) / 4) * 4),
    };
    const accepted = await push(server, ws.token, ws.id, [fits]);
    expect(accepted.status, accepted.text.slice(0, 200)).toBe(200);
    expect(accepted.json.results[0]?.status).toBe('accepted');
  });
});

describe('pull pages', () => {
  it('are bounded by the count asked for, and walk the log with nextAfter and more', async () => {
    const ws = await freshWorkspace();
    const envelopes = Array.from({ length: 12 }, () => randomEnvelope());
    await push(server, ws.token, ws.id, envelopes);
    const pages: string[][] = [];
    let after = 0;
    for (;;) {
      const res = await pull(server, ws.token, ws.id, `after=${after}&limit=5`);
      expect(res.status, res.text).toBe(200);
      pages.push(res.json.changes.map((c) => c.id));
      after = res.json.nextAfter;
      if (!res.json.more) break;
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(envelopes.map((e) => e.id));
    expect(after).toBe(12);
  });

  it('default to at most 5,000 changes', async () => {
    const ws = await freshWorkspace();
    await push(
      server,
      ws.token,
      ws.id,
      Array.from({ length: 5_000 }, () => randomEnvelope('payees', 16)),
    );
    await push(server, ws.token, ws.id, [randomEnvelope('payees', 16)]);
    const first = await pull(server, ws.token, ws.id);
    expect(first.json.changes).toHaveLength(5_000);
    expect(first.json).toMatchObject({ nextAfter: 5_000, more: true });
    const second = await pull(server, ws.token, ws.id, 'after=5000');
    expect(second.json.changes.map((c) => c.seq)).toEqual([5_001]);
    expect(second.json.more).toBe(false);
  });

  it('are bounded by 1 MB of ciphertext, whichever comes first', async () => {
    const ws = await freshWorkspace();
    // 300,000 bytes each: 400,000 base64url characters; two fit in a page, three do not.
    const big = Array.from({ length: 5 }, () => randomEnvelope('receipts', 300_000));
    for (const envelope of big) await push(server, ws.token, ws.id, [envelope]);
    const sizes: number[][] = [];
    let after = 0;
    for (;;) {
      const res = await pull(server, ws.token, ws.id, `after=${after}`);
      const page = res.json.changes.map((c) => c.ciphertext.length);
      expect(page.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(MAX_PULL_CIPHERTEXT_CHARS);
      sizes.push(page);
      after = res.json.nextAfter;
      if (!res.json.more) break;
    }
    expect(sizes.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(after).toBe(5);
  });
});

describe('blindness', () => {
  it('a marker inside the plaintext never reaches the database file; its labels do', async () => {
    const ws = await freshWorkspace();
    const marker = `MARKER-${randomEnvelope().id}`;
    const key = workspaceKey(ws.id);
    const changes = (['transactions', 'clients', 'invoices'] as const).map((c) =>
      plainChange(c, marker),
    );
    const res = await push(
      server,
      ws.token,
      ws.id,
      changes.map((c) => sealed(c, key)),
    );
    expect(res.json.results.every((r) => r.status === 'accepted')).toBe(true);

    const files = [server.databaseFile, `${server.databaseFile}-wal`].filter(existsSync);
    const bytes = Buffer.concat(files.map((file) => readFileSync(file)));
    // The scan reads what was written: the clear labels are there...
    for (const change of changes) expect(bytes.includes(change.id)).toBe(true);
    // ...and nothing of the plaintext, in any encoding a careless server might use.
    for (const needle of [
      marker,
      Buffer.from(marker).toString('base64'),
      Buffer.from(marker).toString('hex'),
      `${marker} payee`,
      changes[0]!.recordId,
    ]) {
      expect(bytes.includes(needle), needle).toBe(false);
    }
  });
});
