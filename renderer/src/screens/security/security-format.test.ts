import { describe, expect, it } from 'vitest';
import {
  backupCodesFileText,
  deviceText,
  signInMethodText,
  signInResultText,
  totpKeyGroups,
} from './security-format.js';

describe('totpKeyGroups', () => {
  it('splits the key in groups of 4, upper case, ignoring spaces a copy brought along', () => {
    expect(totpKeyGroups('jbsw y3dp ehpk 3pxp')).toEqual(['JBSW', 'Y3DP', 'EHPK', '3PXP']);
    expect(totpKeyGroups('ABCDEFGHIJ')).toEqual(['ABCD', 'EFGH', 'IJ']);
  });
  it('keeps every character: joined again it is the key', () => {
    const key = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpKeyGroups(key).join('')).toBe(key);
  });
});

describe('backupCodesFileText', () => {
  it('holds every code, the account and the server', () => {
    const codes = Array.from({ length: 10 }, (_, i) => `code-${i}`);
    const text = backupCodesFileText(codes, 'ann@example.test', 'https://sync.example');
    for (const code of codes) expect(text).toContain(`\n${code}\n`);
    expect(text).toContain('ann@example.test');
    expect(text).toContain('https://sync.example');
  });
});

describe('sign-in history text', () => {
  it('names the method and factor', () => {
    expect(signInMethodText({ kind: 'password', factor: 'password' })).toBe('Password');
    expect(signInMethodText({ kind: 'second_factor', factor: 'totp' })).toBe(
      'Second factor: Authenticator app',
    );
    expect(signInMethodText({ kind: 'step_up', factor: null })).toBe('Confirmation (step-up)');
    expect(signInMethodText({ kind: 'register', factor: 'password' })).toBe('Account created');
    expect(signInMethodText({ kind: 'second_factor', factor: 'future_thing' })).toBe(
      'Second factor: future_thing',
    );
  });
  it('says the result with why and how often', () => {
    expect(signInResultText({ outcome: 'success', errorCode: null, repeats: 1 })).toBe('Succeeded');
    expect(
      signInResultText({ outcome: 'failure', errorCode: 'INVALID_CREDENTIALS', repeats: 3 }),
    ).toBe('Failed (INVALID_CREDENTIALS), 3 times');
  });
  it('a device by its name, else its browser, else unknown', () => {
    expect(deviceText({ deviceName: 'Laptop', userAgent: 'x' })).toBe('Laptop');
    expect(deviceText({ deviceName: null, userAgent: 'curl/8' })).toBe('curl/8');
    expect(deviceText({ deviceName: null, userAgent: null })).toBe('Unknown device');
    expect(deviceText({ deviceName: null, userAgent: 'a'.repeat(100) })).toHaveLength(58);
  });
});
