import { describe, expect, it } from 'vitest';
import { inviteLink, parseInvite } from './invite-link.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 43 base64url characters, not starting with '-', as the server issues them. */
const token = (): string => {
  const picks = crypto.getRandomValues(new Uint8Array(43));
  return Array.from(picks, (n, i) => ALPHABET[i === 0 ? n % 62 : n % 64]).join('');
};

describe('invite links', () => {
  it('round-trips a token and the server it is for', () => {
    const t = token();
    const link = inviteLink('https://127.0.0.1:8443', t);
    expect(link.startsWith('coffer://join?server=')).toBe(true);
    expect(link.endsWith(`#${t}`)).toBe(true);
    expect(parseInvite(`  ${link}\n`)).toEqual({ token: t, server: 'https://127.0.0.1:8443' });
  });

  it('takes a bare token as the server issues it', () => {
    const t = token();
    expect(parseInvite(t)).toEqual({ token: t, server: null });
  });

  it('refuses what is neither', () => {
    const t = token();
    for (const text of [
      '',
      t.slice(1),
      `${t}x`,
      `${t.slice(1)}!`,
      `https://example.test/join#${t}`,
      `coffer://join#${t}`,
      `coffer://join?server=${encodeURIComponent('http://127.0.0.1:1')}#${t}`,
      `coffer://join?server=${encodeURIComponent('https://a.test/path')}#${t}`,
      `coffer://join?server=${encodeURIComponent('https://a.test')}`,
      `coffer://join?server=${encodeURIComponent('https://a.test')}#${t.slice(2)}`,
    ]) {
      expect(parseInvite(text), text).toBeNull();
    }
  });
});
