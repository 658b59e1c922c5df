import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MASTER_KEY_ID_META } from '../storage/meta.repository.js';
import type { MetaRepository } from '../storage/meta.repository.js';
import {
  generateMasterKey,
  MasterKeyError,
  readMasterKeyFile,
  writeMasterKeyFile,
} from './master-key.js';
import { openSecrets } from './open-secrets.js';
import { createSecretBox } from './secret-box.js';

class MemoryMeta implements MetaRepository {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
}

let root: string;
let dataDir: string;
let keyFile: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'coffer-key-'));
  dataDir = path.join(root, 'data');
  keyFile = `${dataDir}.master-key`;
  await mkdir(dataDir, { mode: 0o700 });
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('openSecrets', () => {
  it('creates a 0600 key file on the first run and records its id', async () => {
    const meta = new MemoryMeta();
    const opened = await openSecrets({ keyFile, dataDir }, meta);
    expect(opened.created).toBe(true);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(meta.values.get(MASTER_KEY_ID_META)).toBe(opened.secrets.keyId);

    const again = await openSecrets({ keyFile, dataDir }, meta);
    expect(again.created).toBe(false);
    expect(again.secrets.keyId).toBe(opened.secrets.keyId);
    const sealed = opened.secrets.seal('x', 'a');
    expect(again.secrets.open(sealed, 'a')).toBe('x');
  });

  it('refuses a key file inside the data dir, also through a symlink', async () => {
    await expect(
      openSecrets({ keyFile: path.join(dataDir, 'k'), dataDir }, new MemoryMeta()),
    ).rejects.toThrow(/inside the data dir/);
    await symlink(dataDir, path.join(root, 'alias'));
    await expect(
      openSecrets({ keyFile: path.join(root, 'alias', 'k'), dataDir }, new MemoryMeta()),
    ).rejects.toThrow(/inside the data dir/);
    await expect(openSecrets({ keyFile: dataDir, dataDir }, new MemoryMeta())).rejects.toThrow(
      /inside the data dir/,
    );
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a key file with mode %o', async (mode) => {
    await writeMasterKeyFile(keyFile, generateMasterKey());
    await chmod(keyFile, mode);
    await expect(openSecrets({ keyFile, dataDir }, new MemoryMeta())).rejects.toThrow(
      /accessible by other users/,
    );
  });

  it('refuses a key file that is not a 32-byte base64 key, or a symlink', async () => {
    await writeFile(keyFile, 'not a key\n', { mode: 0o600 });
    await expect(readMasterKeyFile(keyFile)).rejects.toThrow(/does not hold a 32-byte base64 key/);
    await writeFile(keyFile, `${Buffer.alloc(16).toString('base64')}\n`, { mode: 0o600 });
    await expect(readMasterKeyFile(keyFile)).rejects.toThrow(MasterKeyError);
    const real = path.join(root, 'real.key');
    await writeMasterKeyFile(real, generateMasterKey());
    await rm(keyFile);
    await symlink(real, keyFile);
    await expect(readMasterKeyFile(keyFile)).rejects.toThrow(/cannot be opened/);
  });

  it('refuses a key that does not match the database, and a missing key for an existing database', async () => {
    const meta = new MemoryMeta();
    await openSecrets({ keyFile, dataDir }, meta);
    await writeMasterKeyFile(keyFile, generateMasterKey());
    await expect(openSecrets({ keyFile, dataDir }, meta)).rejects.toThrow(
      /Use the matching key file/,
    );
    await rm(keyFile);
    await expect(openSecrets({ keyFile, dataDir }, meta)).rejects.toThrow(/is missing/);
  });

  it('recovers the key an interrupted rotation left in .new or .old', async () => {
    for (const suffix of ['.new', '.old']) {
      const meta = new MemoryMeta();
      const wanted = generateMasterKey();
      await meta.set(MASTER_KEY_ID_META, createSecretBox(wanted).keyId);
      await writeMasterKeyFile(keyFile, generateMasterKey());
      await writeMasterKeyFile(`${keyFile}${suffix}`, wanted);
      const opened = await openSecrets({ keyFile, dataDir }, meta);
      expect(opened.secrets.keyId).toBe(createSecretBox(wanted).keyId);
      expect((await readMasterKeyFile(keyFile)).equals(wanted)).toBe(true);
      await expect(readFile(`${keyFile}${suffix}`)).rejects.toThrow(/ENOENT/);
    }
  });
});
