import { describe, expect, it } from 'vitest';
import { newInviteToken } from './invite.service.js';

describe('invite tokens', () => {
  it('never start with "-", which a command line would read as a flag', () => {
    // 0xf8 puts 62 in the first six bits: base64url "-".
    const draws = [Buffer.alloc(32, 0xf8), Buffer.alloc(32, 0x00)];
    const token = newInviteToken(() => draws.shift() ?? Buffer.alloc(32, 0x01));
    expect(token).toBe('A'.repeat(43));
    expect(draws).toHaveLength(0);
  });

  it('are 43 characters of unpadded base64url', () => {
    for (let i = 0; i < 200; i++) {
      const token = newInviteToken();
      expect(token).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}$/);
    }
  });
});
