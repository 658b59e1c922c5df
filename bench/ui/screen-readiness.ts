/**
 * What the page reports about the screen it shows, and what the bench makes of it: a
 * screen counts as shown when its heading is visible and nothing in `#main` is still
 * waiting; a first-run, lock or error screen fails the run instead of being timed as
 * if it were the app.
 */

/** Read in the page by `probeScreen` (page-probes.ts). */
export interface ScreenProbe {
  /** Text of the first `h1` in `#main`, or null when there is none. */
  h1: string | null;
  h1Visible: boolean;
  /** `[role=progressbar]` elements in `#main`. */
  busy: number;
  /** Text of the `[role=alert]` elements in `#main` (error messages). */
  alerts: string[];
  /** Whether the app's navigation (`nav[aria-label=Main]`) is there: no first run, no lock. */
  nav: boolean;
}

export type ScreenState =
  { kind: 'waiting' } | { kind: 'shown'; screen: string } | { kind: 'failed'; reason: string };

export function isScreenProbe(value: unknown): value is ScreenProbe {
  if (typeof value !== 'object' || value === null) return false;
  const probe = value as Record<string, unknown>;
  return (
    (probe['h1'] === null || typeof probe['h1'] === 'string') &&
    typeof probe['h1Visible'] === 'boolean' &&
    typeof probe['busy'] === 'number' &&
    Array.isArray(probe['alerts']) &&
    probe['alerts'].every((text) => typeof text === 'string') &&
    typeof probe['nav'] === 'boolean'
  );
}

export function screenState(probe: unknown): ScreenState {
  if (!isScreenProbe(probe)) {
    return { kind: 'failed', reason: 'the page sent back something that is not a screen probe' };
  }
  if (probe.alerts.length > 0) {
    return { kind: 'failed', reason: `the screen shows an error: ${probe.alerts.join(' / ')}` };
  }
  const heading = probe.h1?.replace(/\s+/g, ' ').trim() ?? '';
  if (!probe.h1Visible || heading === '' || probe.busy > 0) return { kind: 'waiting' };
  if (!probe.nav) {
    return {
      kind: 'failed',
      reason: `"${heading}" is shown without the app's navigation: the vault is not open or the app is locked`,
    };
  }
  return { kind: 'shown', screen: heading };
}
