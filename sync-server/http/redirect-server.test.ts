import { describe, expect, it } from 'vitest';

import { redirectTarget } from './redirect-server.js';

describe('redirectTarget', () => {
  it.each([
    ['/v1/health', 'https://h:1/v1/health'],
    ['/a?b=c&d', 'https://h:1/a?b=c&d'],
    ['//evil.example/x', 'https://h:1//evil.example/x'], // a path on h:1, not a host
    ['http://evil.example/x', 'https://h:1/'],
    ['*', 'https://h:1/'],
    [undefined, 'https://h:1/'],
    ['/%0d%0aSet-Cookie:x', 'https://h:1/%0d%0aSet-Cookie:x'],
  ])('%j → %s', (url, expected) => {
    expect(redirectTarget('https://h:1', url)).toBe(expected);
  });
});

describe('redirectTarget with odd bytes', () => {
  it('percent-encodes anything outside printable ASCII', () => {
    expect(redirectTarget('https://h:1', '/caf\u00e9 x')).toBe('https://h:1/caf%C3%A9%20x');
  });
});
