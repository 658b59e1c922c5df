import { describe, expect, it } from 'vitest';
import { loadWindowsHello, WINDOWS_HELLO_MODULE } from './windows-hello.loader.js';

/** passport-desktop's documented surface: Passport.available/requestVerification, VerificationResult. */
const VerificationResult = { Verified: 0, DeviceNotPresent: 1, Canceled: 6 };

function passportModule(result: number, available = true) {
  const messages: string[] = [];
  return {
    messages,
    module: {
      Passport: {
        available: () => available,
        requestVerification: (message: string) => {
          messages.push(message);
          return Promise.resolve(result);
        },
      },
      VerificationResult,
    },
  };
}

describe('the Windows Hello loader', () => {
  it('imports passport-desktop by name and verifies only on VerificationResult.Verified', async () => {
    const names: string[] = [];
    const verified = passportModule(VerificationResult.Verified);
    const hello = await loadWindowsHello((name) => {
      names.push(name);
      return Promise.resolve(verified.module);
    });
    expect(names).toEqual([WINDOWS_HELLO_MODULE]);
    expect(await hello?.available()).toBe(true);
    expect(await hello?.verify('unlock your vault')).toBe(true);
    expect(verified.messages).toEqual(['unlock your vault']);

    for (const result of [VerificationResult.Canceled, VerificationResult.DeviceNotPresent]) {
      const refused = await loadWindowsHello(() =>
        Promise.resolve({ default: passportModule(result).module }),
      );
      expect(await refused?.verify('unlock your vault')).toBe(false);
    }
  });

  it('is null when the module is missing, fails to load, or has another shape', async () => {
    expect(
      await loadWindowsHello(() => Promise.reject(new Error('Cannot find module'))),
    ).toBeNull();
    for (const shape of [
      null,
      {},
      { Passport: {}, VerificationResult },
      { Passport: passportModule(0).module.Passport, VerificationResult: {} },
      { default: 'passport' },
      // What the package's own stand-ins look like where the native part did not load.
      {
        Passport: {
          available: () => false,
          requestVerification: () => Promise.reject(new Error('not loaded')),
        },
        VerificationResult: {
          get Verified(): number {
            throw new Error('passport-desktop: native module not loaded');
          },
        },
      },
    ]) {
      expect(await loadWindowsHello(() => Promise.resolve(shape))).toBeNull();
    }
  });

  it('is null on Linux, with or without the optional module installed', async () => {
    expect(await loadWindowsHello()).toBeNull();
  });
});
