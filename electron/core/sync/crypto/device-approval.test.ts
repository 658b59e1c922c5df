import { describe, expect, it } from 'vitest';
import {
  APPROVAL_REQUEST_TTL_MS,
  assertApprovalRequestLive,
  deviceApprovalCode,
  sameApprovalCode,
  type DeviceApprovalSubject,
} from './device-approval.js';
import { codeOf, errorOf, fixedBytes, flipByte } from './test-fixtures/crypto-test-support.js';
import { generateX25519KeyPair } from './x25519-key-pair.js';

const T0 = 1_718_000_000_000;
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('device approval short code', () => {
  it('is the same on both devices for the same request, and fixed for fixed inputs', () => {
    const subject: DeviceApprovalSubject = {
      requestId: 'req-1',
      newDevicePublicKey: fixedBytes('new device'),
      userPublicKey: fixedBytes('user'),
    };
    expect(deviceApprovalCode(subject)).toBe('2Q3S-899H');
    // What the approver computes from what the server relayed to it.
    const onApprover = {
      requestId: 'req-1',
      newDevicePublicKey: Buffer.from(subject.newDevicePublicKey),
      userPublicKey: Buffer.from(subject.userPublicKey),
    };
    expect(deviceApprovalCode(onApprover)).toBe(deviceApprovalCode(subject));
    expect(deviceApprovalCode(subject)).toMatch(CODE);
    expect(sameApprovalCode(' 2q3s899h ', '2Q3S-899H')).toBe(true);
    expect(sameApprovalCode('2Q3S-899J', '2Q3S-899H')).toBe(false);
  });

  it('differs when the server swaps the new device key, the user key or the request', () => {
    const subject: DeviceApprovalSubject = {
      requestId: 'req-7f3a',
      newDevicePublicKey: generateX25519KeyPair().publicKey,
      userPublicKey: generateX25519KeyPair().publicKey,
    };
    const code = deviceApprovalCode(subject);
    const swapped: DeviceApprovalSubject[] = [
      { ...subject, newDevicePublicKey: flipByte(subject.newDevicePublicKey, 0) },
      { ...subject, newDevicePublicKey: flipByte(subject.newDevicePublicKey, 31) },
      { ...subject, userPublicKey: flipByte(subject.userPublicKey, 7) },
      { ...subject, requestId: 'req-7f3b' },
      // The two keys swapped with each other: their places are part of the code.
      {
        ...subject,
        newDevicePublicKey: subject.userPublicKey,
        userPublicKey: subject.newDevicePublicKey,
      },
    ];
    // A 40-bit code: a chance collision among these five is below 2^-37.
    for (const other of swapped) expect(deviceApprovalCode(other)).not.toBe(code);
  });

  it('spreads codes evenly over its alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const code = deviceApprovalCode({
        requestId: `req-${i}`,
        newDevicePublicKey: fixedBytes('device'),
        userPublicKey: fixedBytes('user'),
      }).replace('-', '');
      for (const char of code) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    // 32,000 characters, 1,000 expected each; 6 standard deviations either side.
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(190);
  });

  it('refuses a request without an id or with keys of the wrong size', () => {
    const keys = { newDevicePublicKey: fixedBytes('d'), userPublicKey: fixedBytes('u') };
    expect(codeOf(() => deviceApprovalCode({ ...keys, requestId: '' }))).toBe('INVALID_INPUT');
    expect(
      codeOf(() =>
        deviceApprovalCode({ ...keys, requestId: 'r', userPublicKey: Buffer.alloc(31) }),
      ),
    ).toBe('INVALID_INPUT');
  });
});

describe('device approval request expiry', () => {
  it('is live for 15 minutes on an injected clock, then DEVICE_APPROVAL_EXPIRED', () => {
    expect(APPROVAL_REQUEST_TTL_MS).toBe(15 * 60 * 1000);
    for (const offset of [0, 1, 14 * 60_000, APPROVAL_REQUEST_TTL_MS - 1]) {
      expect(() => assertApprovalRequestLive(T0, () => T0 + offset)).not.toThrow();
    }
    for (const offset of [APPROVAL_REQUEST_TTL_MS, APPROVAL_REQUEST_TTL_MS + 1, 86_400_000]) {
      const error = errorOf(
        () => assertApprovalRequestLive(T0, () => T0 + offset),
        'DEVICE_APPROVAL_EXPIRED',
      );
      expect(error.message).toMatch(/15 minutes/);
    }
  });

  it('allows a minute of clock difference, and refuses a request dated further ahead', () => {
    expect(() => assertApprovalRequestLive(T0 + 60_000, () => T0)).not.toThrow();
    errorOf(() => assertApprovalRequestLive(T0 + 60_001, () => T0), 'INVALID_INPUT');
    errorOf(() => assertApprovalRequestLive(Number.NaN, () => T0), 'INVALID_INPUT');
    errorOf(() => assertApprovalRequestLive(T0, () => Number.NaN), 'INVALID_INPUT');
  });
});
