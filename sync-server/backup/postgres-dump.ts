import { promises as fs } from 'node:fs';

import { BackupError, errorCode, errorText } from './backup-error.js';
import type { KeyCheck } from './backup-header.js';
import { readKeyCheck } from './key-check.js';
import { clientConnection, connectOrExplain, quoteIdentifier } from './postgres-connection.js';
import { runClientTool } from './run-client-tool.js';

/**
 * Dumps the server's schema with pg_dump into `staged` (plain SQL, no owners or grants, so it
 * restores under another role). Consistent while servers keep writing: the key check is read
 * in a REPEATABLE READ transaction whose snapshot pg_dump is handed (`--snapshot`), so both
 * see the database at one instant.
 */
export async function dumpPostgres(
  url: string,
  staged: string,
): Promise<{ keyCheck: KeyCheck; schema: string }> {
  const nothing = 'nothing was written';
  const client = await connectOrExplain(url, nothing);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string; schema: string | null }>(
      'SELECT pg_export_snapshot() AS snapshot, current_schema() AS schema',
    );
    const snapshot = rows[0]?.snapshot;
    const schema = rows[0]?.schema;
    if (snapshot === undefined || schema === null || schema === undefined) {
      throw new BackupError(`the database URL names no existing schema; ${nothing}.`, 2);
    }
    let keyCheck: KeyCheck;
    try {
      keyCheck = await readKeyCheck(
        async (sql, params) =>
          (await client.query<Record<string, unknown>>(sql, [...params])).rows[0],
        (n) => `$${n}`,
      );
    } catch (error) {
      if (errorCode(error) === '42P01') {
        throw new BackupError(`schema ${schema} holds no Coffer server tables; ${nothing}.`, 2);
      }
      throw error;
    }
    const { dbname, env } = clientConnection(url);
    try {
      await runClientTool(
        'pg_dump',
        [
          `--dbname=${dbname}`,
          `--snapshot=${snapshot}`,
          `--schema=${quoteIdentifier(schema)}`,
          '--format=plain',
          '--no-owner',
          '--no-privileges',
          `--file=${staged}`,
        ],
        env,
        'no backup file was left',
      );
    } catch (error) {
      await fs.rm(staged, { force: true });
      throw error;
    }
    await client.query('COMMIT');
    return { keyCheck, schema };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`reading the database failed (${errorText(error)}); ${nothing}.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
