import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { inject } from 'vitest';

import { openPostgresStorage } from '../../storage/postgres/postgres-storage.js';
import type { PostgresStorage } from '../../storage/postgres/postgres-storage.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresUnavailable: string;
  }
}

/**
 * Databases in the run's test cluster (build/testing/postgres.global-setup.ts). A test file
 * gets one database, made on first use; each storage or URL asked for gets a schema of its
 * own in it, so tests never see each other's rows. The cluster goes at the end of the run.
 */
let fileDatabase: Promise<string> | undefined;

function adminUrl(): string {
  const unavailable = inject('postgresUnavailable');
  if (unavailable !== '') throw new Error(unavailable);
  const url = inject('postgresAdminUrl');
  if (url === '') throw new Error('No PostgreSQL test cluster was started for this run.');
  return url;
}

/** Same server and credentials as `url`, database `database`. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const randomName = (prefix: string): string => `${prefix}_${randomBytes(8).toString('hex')}`;

/** A new database in the test cluster; its URL. */
export async function createTestDatabase(): Promise<string> {
  const admin = adminUrl();
  const name = randomName('coffer_test');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return withDatabase(admin, name);
}

/**
 * A URL for a fresh, empty schema (in this file's database): every connection made with it
 * uses that schema.
 */
export async function freshPostgresUrl(): Promise<string> {
  fileDatabase ??= createTestDatabase();
  const url = await fileDatabase;
  const schema = randomName('s');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** A migrated PostgreSQL storage on a fresh schema. */
export async function openTestPostgresStorage(): Promise<PostgresStorage> {
  return openPostgresStorage(await freshPostgresUrl());
}
