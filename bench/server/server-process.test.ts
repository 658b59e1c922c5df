import { describe, expect, it } from 'vitest';
import { isComplete, readStartupLine } from './server-process.js';

const HEX = 'ab'.repeat(32);

describe('readStartupLine', () => {
  it('collects the fingerprint and the URL from the start-up lines', () => {
    let seen = readStartupLine(`fingerprint: sha256:${HEX.toUpperCase()}`, {});
    expect(isComplete(seen)).toBe(false);
    seen = readStartupLine('mail: outbox /tmp/data/outbox', seen);
    seen = readStartupLine('listening on https://127.0.0.1:40123', seen);
    expect(isComplete(seen)).toBe(true);
    expect(seen).toEqual({ fingerprint: HEX, url: 'https://127.0.0.1:40123' });
  });

  it('ignores other lines and malformed fingerprints', () => {
    expect(readStartupLine('fingerprint: sha256:1234', {})).toEqual({});
    expect(readStartupLine('listening on http://127.0.0.1:1', {})).toEqual({});
    expect(readStartupLine('redirecting http://127.0.0.1:8080', {})).toEqual({});
  });
});
