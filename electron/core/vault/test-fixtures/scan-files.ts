import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Needle {
  label: string;
  bytes: Buffer;
}

/** Every way a text marker could appear in a file: UTF-8 and UTF-16 (SQLite can store either). */
export function textNeedles(label: string, text: string): Needle[] {
  return [
    { label: `${label} (utf8)`, bytes: Buffer.from(text, 'utf8') },
    { label: `${label} (utf16le)`, bytes: Buffer.from(text, 'utf16le') },
    { label: `${label} (utf16be)`, bytes: Buffer.from(text, 'utf16le').swap16() },
  ];
}

/** Raw bytes, hex (both cases) and base64 of a key. */
export function keyNeedles(label: string, key: Buffer): Needle[] {
  return [
    { label: `${label} (raw)`, bytes: Buffer.from(key) },
    { label: `${label} (hex)`, bytes: Buffer.from(key.toString('hex'), 'latin1') },
    { label: `${label} (HEX)`, bytes: Buffer.from(key.toString('hex').toUpperCase(), 'latin1') },
    { label: `${label} (base64)`, bytes: Buffer.from(key.toString('base64'), 'latin1') },
    { label: `${label} (base64url)`, bytes: Buffer.from(key.toString('base64url'), 'latin1') },
  ];
}

export interface ScanHit {
  file: string;
  needle: string;
  offset: number;
}

/** Searches every file under `dir` (recursively) for each needle's bytes. */
export function scanDir(dir: string, needles: Needle[]): { files: string[]; hits: ScanHit[] } {
  const files: string[] = [];
  const hits: ScanHit[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        files.push(full);
        const content = fs.readFileSync(full);
        for (const needle of needles) {
          const offset = content.indexOf(needle.bytes);
          if (offset !== -1) hits.push({ file: full, needle: needle.label, offset });
        }
      }
    }
  };
  walk(dir);
  return { files, hits };
}
