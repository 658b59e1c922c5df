import { describe, expect, it } from 'vitest';
import { osCheckFor, type SystemPreferencesLike, type WindowsHelloLike } from './os-check.js';

/** Electron's systemPreferences as far as Touch ID goes, scripted. */
function touchId(options: { canPrompt: boolean | 'throws'; outcome?: 'pass' | 'cancel' }) {
  const prompts: string[] = [];
  const preferences: SystemPreferencesLike = {
    canPromptTouchID: () => {
      if (options.canPrompt === 'throws') throw new Error('not on this platform');
      return options.canPrompt;
    },
    promptTouchID: (reason) => {
      prompts.push(reason);
      return options.outcome === 'pass'
        ? Promise.resolve()
        : Promise.reject(new Error('User cancelled'));
    },
  };
  return { preferences, prompts };
}

function hello(available: boolean, verified: boolean | 'throws'): WindowsHelloLike {
  return {
    available: () => Promise.resolve(available),
    verify: () =>
      verified === 'throws' ? Promise.reject(new Error('busy')) : Promise.resolve(verified),
  };
}

const noHello = () => Promise.resolve(null);

describe('the OS check per platform', () => {
  it('macOS offers Touch ID when Electron can prompt for it, and only then', async () => {
    const can = osCheckFor('darwin', {
      systemPreferences: touchId({ canPrompt: true }).preferences,
      loadWindowsHello: noHello,
    });
    expect(can?.kind).toBe('touch-id');
    expect(await can?.available()).toBe(true);
    for (const canPrompt of [false, 'throws'] as const) {
      const cannot = osCheckFor('darwin', {
        systemPreferences: touchId({ canPrompt }).preferences,
        loadWindowsHello: noHello,
      });
      expect(await cannot?.available()).toBe(false);
    }
  });

  it('Touch ID verifies only when the prompt resolves; a cancel or failure is false', async () => {
    const passing = touchId({ canPrompt: true, outcome: 'pass' });
    const check = osCheckFor('darwin', {
      systemPreferences: passing.preferences,
      loadWindowsHello: noHello,
    });
    expect(await check?.verify('unlock your vault')).toBe(true);
    expect(passing.prompts).toEqual(['unlock your vault']);

    const cancelled = osCheckFor('darwin', {
      systemPreferences: touchId({ canPrompt: true, outcome: 'cancel' }).preferences,
      loadWindowsHello: noHello,
    });
    expect(await cancelled?.verify('unlock your vault')).toBe(false);
  });

  it('Windows offers Windows Hello when the module loads and reports it available', async () => {
    const { preferences } = touchId({ canPrompt: true, outcome: 'pass' });
    const ready = osCheckFor('win32', {
      systemPreferences: preferences,
      loadWindowsHello: () => Promise.resolve(hello(true, true)),
    });
    expect(ready?.kind).toBe('windows-hello');
    expect(await ready?.available()).toBe(true);
    expect(await ready?.verify('unlock your vault')).toBe(true);

    for (const loadWindowsHello of [
      noHello,
      () => Promise.reject(new Error('native module failed to load')),
      () => Promise.resolve(hello(false, true)),
    ]) {
      const missing = osCheckFor('win32', { systemPreferences: preferences, loadWindowsHello });
      expect(await missing?.available()).toBe(false);
    }
    for (const outcome of [false, 'throws'] as const) {
      const failing = osCheckFor('win32', {
        systemPreferences: preferences,
        loadWindowsHello: () => Promise.resolve(hello(true, outcome)),
      });
      expect(await failing?.verify('unlock your vault')).toBe(false);
    }
  });

  it('Linux and every other platform have none, whatever Electron would say', () => {
    const { preferences } = touchId({ canPrompt: true, outcome: 'pass' });
    for (const platform of ['linux', 'freebsd', 'openbsd', 'sunos', 'aix'] as const) {
      expect(
        osCheckFor(platform, {
          systemPreferences: preferences,
          loadWindowsHello: () => Promise.resolve(hello(true, true)),
        }),
      ).toBeNull();
    }
  });
});
