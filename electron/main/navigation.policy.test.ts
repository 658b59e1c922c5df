import { describe, expect, it } from 'vitest';
import { externalOpenDecision, isAllowedNavigation } from './navigation.policy.js';

describe('navigation', () => {
  it('stays on the app origin', () => {
    expect(isAllowedNavigation('app://coffer/index.html')).toBe(true);
    expect(isAllowedNavigation('app://coffer/index.html#/ledger')).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://coffer.example.com/',
    'app://user@coffer/',
    'app://coffer:1/',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'about:blank',
    'not a url',
  ])('is refused off the app origin: %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });
});

describe('externalOpenDecision (what shell.openExternal may open)', () => {
  it('allows https with a host, and mailto: one address, opening the parsed URL', () => {
    expect(externalOpenDecision('https://coffer.example/pay?id=1')).toEqual({
      open: true,
      url: 'https://coffer.example/pay?id=1',
    });
    expect(externalOpenDecision('HTTPS://Example.COM')).toEqual({
      open: true,
      url: 'https://example.com/',
    });
    expect(externalOpenDecision('mailto:billing@example.com?subject=Invoice%2012')).toEqual({
      open: true,
      url: 'mailto:billing@example.com?subject=Invoice%2012',
    });
  });

  it.each([
    ['user and password', 'https://user:secret@example.com/'],
    ['user only', 'https://user@example.com/'],
    ['credentials hidden by an encoded @', 'https://example.com%40evil.com@evil.com/'],
    ['plain http', 'http://example.com/'],
    ['file', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,hi'],
    ['a program-launching scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['smb share', 'smb://server/share'],
    ['app origin itself', 'app://coffer/index.html'],
    ['host without a dot', 'https://localhost/'],
    ['whitespace', 'https://example.com/ x'],
    ['control character', 'https://example.com/\u0000'],
    ['newline', 'https://example.com/\n'],
    ['too long', `https://example.com/${'a'.repeat(2100)}`],
    ['mailto two addresses', 'mailto:a@example.com,b@example.com'],
    ['mailto no address', 'mailto:?subject=x'],
    ['not a URL', 'example.com'],
  ])('refuses %s', (_name, url) => {
    expect(externalOpenDecision(url).open).toBe(false);
  });
});
