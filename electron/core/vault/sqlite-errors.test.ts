import { afterEach, describe, expect, it } from 'vitest';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { expectNoDriverText } from '../testing/driver-text.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { fromSqliteError, isSqliteError } from './sqlite-errors.js';

/**
 * Proof that the driver's errors, provoked for real in a real vault, reach callers only as
 * Coffer codes with Coffer messages, and that the failed change wrote nothing.
 * (Locks, read-only files, damaged pages and I/O errors are proven through the command line
 * in electron/cli/cli-vault-errors.test.ts.)
 */
let temp: TempVault | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

const ACCOUNT =
  "INSERT INTO accounts (id, name, currency, kind, created_at, updated_at) VALUES (?, ?, ?, 'cash', 1, 1)";
const SECRET_NAME = 'Statement-echo-probe 4242';

function failure(run: () => unknown): CofferError {
  try {
    run();
  } catch (error) {
    expect(isSqliteError(error)).toBe(false);
    expect(isCofferError(error), String(error)).toBe(true);
    const coffer = error as CofferError;
    expectNoDriverText(`${coffer.message} ${JSON.stringify(coffer.toJSON())}`);
    expect(coffer.message).not.toContain(SECRET_NAME);
    return coffer;
  }
  throw new Error('expected a failure');
}

describe('driver errors become Coffer errors', () => {
  it('constraint violations take the domain codes, and roll back', async () => {
    temp = await createTempVault();
    const { vault } = temp;
    const count = () => vault.db.prepare('SELECT count(*) FROM accounts').pluck().get();
    vault.transaction(() => vault.db.prepare(ACCOUNT).run('a1', 'Cash', 'USD'));

    const duplicate = failure(() =>
      vault.transaction(() => {
        vault.db.prepare(ACCOUNT).run('a2', SECRET_NAME, 'EUR');
        vault.db.prepare(ACCOUNT).run('a1', SECRET_NAME, 'USD');
      }),
    );
    expect(duplicate.code).toBe('DUPLICATE');

    const check = failure(() =>
      vault.transaction(() => vault.db.prepare(ACCOUNT).run('a3', SECRET_NAME, 'usd')),
    );
    expect(check.code).toBe('INVALID_INPUT');

    const notNull = failure(() =>
      vault.transaction(() => vault.db.prepare(ACCOUNT).run('a4', null, 'USD')),
    );
    expect(notNull.code).toBe('INVALID_INPUT');

    const foreignKey = failure(() =>
      vault.transaction(() =>
        vault.db
          .prepare(
            "INSERT INTO categories (id, name, kind, parent_id, created_at, updated_at) VALUES ('c1', ?, 'expense', 'no-such-parent', 1, 1)",
          )
          .run(SECRET_NAME),
      ),
    );
    expect(foreignKey.code).toBe('INVALID_STATE');
    expect(count()).toBe(1);
  });

  it('a full vault (SQLite size limit reached) is DISK_FULL and the change is not saved', async () => {
    temp = await createTempVault();
    const { vault } = temp;
    vault.db.exec('CREATE TABLE filler (body BLOB)');
    const pages = Number(vault.db.pragma('page_count', { simple: true }));
    vault.db.pragma(`max_page_count = ${pages + 2}`);
    const full = failure(() =>
      vault.transaction(() =>
        vault.db.prepare('INSERT INTO filler (body) VALUES (?)').run(Buffer.alloc(64 * 1024, 1)),
      ),
    );
    expect(full.code).toBe('DISK_FULL');
    expect(vault.db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(0);
  });

  it('leaves errors that are not the driver alone', () => {
    const own = new CofferError('NOT_FOUND', 'x');
    expect(fromSqliteError(own)).toBe(own);
    const other = new TypeError('y');
    expect(fromSqliteError(other)).toBe(other);
  });
});
