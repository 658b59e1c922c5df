/**
 * The OS's own check (Touch ID, Windows Hello) as screens use it. Only the desktop app's
 * preload puts one on `window.coffer`; in web mode there is none, and the hooks say so.
 * A screen can ask main to show the check; whether the lock opens is up to main and the core.
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../shared/api/api-error.js';
import {
  NO_OS_CHECK,
  type DesktopCofferBridge,
  type OsCheckBridge,
  type OsCheckKind,
} from '../../../shared/app/os-check.js';

export function osCheck(): OsCheckBridge {
  const bridge = window.coffer as Partial<DesktopCofferBridge> | undefined;
  return bridge?.osCheck ?? NO_OS_CHECK;
}

/** The check this device offers, or null (web mode, Linux, no sensor set up). */
export function useOsCheckKind(): OsCheckKind | null {
  const availability = useQuery({
    queryKey: ['osCheck', 'availability'],
    queryFn: () => osCheck().availability(),
  });
  return availability.data?.kind ?? null;
}

/** Shows the OS prompt; rejects with ApiError when the lock stays on. */
export async function unlockWithOsCheck(): Promise<null> {
  const result = await osCheck().unlock();
  if (!result.ok) throw new ApiError(result.error);
  return null;
}

export const OS_CHECK_NAMES: Readonly<Record<OsCheckKind, string>> = {
  'touch-id': 'Touch ID',
  'windows-hello': 'Windows Hello',
};
