import { describe } from 'vitest';

import { PostgresStorage } from '../../storage/postgres/postgres-storage.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../storage/storage.js';
import { openTestPostgresStorage } from './postgres-test-database.js';

/**
 * A storage under test with a way around it: `sql` runs one statement directly on the
 * database (placeholders are `?` on both backends), for setting up rows the interface
 * cannot make, playing another process, or looking at what was stored.
 */
export interface StorageUnderTest {
  storage: Storage;
  /** The rows the statement returns (none for a write). */
  rows<R = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<R[]>;
  /** The first column of each row. */
  column<V = unknown>(text: string, ...params: unknown[]): Promise<V[]>;
}

export interface StorageBackend {
  name: 'sqlite' | 'postgres';
  /** A new, migrated, empty storage; the test closes it. */
  open(): Promise<StorageUnderTest>;
}

function sqliteUnderTest(storage: SqliteStorage): StorageUnderTest {
  const rows = async <R>(text: string, ...params: unknown[]): Promise<R[]> => {
    const statement = storage.db.prepare(text);
    if (statement.reader) return statement.all(...params) as R[];
    statement.run(...params);
    return [];
  };
  return {
    storage,
    rows,
    column: async <V>(text: string, ...params: unknown[]) =>
      (await rows<Record<string, V>>(text, ...params)).map((row) => Object.values(row)[0] as V),
  };
}

/** `?` placeholders become `$1`, `$2`, … (test SQL holds no `?` inside strings). */
const numbered = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${(n += 1)}`);
};

function postgresUnderTest(storage: PostgresStorage): StorageUnderTest {
  const rows = async <R>(text: string, ...params: unknown[]): Promise<R[]> =>
    (await storage.db.query(numbered(text), params)).rows as R[];
  return {
    storage,
    rows,
    column: async <V>(text: string, ...params: unknown[]) =>
      (await rows<Record<string, V>>(text, ...params)).map((row) => Object.values(row)[0] as V),
  };
}

export const STORAGE_BACKENDS: readonly StorageBackend[] = [
  { name: 'sqlite', open: async () => sqliteUnderTest(openSqliteStorage(':memory:')) },
  {
    name: 'postgres',
    open: async () => {
      const storage = await openTestPostgresStorage();
      if (!(storage instanceof PostgresStorage)) throw new Error('not a PostgresStorage');
      return postgresUnderTest(storage);
    },
  },
];

/**
 * One suite, every backend: `body` runs once per backend inside a `describe` named
 * `<title> (<backend>)`, and opens its storages with `backend.open()`.
 */
export function describeStorage(title: string, body: (backend: StorageBackend) => void): void {
  describe.each(STORAGE_BACKENDS)(`${title} ($name)`, body);
}

/** A user row with a made-up lookup and sealed email (no secrets box needed). */
export async function seedUser(storage: Storage, id: string): Promise<void> {
  await storage.users.create({
    id,
    emailLookup: `lookup-${id}`,
    emailSealed: `sealed-${id}`,
    passwordHash: `hash-${id}`,
    createdAt: 1,
    updatedAt: 1,
    passwordChangedAt: 1,
  });
}

/** A live session of `userId` whose token hash is `token-<id>`. */
export async function seedSession(
  storage: Storage,
  id: string,
  userId: string,
  at = 1,
): Promise<void> {
  await storage.sessions.create({
    id,
    userId,
    tokenHash: `token-${id}`,
    deviceName: `device ${id}`,
    platform: 'linux',
    ip: '127.0.0.1',
    userAgent: 'test',
    createdAt: at,
    lastSeenAt: at,
    elevatedUntil: null,
    revokedAt: null,
    revokedReason: null,
  });
}

/** A workspace with `adminId` as its admin. */
export async function seedWorkspace(storage: Storage, id: string, adminId: string): Promise<void> {
  await storage.workspaces.create(
    {
      id,
      nameBlob: 'bmFtZQ==',
      createdAt: 1,
      policy: { requireMfa: false, forbidEmailOtp: false },
    },
    { userId: adminId, joinedAt: 1 },
  );
}
