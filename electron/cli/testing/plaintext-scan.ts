import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

/** One thing to look for, in every byte form it is looked for in. */
export interface Needle {
  /** What it stands for (`payee`, `amount -391726405819`), as a finding names it. */
  label: string;
  forms: Buffer[];
}

/**
 * Text as a store might keep it: UTF-8, UTF-16LE, hex, and base64 / base64url at each of the
 * three alignments (the middle of an encoding of any text that contains it).
 */
export function textNeedle(label: string, text: string): Needle {
  const forms = [
    Buffer.from(text, 'utf8'),
    Buffer.from(text, 'utf16le'),
    Buffer.from(Buffer.from(text, 'utf8').toString('hex'), 'utf8'),
  ];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(text, 'utf8')]);
    for (const alphabet of ['base64', 'base64url'] as const) {
      forms.push(Buffer.from(encoded.toString(alphabet).slice(4, -4), 'utf8'));
    }
  }
  return { label, forms };
}

/**
 * An amount in minor units as a plaintext would hold it: decimal text of the minor units and
 * of the major amount (`-3917264058.19`), and as a 64-bit integer and double, big- and
 * little-endian, and SQLite's 6-byte big-endian record integer. The amounts a test uses are
 * past 2^32 so no binary form is short enough to turn up in ciphertext by chance.
 */
export function amountNeedle(minor: number, decimals = 2): Needle {
  const int64 = (write: 'writeBigInt64BE' | 'writeBigInt64LE'): Buffer => {
    const bytes = Buffer.alloc(8);
    bytes[write](BigInt(minor));
    return bytes;
  };
  const double = (write: 'writeDoubleBE' | 'writeDoubleLE'): Buffer => {
    const bytes = Buffer.alloc(8);
    bytes[write](minor);
    return bytes;
  };
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const major = `${sign}${Math.floor(abs / 10 ** decimals)}.${String(abs % 10 ** decimals).padStart(decimals, '0')}`;
  return {
    label: `amount ${minor}`,
    forms: [
      Buffer.from(String(minor)),
      Buffer.from(String(abs)),
      Buffer.from(major),
      int64('writeBigInt64BE'),
      int64('writeBigInt64LE'),
      int64('writeBigInt64BE').subarray(2),
      double('writeDoubleBE'),
      double('writeDoubleLE'),
    ],
  };
}

/** The labels of the needles found anywhere in `bytes`, each with where (`where`). */
export function scanBytes(bytes: Buffer, needles: readonly Needle[], where: string): string[] {
  return needles
    .filter((needle) => needle.forms.some((form) => bytes.includes(form)))
    .map((needle) => `${needle.label} in ${where}`);
}

/** Every file under `dir`, read whole, scanned raw. */
export function scanDirectory(dir: string, needles: readonly Needle[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...scanDirectory(path, needles));
    else found.push(...scanBytes(readFileSync(path), needles, path));
  }
  return found;
}

/**
 * Every value of every table of an open SQLite database, as SQL gives it back: text and
 * blobs scanned as bytes, numbers as their decimal text and as the amount they might be.
 */
export function scanDatabase(
  db: Database.Database,
  needles: readonly Needle[],
  where: string,
): string[] {
  const found = new Set<string>();
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .pluck()
    .all() as string[];
  for (const table of tables) {
    const rows = db
      .prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`)
      .raw()
      .iterate();
    for (const row of rows as Iterable<unknown[]>) {
      for (const value of row) {
        let bytes: Buffer;
        if (Buffer.isBuffer(value)) bytes = value;
        else if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
        else if (typeof value === 'number' || typeof value === 'bigint')
          bytes = Buffer.from(String(value));
        else continue;
        for (const hit of scanBytes(bytes, needles, `${where} table ${table}`)) found.add(hit);
      }
    }
  }
  return [...found];
}

/** A database file opened read-only through SQL and scanned (scanDatabase). */
export function scanDatabaseFile(file: string, needles: readonly Needle[]): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return scanDatabase(db, needles, file);
  } finally {
    db.close();
  }
}
