import { describe, expect, it } from 'vitest';
import { isTrustedSender, type FrameLike } from './ipc-sender.policy.js';

function frame(url: string, parent: FrameLike | null = null, detached = false): FrameLike {
  return { url, parent, detached };
}

describe('isTrustedSender', () => {
  it("accepts the window's own top frame on the app origin", () => {
    const top = frame('app://coffer/index.html#/ledger');
    expect(isTrustedSender(top, top)).toBe(true);
  });

  it('refuses a null or missing sender frame (the frame navigated away or was destroyed)', () => {
    const top = frame('app://coffer/index.html');
    expect(isTrustedSender(null, top)).toBe(false);
    expect(isTrustedSender(undefined, top)).toBe(false);
    expect(isTrustedSender(top, null)).toBe(false);
  });

  it('refuses a subframe, even on the app origin', () => {
    const top = frame('app://coffer/index.html');
    const child = frame('app://coffer/index.html', top);
    expect(isTrustedSender(child, top)).toBe(false);
    // A subframe offered as if it were the window's top frame is still a subframe.
    expect(isTrustedSender(child, child)).toBe(false);
  });

  it.each([
    'https://example.com/',
    'file:///tmp/index.html',
    'app://evil/index.html',
    'app://coffer.evil/index.html',
    'app://x@coffer/index.html',
    'about:blank',
    'data:text/html,hi',
    '',
  ])('refuses a top frame on another origin: %s', (url) => {
    const top = frame(url);
    expect(isTrustedSender(top, top)).toBe(false);
  });

  it("refuses another window's top frame and a detached frame", () => {
    const ours = frame('app://coffer/index.html');
    const theirs = frame('app://coffer/index.html');
    expect(isTrustedSender(theirs, ours)).toBe(false);
    const gone = frame('app://coffer/index.html', null, true);
    expect(isTrustedSender(gone, gone)).toBe(false);
  });
});
