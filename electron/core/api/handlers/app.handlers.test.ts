import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiServerMessage } from '../../../../shared/api/api-envelope.js';
import { UPLOAD_CHUNK_BYTES } from '../../../../shared/api/upload.methods.js';
import { backupVault } from '../../vault/backup.service.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { createApiDispatcher, type ApiDispatcher } from '../api-dispatcher.js';
import { AppSession } from '../app-session.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-app-api-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function start(vaultDir: string, keyStore = new MemoryKeyStore()) {
  const session = new AppSession({ vaultDir, keyStore, host: 'web' });
  cleanups.push(() => session.close());
  const dispatch = createApiDispatcher({ session, emit: () => undefined });
  return { session, dispatch, keyStore };
}

let nextId = 1;
type Answer = { ok: true; value: unknown } | { ok: false; code: string; message: string };
async function call(
  dispatch: ApiDispatcher,
  service: string,
  method: string,
  input: unknown = {},
): Promise<Answer> {
  const id = nextId++;
  const answer = (await dispatch({ id, service, method, input })) as ApiServerMessage;
  if (answer.type !== 'result') throw new Error('expected a result');
  return answer.result.ok
    ? { ok: true, value: answer.result.value }
    : { ok: false, ...answer.result.error };
}

function value<T>(answer: Answer): T {
  if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
  return answer.value as T;
}

/** Hands `bytes` over in chunks the way a window does; returns the upload id. */
async function upload(
  dispatch: ApiDispatcher,
  bytes: Buffer,
  chunk = UPLOAD_CHUNK_BYTES,
): Promise<string> {
  const { uploadId } = value<{ uploadId: string }>(
    await call(dispatch, 'uploads', 'begin', { fileName: 'coffer.backup', size: bytes.length }),
  );
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    value(
      await call(dispatch, 'uploads', 'append', {
        uploadId,
        offset,
        data: bytes.subarray(offset, offset + chunk).toString('base64'),
      }),
    );
  }
  return uploadId;
}

async function vaultWithBackup(): Promise<{
  backup: Buffer;
  keyStore: MemoryKeyStore;
  recoveryKey: string;
}> {
  const root = tempDir();
  const { session, dispatch, keyStore } = start(path.join(root, 'vault'));
  const { recoveryKey } = value<{ recoveryKey: string }>(
    await call(dispatch, 'app', 'createVault'),
  );
  value(await call(dispatch, 'accounts', 'create', { name: 'Savings', currency: 'CHF' }));
  const out = path.join(root, 'vault.backup');
  backupVault(session.services().vault, out);
  return { backup: fs.readFileSync(out), keyStore, recoveryKey };
}

describe('uploads', () => {
  it('fills a private file in order, to the size announced, and hands it over once', async () => {
    const { session, dispatch } = start(path.join(tempDir(), 'vault'));
    const bytes = Buffer.from('0123456789abcdef');
    const uploadId = await upload(dispatch, bytes, 5);
    const taken = session.uploads.take(uploadId);
    expect(fs.readFileSync(taken.file)).toEqual(bytes);
    expect(fs.statSync(taken.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(taken.file)).mode & 0o777).toBe(0o700);
    expect(() => session.uploads.take(uploadId)).toThrow(/No such upload/);
    taken.remove();
    expect(fs.existsSync(taken.file)).toBe(false);
  });

  it('refuses chunks out of order, past the announced size, and unknown ids', async () => {
    const { dispatch } = start(path.join(tempDir(), 'vault'));
    const { uploadId } = value<{ uploadId: string }>(
      await call(dispatch, 'uploads', 'begin', { fileName: 'a.csv', size: 4 }),
    );
    const twoBytes = Buffer.from('ab').toString('base64');
    expect(
      await call(dispatch, 'uploads', 'append', { uploadId, offset: 2, data: twoBytes }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    value(await call(dispatch, 'uploads', 'append', { uploadId, offset: 0, data: twoBytes }));
    const tooMuch = Buffer.from('cde').toString('base64');
    expect(
      await call(dispatch, 'uploads', 'append', { uploadId, offset: 2, data: tooMuch }),
    ).toMatchObject({
      ok: false,
      code: 'FILE_TOO_LARGE',
    });
    // The oversized upload is gone, not left half-written.
    expect(
      await call(dispatch, 'uploads', 'append', { uploadId, offset: 2, data: twoBytes }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(
      await call(dispatch, 'uploads', 'begin', { fileName: '../../etc/passwd', size: 1 }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});

describe('restore and recover from the first run', () => {
  it('restores an uploaded backup into an empty folder, which then opens with the same key', async () => {
    const { backup, keyStore } = await vaultWithBackup();
    const { dispatch } = start(path.join(tempDir(), 'restored'), keyStore);
    expect(value<{ vault: string }>(await call(dispatch, 'app', 'status')).vault).toBe('missing');
    const uploadId = await upload(dispatch, backup, 64 * 1024);
    const restored = value<{ status: { vault: string }; backedUpAt: number }>(
      await call(dispatch, 'app', 'restoreBackup', { uploadId }),
    );
    expect(restored.status.vault).toBe('closed');
    value(await call(dispatch, 'app', 'openVault'));
    expect(await call(dispatch, 'accounts', 'list')).toMatchObject({
      ok: true,
      value: [{ name: 'Savings' }],
    });
  });

  it('refuses to restore over an existing vault and drops the upload', async () => {
    const { backup } = await vaultWithBackup();
    const { dispatch, session } = start(path.join(tempDir(), 'vault'));
    value(await call(dispatch, 'app', 'createVault'));
    const uploadId = await upload(dispatch, backup);
    expect(await call(dispatch, 'app', 'restoreBackup', { uploadId })).toMatchObject({
      ok: false,
      code: 'VAULT_EXISTS',
    });
    expect(() => session.uploads.take(uploadId)).toThrow(/No such upload/);
  });

  it('refuses a damaged backup and leaves the folder without a vault', async () => {
    const { backup } = await vaultWithBackup();
    const damaged = Buffer.from(backup);
    damaged[damaged.length - 10] = (damaged[damaged.length - 10] ?? 0) ^ 0xff;
    const dir = path.join(tempDir(), 'restored');
    const { dispatch } = start(dir);
    const uploadId = await upload(dispatch, damaged);
    expect(await call(dispatch, 'app', 'restoreBackup', { uploadId })).toMatchObject({
      ok: false,
      code: 'BACKUP_CORRUPT',
    });
    expect(value<{ vault: string }>(await call(dispatch, 'app', 'status')).vault).toBe('missing');
  });

  it('opens a restored vault on a computer whose keychain lacks its key, with the Recovery Key only', async () => {
    const { backup, recoveryKey } = await vaultWithBackup();
    const other = await vaultWithBackup();
    const { dispatch } = start(path.join(tempDir(), 'restored'), new MemoryKeyStore());
    value(
      await call(dispatch, 'app', 'restoreBackup', { uploadId: await upload(dispatch, backup) }),
    );
    expect(await call(dispatch, 'app', 'openVault')).toMatchObject({
      ok: false,
      code: 'KEY_NOT_FOUND',
    });

    const malformed = await call(dispatch, 'app', 'recoverVault', { recoveryKey: 'not a key' });
    expect(malformed).toMatchObject({ ok: false, code: 'RECOVERY_KEY_MALFORMED' });
    const wrong = await call(dispatch, 'app', 'recoverVault', { recoveryKey: other.recoveryKey });
    expect(wrong).toMatchObject({ ok: false, code: 'RECOVERY_KEY_INVALID' });
    expect(JSON.stringify(wrong)).not.toContain(other.recoveryKey);

    expect(await call(dispatch, 'app', 'recoverVault', { recoveryKey })).toMatchObject({
      ok: true,
      value: { vault: 'open' },
    });
    expect(await call(dispatch, 'accounts', 'list')).toMatchObject({
      ok: true,
      value: [{ name: 'Savings' }],
    });
  });
});
