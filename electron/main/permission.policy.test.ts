import { describe, expect, it } from 'vitest';
import { permissionDecision } from './permission.policy.js';

const APP = 'app://coffer/index.html';

describe('permissionDecision', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'pointerLock',
    'fullscreen',
    'openExternal',
    'display-capture',
    'clipboard-read',
    'usb',
    'hid',
    'serial',
    'idle-detection',
    'storage-access',
    'a-permission-electron-adds-next-year',
  ])('denies %s, even to the app itself', (permission) => {
    expect(permissionDecision({ permission, requestingUrl: APP, isMainFrame: true })).toBe(false);
  });

  it('allows writing to the clipboard from the app top frame only', () => {
    const permission = 'clipboard-sanitized-write';
    expect(permissionDecision({ permission, requestingUrl: APP, isMainFrame: true })).toBe(true);
    expect(
      permissionDecision({ permission, requestingUrl: 'app://coffer', isMainFrame: undefined }),
    ).toBe(true);
    expect(permissionDecision({ permission, requestingUrl: APP, isMainFrame: false })).toBe(false);
    expect(
      permissionDecision({ permission, requestingUrl: 'https://example.com/', isMainFrame: true }),
    ).toBe(false);
    expect(permissionDecision({ permission, requestingUrl: undefined, isMainFrame: true })).toBe(
      false,
    );
    expect(permissionDecision({ permission, requestingUrl: '', isMainFrame: true })).toBe(false);
  });
});
