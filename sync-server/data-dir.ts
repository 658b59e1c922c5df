import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

export const DATABASE_FILE = 'coffer-server.db';
const LOCK_FILE = 'server.lock';

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

export const databasePath = (dataDir: string): string => path.join(dataDir, DATABASE_FILE);

/** Creates the data dir (0700) or tightens an existing one to 0700. */
export async function prepareDataDir(dataDir: string): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const stat = await fs.stat(dataDir);
  if (!stat.isDirectory()) throw new DataDirError(`${dataDir} is not a directory.`);
  if ((stat.mode & 0o077) !== 0) await fs.chmod(dataDir, 0o700);
}

/**
 * One process per data dir: the server and rotate-master-key take `<dataDir>/server.lock`
 * (holding the pid). A lock left by a process that no longer runs is taken over.
 * Returns the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await fs.open(
        file,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
        0o600,
      );
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await fs.rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirError(
          `Another Coffer server process (pid ${holder}) is using ${dataDir}; stop it first.`,
        );
      }
      await fs.rm(file, { force: true });
    }
  }
  throw new DataDirError(`Could not lock ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
