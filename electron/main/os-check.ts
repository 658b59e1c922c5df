/**
 * The OS's own check for the app lock, per platform, behind one interface: Touch ID through
 * Electron's `systemPreferences` on macOS, Windows Hello through an optional native module
 * on Windows (windows-hello.loader.ts), none elsewhere. Electron is injected so the
 * decisions run under Vitest without it.
 */
import type { OsCheckKind } from '../../shared/app/os-check.js';

/** The part of Electron's `systemPreferences` used here (macOS only). */
export interface SystemPreferencesLike {
  canPromptTouchID(): boolean;
  /** Resolves when the user passed; rejects when they cancelled or failed. */
  promptTouchID(reason: string): Promise<void>;
}

/** Windows Hello as the loader hands it over. */
export interface WindowsHelloLike {
  available(): Promise<boolean>;
  /** True only when Windows reports the user verified. */
  verify(message: string): Promise<boolean>;
}

export interface OsCheck {
  readonly kind: OsCheckKind;
  /** Whether the check can be shown now (hardware present, set up, allowed by policy). */
  available(): Promise<boolean>;
  /** Shows the prompt: true only when the OS confirmed the user; never rejects. */
  verify(reason: string): Promise<boolean>;
}

export interface OsCheckDeps {
  systemPreferences: SystemPreferencesLike;
  /** Loads Windows Hello; null when the module is missing or does not load. */
  loadWindowsHello(): Promise<WindowsHelloLike | null>;
}

export function osCheckFor(platform: NodeJS.Platform, deps: OsCheckDeps): OsCheck | null {
  if (platform === 'darwin') return touchIdCheck(deps.systemPreferences);
  if (platform === 'win32') return windowsHelloCheck(() => deps.loadWindowsHello());
  return null;
}

function touchIdCheck(preferences: SystemPreferencesLike): OsCheck {
  return {
    kind: 'touch-id',
    available: () => Promise.resolve(safely(() => preferences.canPromptTouchID() === true)),
    verify: async (reason) => {
      try {
        await preferences.promptTouchID(reason);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function windowsHelloCheck(load: () => Promise<WindowsHelloLike | null>): OsCheck {
  let loading: Promise<WindowsHelloLike | null> | null = null;
  const hello = () => (loading ??= load().catch(() => null));
  return {
    kind: 'windows-hello',
    available: async () => {
      const module = await hello();
      return module !== null && (await module.available().catch(() => false)) === true;
    },
    verify: async (reason) => {
      const module = await hello();
      if (module === null) return false;
      return (await module.verify(reason).catch(() => false)) === true;
    },
  };
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
