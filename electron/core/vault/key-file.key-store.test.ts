import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { KeyFileKeyStore } from './key-file.key-store.js';
import { createVault, openVault } from './vault.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop() as string, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-keyfile-'));
  dirs.push(dir);
  return dir;
}
async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
  return undefined;
}

const VAULT_ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const posix = process.platform !== 'win32';

describe('KeyFileKeyStore', () => {
  it('writes the key 0600, reads it back, and keeps the pending key in a separate file', async () => {
    const file = path.join(tempDir(), 'keys', 'coffer.key');
    const store = new KeyFileKeyStore(file);
    const key = Buffer.alloc(32, 9);
    expect(await store.get(VAULT_ID)).toBeNull();
    await store.set(VAULT_ID, key);
    if (posix) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await store.get(VAULT_ID))?.equals(key)).toBe(true);

    const next = Buffer.alloc(32, 10);
    await store.set(VAULT_ID, next, 'next');
    expect((await store.get(VAULT_ID, 'next'))?.equals(next)).toBe(true);
    expect((await store.get(VAULT_ID))?.equals(key)).toBe(true);
    expect(await store.delete(VAULT_ID, 'next')).toBe(true);
    expect(await store.delete(VAULT_ID, 'next')).toBe(false);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['coffer.key']); // no temp files left behind
  });

  it('exposes a warning for the front end to print', () => {
    const store = new KeyFileKeyStore('/tmp/x.key');
    expect(store.kind).toBe('key-file');
    expect(store.warning).toMatch(/plain file/);
  });

  it.runIf(posix)(
    'refuses a key file that group or others can read (KEY_FILE_INSECURE)',
    async () => {
      const file = path.join(tempDir(), 'coffer.key');
      const store = new KeyFileKeyStore(file);
      await store.set(VAULT_ID, Buffer.alloc(32, 1));
      fs.chmodSync(file, 0o640);
      expect(await codeOf(store.get(VAULT_ID))).toBe('KEY_FILE_INSECURE');
      fs.chmodSync(file, 0o604);
      expect(await codeOf(store.get(VAULT_ID))).toBe('KEY_FILE_INSECURE');
      fs.chmodSync(file, 0o600);
      expect(await store.get(VAULT_ID)).not.toBeNull();
    },
  );

  it('refuses a key file of another vault and a damaged one', async () => {
    const file = path.join(tempDir(), 'coffer.key');
    const store = new KeyFileKeyStore(file);
    await store.set(VAULT_ID, Buffer.alloc(32, 1));
    expect(await codeOf(store.get('01890a5d-ac96-774b-bcce-b302099a8058'))).toBe('KEY_NOT_FOUND');
    fs.writeFileSync(file, '{"formatVersion":1,"vaultId":"' + VAULT_ID + '","key":"zz"}', {
      mode: 0o600,
    });
    expect(await codeOf(store.get(VAULT_ID))).toBe('VAULT_KEY_INVALID');
  });

  it('creates and reopens a vault keyed from a file, recorded as key-file in vault.json', async () => {
    const root = tempDir();
    const store = new KeyFileKeyStore(path.join(root, 'coffer.key'));
    const dir = path.join(root, 'vault');
    const vault = await createVault({ dir, keyStore: store });
    vault.close();
    expect(
      JSON.parse(fs.readFileSync(path.join(dir, 'vault.json'), 'utf8')) as unknown,
    ).toMatchObject({ keyStore: 'key-file' });
    const reopened = await openVault({ dir, keyStore: store });
    reopened.close();
  });

  it('refuses a key file inside the vault directory', async () => {
    const dir = path.join(tempDir(), 'vault');
    const store = new KeyFileKeyStore(path.join(dir, 'coffer.key'));
    expect(await codeOf(createVault({ dir, keyStore: store }))).toBe('INVALID_INPUT');
  });

  describe.runIf(posix)('the inside-the-vault check resolves symlinks', () => {
    /** Creates nothing when it refuses: no vault file, no key file. */
    async function expectRefused(dir: string, keyFile: string): Promise<void> {
      expect(await codeOf(createVault({ dir, keyStore: new KeyFileKeyStore(keyFile) }))).toBe(
        'INVALID_INPUT',
      );
      expect(fs.existsSync(path.join(dir, 'vault.json'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'coffer.vault'))).toBe(false);
      expect(fs.existsSync(keyFile)).toBe(false);
    }

    it('refuses a key file reached through a symlinked directory that points into the vault', async () => {
      const root = tempDir();
      const dir = path.join(root, 'vault');
      fs.mkdirSync(dir);
      fs.symlinkSync(dir, path.join(root, 'innocent'));
      await expectRefused(dir, path.join(root, 'innocent', 'coffer.key'));
    });

    it('refuses a key-file path that is itself a dangling symlink into a vault not yet created', async () => {
      const root = tempDir();
      const dir = path.join(root, 'vault');
      const link = path.join(root, 'coffer.key');
      fs.symlinkSync(path.join(dir, 'hidden.key'), link);
      await expectRefused(dir, link);
      expect(fs.existsSync(path.join(dir, 'hidden.key'))).toBe(false);
    });

    it('refuses a key file inside the real directory of a symlinked vault directory', async () => {
      const root = tempDir();
      const real = path.join(root, 'real');
      fs.mkdirSync(real);
      const dir = path.join(root, 'vault-link');
      fs.symlinkSync(real, dir);
      await expectRefused(dir, path.join(real, 'coffer.key'));
    });

    it('accepts a key file whose symlinks all lead outside the vault', async () => {
      const root = tempDir();
      const keys = path.join(root, 'keys');
      fs.mkdirSync(keys);
      fs.symlinkSync(keys, path.join(root, 'keys-link'));
      const real = path.join(root, 'real');
      fs.mkdirSync(real);
      const dir = path.join(root, 'vault-link');
      fs.symlinkSync(real, dir);
      const store = new KeyFileKeyStore(path.join(root, 'keys-link', 'coffer.key'));
      const vault = await createVault({ dir, keyStore: store });
      vault.close();
      expect(fs.existsSync(path.join(keys, 'coffer.key'))).toBe(true);
      expect(fs.existsSync(path.join(real, 'vault.json'))).toBe(true);
    });
  });
});
