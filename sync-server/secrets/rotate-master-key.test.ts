import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { MASTER_KEY_ID_META } from '../storage/meta.repository.js';
import type { SealedColumnRotation } from '../storage/sealed-columns.js';
import type { Storage } from '../storage/storage.js';
import { describeStorage } from '../test/support/storage-backends.js';
import type { StorageUnderTest } from '../test/support/storage-backends.js';
import { readMasterKeyFile } from './master-key.js';
import { openSecrets } from './open-secrets.js';
import { rotateMasterKey } from './rotate-master-key.js';
import { createSecretBox, SecretBoxError } from './secret-box.js';
import type { SecretBox } from './secret-box.js';

let root: string;
let dataDir: string;
let keyFile: string;
let db: StorageUnderTest;
let storage: Storage;
let box: SecretBox;

async function addUser(id: string, email: string): Promise<void> {
  await storage.users.create({
    id,
    emailLookup: box.lookupHash('email', email),
    emailSealed: box.seal(email, `email:${id}`),
    passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
    createdAt: 1,
    updatedAt: 1,
    passwordChangedAt: 1,
  });
}

describeStorage('rotateMasterKey', (backend) => {
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'coffer-rotate-'));
    dataDir = path.join(root, 'data');
    keyFile = path.join(root, 'master.key');
    db = await backend.open();
    storage = db.storage;
    await mkdir(dataDir, { mode: 0o700 });
    box = (await openSecrets({ keyFile, dataDir }, storage.meta)).secrets;
  });
  afterEach(async () => {
    await storage.close();
    await rm(root, { recursive: true, force: true });
  });

  it('re-encrypts every sealed column and lookup hash; the old key opens nothing after', async () => {
    await addUser('u1', 'Alice@Example.test');
    await addUser('u2', 'bob@example.test');
    await storage.mfa.putPendingTotp('u1', box.seal('JBSWY3DPEHPK3PXP', 'totp:u1'), 1);
    const oldKey = await readMasterKeyFile(keyFile);
    const oldSealed = (await storage.users.findById('u1'))?.emailSealed;

    const result = await rotateMasterKey({ storage, keyFile });
    expect(result.rows).toBe(3);
    expect(result.oldKeyId).toBe(box.keyId);
    expect(result.newKeyId).not.toBe(box.keyId);
    expect(await storage.meta.get(MASTER_KEY_ID_META)).toBe(result.newKeyId);

    const newKey = await readMasterKeyFile(keyFile);
    expect(newKey.equals(oldKey)).toBe(false);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    await expect(stat(`${keyFile}.old`)).rejects.toThrow(/ENOENT/);
    await expect(stat(`${keyFile}.new`)).rejects.toThrow(/ENOENT/);

    const fresh = createSecretBox(newKey);
    const user = await storage.users.findByEmailLookup(
      fresh.lookupHash('email', 'alice@example.test'),
    );
    expect(user?.id).toBe('u1');
    expect(user?.emailSealed).not.toBe(oldSealed);
    expect(fresh.open(user?.emailSealed ?? '', 'email:u1')).toBe('Alice@Example.test');
    const totp = await storage.mfa.getTotp('u1');
    expect(fresh.open(totp?.secretSealed ?? '', 'totp:u1')).toBe('JBSWY3DPEHPK3PXP');

    const old = createSecretBox(oldKey);
    expect(() => old.open(user?.emailSealed ?? '', 'email:u1')).toThrow(SecretBoxError);
    expect(() => old.open(totp?.secretSealed ?? '', 'totp:u1')).toThrow(SecretBoxError);
    expect(
      await storage.users.findByEmailLookup(old.lookupHash('email', 'alice@example.test')),
    ).toBeNull();

    // A restart with the new key file opens the database.
    expect((await openSecrets({ keyFile, dataDir }, storage.meta)).secrets.keyId).toBe(
      result.newKeyId,
    );
  });

  it('changes nothing when a value does not open, and leaves the key file alone', async () => {
    await addUser('u1', 'alice@example.test');
    // A value sealed for another row cannot be opened with its own row's AAD.
    await db.rows(
      'UPDATE users SET email_sealed = ? WHERE id = ?',
      box.seal('x', 'email:other'),
      'u1',
    );
    const before = await readFile(keyFile, 'utf8');
    const sealedBefore = (await storage.users.findById('u1'))?.emailSealed;

    await expect(rotateMasterKey({ storage, keyFile })).rejects.toThrow(SecretBoxError);
    expect(await readFile(keyFile, 'utf8')).toBe(before);
    expect(await storage.meta.get(MASTER_KEY_ID_META)).toBe(box.keyId);
    expect((await storage.users.findById('u1'))?.emailSealed).toBe(sealedBefore);
    await expect(stat(`${keyFile}.new`)).rejects.toThrow(/ENOENT/);
    await expect(stat(`${keyFile}.old`)).rejects.toThrow(/ENOENT/);
  });

  it('keeps NULL sealed values NULL (generic columns)', async () => {
    await db.rows(
      'CREATE TABLE notes (note_id TEXT PRIMARY KEY, body_sealed TEXT, body_lookup TEXT)',
    );
    await db.rows(
      'INSERT INTO notes VALUES (?, ?, ?)',
      'n1',
      box.seal('hello', 'note:n1'),
      box.lookupHash('note', 'hello'),
    );
    await db.rows('INSERT INTO notes VALUES (?, NULL, NULL)', 'n2');
    const rotations: SealedColumnRotation[] = [
      {
        table: 'notes',
        idColumn: 'note_id',
        sealedColumns: [{ column: 'body_sealed', aad: (id) => `note:${id}` }],
        lookupColumns: [{ column: 'body_lookup', kind: 'note', source: 'body_sealed' }],
      },
    ];
    const result = await rotateMasterKey({ storage, keyFile, rotations });
    expect(result.rows).toBe(2);
    const fresh = createSecretBox(await readMasterKeyFile(keyFile));
    const rows = await db.rows<{ body_sealed: string | null; body_lookup: string | null }>(
      'SELECT * FROM notes ORDER BY note_id',
    );
    expect(fresh.open(rows[0]?.body_sealed ?? '', 'note:n1')).toBe('hello');
    expect(rows[0]?.body_lookup).toBe(fresh.lookupHash('note', 'hello'));
    expect(rows[1]).toEqual({ note_id: 'n2', body_sealed: null, body_lookup: null });
  });

  it('refuses identifiers that are not plain names', async () => {
    const rotations: SealedColumnRotation[] = [
      { table: 'users; DROP TABLE users', idColumn: 'id', sealedColumns: [], lookupColumns: [] },
    ];
    await expect(rotateMasterKey({ storage, keyFile, rotations })).rejects.toThrow(
      /Invalid identifier/,
    );
  });
});
