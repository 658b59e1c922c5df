import { describe, expect, it } from 'vitest';
import { importBatchLabel, sameImportFile } from './import-batch.js';

const SHA = '0123456789abcdef'.repeat(4);

describe('importBatchLabel', () => {
  it('is the format and the first 16 hex digits of the file hash: a prefix of sha256sum output', () => {
    expect(importBatchLabel('ofx', SHA)).toBe('ofx:0123456789abcdef');
    expect(SHA.startsWith(importBatchLabel('csv', SHA).slice('csv:'.length))).toBe(true);
  });
});

describe('sameImportFile', () => {
  const label = importBatchLabel('csv', SHA);

  it('matches its own label and the whole-hash label rows carried before', () => {
    expect(sameImportFile(label, label)).toBe(true);
    expect(sameImportFile(`csv:${SHA}`, label)).toBe(true);
  });

  it('does not match another format, another file, or a longer label that is not a whole hash', () => {
    expect(sameImportFile(`ofx:${SHA}`, label)).toBe(false);
    expect(sameImportFile(importBatchLabel('csv', 'f'.repeat(64)), label)).toBe(false);
    expect(sameImportFile(`${label}ff`, label)).toBe(false);
    expect(sameImportFile('csv:0123', label)).toBe(false);
  });
});
