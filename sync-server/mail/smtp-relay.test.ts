import { rootCertificates } from 'node:tls';

import { describe, expect, it } from 'vitest';

import { isLoopbackHost, planRelay, smtpTransportOptions } from './smtp-relay.js';

const hostOf = (url: string): string => new URL(url).hostname;

describe('isLoopbackHost (judged on the URL, never resolved)', () => {
  it.each([
    'smtp://localhost:25',
    'smtp://LOCALHOST:25',
    'smtp://127.0.0.1:2525',
    'smtp://127.0.0.2',
    'smtp://127.255.255.254:25',
    'smtp://[::1]:25',
  ])('%s is loopback', (url) => {
    expect(isLoopbackHost(hostOf(url))).toBe(true);
  });

  it.each([
    'smtp://mail.example.com:587',
    'smtp://localhost.example.com',
    'smtp://localhost.',
    'smtp://127.0.0.1.nip.io',
    'smtp://my-localhost',
    'smtp://10.0.0.1',
    'smtp://128.0.0.1',
    'smtp://126.255.255.255',
    'smtp://0.0.0.0',
    'smtp://[::]',
    'smtp://[::2]',
    'smtp://[::ffff:127.0.0.1]',
    'smtp://[fe80::1]',
    'smtp://192.0.2.2',
    // Shorthand spellings of 127.0.0.1 are not dotted quads: they count as remote, which
    // only means TLS is required (the safe side).
    'smtp://127.1:25',
    'smtp://2130706433:25',
    'smtp://0x7f000001:25',
  ])('%s is not loopback', (url) => {
    expect(isLoopbackHost(hostOf(url))).toBe(false);
  });
});

describe('planRelay', () => {
  it('requires STARTTLS off loopback, TLS from the start for smtps, allows clear on loopback', () => {
    expect(planRelay('smtp://u:p@mail.example.com:587')).toEqual({
      host: 'mail.example.com',
      port: 587,
      mode: 'starttls-required',
      label: 'mail.example.com:587',
    });
    expect(planRelay('smtps://u:p@mail.example.com')).toEqual({
      host: 'mail.example.com',
      port: undefined,
      mode: 'smtps',
      label: 'mail.example.com:465',
    });
    expect(planRelay('smtp://127.0.0.1:2525')).toMatchObject({ mode: 'loopback' });
    expect(planRelay('smtp://[::1]:25')).toMatchObject({ host: '::1', mode: 'loopback' });
    expect(planRelay('smtps://localhost')).toMatchObject({ mode: 'smtps' });
  });

  it('labels a relay by host and port only, never with its credentials', () => {
    const plan = planRelay('smtp://relay-user:relay%40pass@mail.example.com:2525');
    expect(plan.label).toBe('mail.example.com:2525');
  });
});

describe('smtpTransportOptions', () => {
  it('never lets nodemailer skip or downgrade TLS, and always verifies certificates', () => {
    const remote = smtpTransportOptions('smtp://relay-user:p%40ss@mail.example.com:587', {
      ca: undefined,
    });
    expect(remote).toMatchObject({
      host: 'mail.example.com',
      port: 587,
      secure: false,
      requireTLS: true,
      ignoreTLS: false,
      opportunisticTLS: false,
      auth: { user: 'relay-user', pass: 'p@ss' },
      tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    });
    expect(remote.tls).not.toHaveProperty('ca');
    expect(remote).not.toHaveProperty('url');

    const smtps = smtpTransportOptions('smtps://mail.example.com', { ca: undefined });
    expect(smtps).toMatchObject({ secure: true, tls: { rejectUnauthorized: true } });
    expect(smtps).not.toHaveProperty('auth');

    const loopback = smtpTransportOptions('smtp://127.0.0.1:2525', { ca: undefined });
    expect(loopback).toMatchObject({
      secure: false,
      requireTLS: false,
      ignoreTLS: false,
      opportunisticTLS: false,
      tls: { rejectUnauthorized: true },
    });
  });

  it('passes the trusted CAs (built-in list plus --trust-ca) to the TLS layer', () => {
    const ca = [
      ...rootCertificates,
      '-----BEGIN CERTIFICATE-----\nprivate\n-----END CERTIFICATE-----',
    ];
    expect(smtpTransportOptions('smtp://mail.example.com', { ca }).tls?.ca).toBe(ca);
  });
});
