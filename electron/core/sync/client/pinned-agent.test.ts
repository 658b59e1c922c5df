import { describe, expect, it } from 'vitest';

import { parseFingerprint } from './pinned-agent.js';

const HEX = 'ab'.repeat(32);

describe('parseFingerprint', () => {
  it('reads the form the server prints, in any case, with or without colons', () => {
    expect(parseFingerprint(`sha256:${HEX}`)).toBe(HEX);
    expect(parseFingerprint(` SHA256:${HEX.toUpperCase()}\n`)).toBe(HEX);
    expect(parseFingerprint(`sha256:${HEX.match(/../g)?.join(':')}`)).toBe(HEX);
  });

  it('refuses anything else with INVALID_INPUT', () => {
    for (const text of [
      HEX,
      `sha1:${HEX}`,
      `sha256:${HEX.slice(2)}`,
      `sha256:${HEX}00`,
      'sha256:zz',
    ]) {
      expect(() => parseFingerprint(text), text).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });
});
