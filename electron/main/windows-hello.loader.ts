/**
 * Windows Hello through `passport-desktop` (MIT, N-API, prebuilt for win32 x64 and ia32),
 * an optional dependency loaded only on Windows, only when first needed. Its
 * `Passport.requestVerification` calls WinRT's UserConsentVerifier. The module's shape is
 * checked before use: a missing module, a failed native load or an unexpected shape means
 * no Windows Hello, and the passcode alone unlocks.
 */
import type { WindowsHelloLike } from './os-check.js';

export const WINDOWS_HELLO_MODULE = 'passport-desktop';

interface PassportModule {
  Passport: {
    available(): boolean;
    requestVerification(message: string): Promise<number>;
  };
  VerificationResult: { Verified: number };
}

/** `import()` by a name held in a variable, so bundlers and tsc leave it to run time. */
const importByName = (name: string): Promise<unknown> => import(name);

export async function loadWindowsHello(
  importModule: (name: string) => Promise<unknown> = importByName,
): Promise<WindowsHelloLike | null> {
  let loaded: unknown;
  try {
    loaded = await importModule(WINDOWS_HELLO_MODULE);
  } catch {
    return null;
  }
  let module: PassportModule | null;
  try {
    module = passportModule(loaded);
  } catch {
    // Where its native part cannot load, the package's stand-ins throw on first touch.
    return null;
  }
  if (module === null) return null;
  const verified = module.VerificationResult.Verified;
  return {
    available: async () => module.Passport.available() === true,
    verify: async (message) => (await module.Passport.requestVerification(message)) === verified,
  };
}

/** The module (or its CommonJS default export) when it has the shape used above. */
function passportModule(loaded: unknown): PassportModule | null {
  for (const candidate of [loaded, (loaded as { default?: unknown } | null)?.default]) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const { Passport, VerificationResult } = candidate as Partial<Record<string, unknown>>;
    const passport = Passport as Partial<PassportModule['Passport']> | undefined;
    const results = VerificationResult as Partial<PassportModule['VerificationResult']> | undefined;
    if (
      typeof passport?.available === 'function' &&
      typeof passport.requestVerification === 'function' &&
      typeof results?.Verified === 'number'
    ) {
      return candidate as PassportModule;
    }
  }
  return null;
}
