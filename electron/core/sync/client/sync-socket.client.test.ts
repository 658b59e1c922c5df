import { describe, expect, it } from 'vitest';

import { parseAnnouncement } from './sync-socket.client.js';

describe('sync socket announcements', () => {
  it('reads the server’s seq announcement', () => {
    expect(parseAnnouncement('{"type":"seq","seq":42,"epoch":"e-1"}')).toEqual({
      seq: 42,
      epoch: 'e-1',
    });
  });

  it('ignores anything that is not exactly one', () => {
    for (const text of [
      'not json',
      'null',
      '[]',
      '{"type":"hello","seq":1,"epoch":"e"}',
      '{"type":"seq","seq":-1,"epoch":"e"}',
      '{"type":"seq","seq":1.5,"epoch":"e"}',
      '{"type":"seq","seq":"7","epoch":"e"}',
      '{"type":"seq","seq":9007199254740993,"epoch":"e"}',
      '{"type":"seq","seq":1,"epoch":""}',
      '{"type":"seq","seq":1}',
      `{"type":"seq","seq":1,"epoch":"${'e'.repeat(201)}"}`,
    ]) {
      expect(parseAnnouncement(text), text).toBeUndefined();
    }
  });
});
