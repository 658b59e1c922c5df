import { describe, expect, it } from 'vitest';

import { cleanUserAgent, platformFromUserAgent } from './platform.js';

describe('platformFromUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Coffer/0.1 Electron/38', 'macos'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', 'ios'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8)', 'android'],
    ['Mozilla/5.0 (X11; Linux x86_64)', 'linux'],
    ['curl/8.5.0', 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (userAgent, platform) => {
    expect(platformFromUserAgent(userAgent)).toBe(platform);
  });
});

describe('cleanUserAgent', () => {
  it('drops control characters and caps the length', () => {
    expect(cleanUserAgent('evil\r\nInjected: yes\u0000')).toBe('evilInjected: yes');
    expect(cleanUserAgent('x'.repeat(2000))).toHaveLength(512);
    expect(cleanUserAgent(undefined)).toBe('');
  });
});
