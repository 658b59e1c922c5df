import { describe, expect, it } from 'vitest';
import { screenState, type ScreenProbe } from './screen-readiness.js';

const SHOWN: ScreenProbe = { h1: 'Dashboard', h1Visible: true, busy: 0, alerts: [], nav: true };

describe('screenState', () => {
  it('names a screen whose heading is visible and that waits for nothing', () => {
    expect(screenState(SHOWN)).toEqual({ kind: 'shown', screen: 'Dashboard' });
    expect(screenState({ ...SHOWN, h1: '  Cash\n  flow ' })).toEqual({
      kind: 'shown',
      screen: 'Cash flow',
    });
  });

  it('waits while a progress bar is left in #main', () => {
    expect(screenState({ ...SHOWN, busy: 1 })).toEqual({ kind: 'waiting' });
  });

  it('waits while there is no heading, or it is hidden or empty', () => {
    expect(screenState({ ...SHOWN, h1: null, h1Visible: false })).toEqual({ kind: 'waiting' });
    expect(screenState({ ...SHOWN, h1Visible: false })).toEqual({ kind: 'waiting' });
    expect(screenState({ ...SHOWN, h1: ' \n ' })).toEqual({ kind: 'waiting' });
  });

  it('fails on an error message instead of timing it as the screen', () => {
    const state = screenState({ ...SHOWN, alerts: ['Coffer could not start'] });
    expect(state).toEqual({
      kind: 'failed',
      reason: 'the screen shows an error: Coffer could not start',
    });
  });

  it('fails on a screen without the app around it (first run, lock)', () => {
    const state = screenState({ ...SHOWN, h1: 'Welcome to Coffer', nav: false });
    expect(state.kind).toBe('failed');
    expect(state.kind === 'failed' && state.reason).toMatch(/Welcome to Coffer.*not open/);
  });

  it('fails on anything that is not a probe', () => {
    for (const bad of [null, 'Dashboard', { ...SHOWN, busy: '0' }, { ...SHOWN, alerts: [1] }]) {
      expect(screenState(bad).kind).toBe('failed');
    }
  });
});
