import sqlcipher from '@journeyapps/sqlcipher';

/**
 * The independent SQLCipher build (@journeyapps/sqlcipher, upstream SQLCipher) used as an
 * oracle: if it reads our file with the key, the file is genuine SQLCipher 4.
 * `key === null` opens without any key. Resolves the rows of `sql`, rejects with the error.
 */
export function oracleQuery(file: string, key: Buffer | null, sql: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(file, sqlcipher.OPEN_READONLY, (openError) => {
      if (openError) {
        reject(openError);
        return;
      }
      const finish = (error: Error | null, rows?: unknown[]) => {
        db.close(() => (error ? reject(error) : resolve(rows ?? [])));
      };
      db.serialize(() => {
        db.run('PRAGMA cipher_compatibility = 4');
        if (key !== null) db.run(`PRAGMA key = "x'${key.toString('hex')}'"`);
        db.all(sql, (error: Error | null, rows: unknown[]) => finish(error, rows));
      });
    });
  });
}
