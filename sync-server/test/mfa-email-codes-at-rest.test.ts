import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STEP_UP_MS } from '../accounts/session.service.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import {
  codeFromMail,
  login,
  registerUser,
  startMfaHarness,
  stepUp,
} from './support/mfa-fixtures.js';
import type { MfaHarness, SignedInUser } from './support/mfa-fixtures.js';

// Emailed codes are single use and stored only as keyed hashes. Real server over TLS,
// real smtp-server inbox, the database file and its WAL read from disk.

let h: MfaHarness;
beforeAll(async () => {
  h = await startMfaHarness();
});
afterAll(async () => h.close());

const db = () => (h.server.deps.storage as SqliteStorage).db;

/** A user with email codes on whose step-up has run out. */
async function emailCodeUser(): Promise<SignedInUser> {
  const user = await registerUser(h.server);
  expect((await stepUp(h.server, user.token)).status).toBe(200);
  const on = await h.server.request('POST', '/v1/me/mfa/email', { token: user.token, body: {} });
  expect(on.status).toBe(200);
  h.clock.advance(STEP_UP_MS + 1_000);
  return user;
}

/** Runs `send`, then reads the code from the next code mail to the user. */
async function nextCode(user: SignedInUser, send: () => Promise<{ status: number }>) {
  const seen = new Set(h.inbox.to(user.email));
  expect((await send()).status).toBe(202);
  const mail = await h.inbox.waitFor(
    (m) => m.to.includes(user.email) && !seen.has(m) && m.text.includes('verification code'),
  );
  return codeFromMail(mail.text);
}

const stepUpCode = (user: SignedInUser): Promise<string> =>
  nextCode(user, () =>
    h.server.request('POST', '/v1/me/mfa/email-code', { token: user.token, body: {} }),
  );

const elevatedUntil = (user: SignedInUser): unknown =>
  db()
    .prepare('SELECT elevated_until FROM sessions WHERE user_id = ? ORDER BY created_at')
    .pluck()
    .all(user.userId);

describe('email codes are single use', () => {
  it('a step-up code works once; the same code again is refused and changes nothing', async () => {
    const user = await emailCodeUser();
    const code = await stepUpCode(user);

    const first = await stepUp(h.server, user.token, { method: 'email', code });
    expect(first.status).toBe(200);
    const after = elevatedUntil(user);
    h.clock.advance(60_000);

    const again = await stepUp(h.server, user.token, { method: 'email', code });
    expect(again.status).toBe(401);
    expect(again.json.error?.code).toBe('INVALID_CODE');
    // The refused answer did not move the elevation on.
    expect(elevatedUntil(user)).toEqual(after);
  });

  it('two requests racing with the same code: exactly one gets through', async () => {
    const user = await emailCodeUser();
    const code = await stepUpCode(user);
    const answers = await Promise.all([
      stepUp(h.server, user.token, { method: 'email', code }),
      stepUp(h.server, user.token, { method: 'email', code }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    expect(
      db()
        .prepare(
          'SELECT count(*) FROM mfa_email_codes WHERE user_id = ? AND consumed_at IS NOT NULL',
        )
        .pluck()
        .get(user.userId),
    ).toBe(1);
  });
});

/** The database file, its WAL and shared memory, as they are on disk now. */
function databaseBytes(): Buffer {
  const file = h.server.databaseFile;
  return Buffer.concat(
    [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)),
  );
}

/** Bytes that may surround a code inside a longer token (hex, base64, uuid, number). */
const TOKEN_BYTE = /[0-9A-Za-z+/=_-]/;

/**
 * Places where `code` stands on its own: not part of a longer run of token characters.
 * Hex hashes and uuids contain six-digit runs by chance, so a raw search for six digits
 * would fail now and then on a correct server; a code written as its own value (text in
 * JSON, a log line, a column next to non-token bytes) is still found.
 */
function standaloneHits(bytes: Buffer, code: string): number[] {
  const needle = Buffer.from(code, 'ascii');
  const hits: number[] = [];
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    const before = at > 0 ? String.fromCharCode(bytes[at - 1] ?? 0) : '';
    const after = String.fromCharCode(bytes[at + needle.length] ?? 0);
    if (!TOKEN_BYTE.test(before) && !TOKEN_BYTE.test(after)) hits.push(at);
  }
  return hits;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('email codes are stored hashed', () => {
  it('no column holds a code, only keyed hashes; the file and WAL hold none on its own', async () => {
    const user = await emailCodeUser();
    const codes: string[] = [];
    // Step-up codes, one of them used, and a login code.
    for (let i = 0; i < 3; i += 1) codes.push(await stepUpCode(user));
    expect((await stepUp(h.server, user.token, { method: 'email', code: codes[2] })).status).toBe(
      200,
    );
    const challenge = await login(h.server, user.email);
    const challengeToken = challenge.json.challengeToken ?? '';
    codes.push(
      await nextCode(user, () =>
        h.server.request('POST', '/v1/auth/login/mfa/email-code', { body: { challengeToken } }),
      ),
    );

    // The stored column: one keyed hash per code sent, never the code or a plain hash.
    const rows = db()
      .prepare('SELECT * FROM mfa_email_codes WHERE user_id = ? ORDER BY created_at')
      .all(user.userId) as { id: string; code_hash: string }[];
    expect(rows).toHaveLength(codes.length);
    for (const row of rows) {
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      for (const code of codes) {
        expect(row.code_hash).not.toBe(sha256(code));
        expect(row.code_hash).not.toBe(sha256(`${row.id}:${code}`));
      }
    }

    // No cell of any table is a code, as text or as a number.
    const tables = db()
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    const cells = tables.flatMap((table) =>
      (db().prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).flatMap((row) =>
        Object.values(row),
      ),
    );
    for (const code of codes) {
      expect(cells.filter((cell) => cell === code || cell === Number(code))).toEqual([]);
    }

    // The bytes on disk, WAL included.
    const disk = databaseBytes();
    for (const code of codes) expect(standaloneHits(disk, code), code).toEqual([]);
    // Control: the scan does find a code written as a value of its own.
    const planted = Buffer.concat([disk, Buffer.from(`{"code":"${codes[0] ?? ''}"}`)]);
    expect(standaloneHits(planted, codes[0] ?? '')).toHaveLength(1);
  });
});
