import { describe, expect, it } from 'vitest';
import { crossInstanceShare, pushInstance, socketInstance } from './instance-split.js';

describe('socketInstance', () => {
  it('puts every device on the one instance when there is one', () => {
    for (let w = 0; w < 5; w++) {
      for (let d = 0; d < 4; d++) expect(socketInstance(w, d, 1)).toBe(0);
    }
  });

  it('spreads each workspace’s sockets over both of two instances, half and half', () => {
    for (let w = 0; w < 7; w++) {
      const on = Array.from({ length: 10 }, (_unused, d) => socketInstance(w, d, 2));
      expect(on.filter((i) => i === 0)).toHaveLength(5);
      expect(on.filter((i) => i === 1)).toHaveLength(5);
    }
  });

  it('refuses an instance count that is not a whole number of at least one', () => {
    expect(() => socketInstance(0, 0, 0)).toThrow(RangeError);
    expect(() => socketInstance(0, 0, 1.5)).toThrow(RangeError);
  });
});

describe('pushInstance', () => {
  it('alternates a workspace’s successive pushes between two instances', () => {
    const workspaces = 4;
    for (let w = 0; w < workspaces; w++) {
      const taken = [0, 1, 2, 3].map((k) => pushInstance(w + k * workspaces, workspaces, 2));
      expect(new Set([taken[0], taken[2]]).size).toBe(1);
      expect(taken[1]).not.toBe(taken[0]);
      expect(taken[3]).toBe(taken[1]);
    }
  });

  it('sends as many pushes to each instance, even with an even number of workspaces', () => {
    const counts = [0, 0];
    for (let i = 0; i < 400; i++) counts[pushInstance(i, 100, 2)]!++;
    expect(counts).toEqual([200, 200]);
  });

  it('sends everything to the one instance when there is one', () => {
    for (let i = 0; i < 20; i++) expect(pushInstance(i, 3, 1)).toBe(0);
  });

  it('refuses no workspaces', () => {
    expect(() => pushInstance(0, 0, 2)).toThrow(RangeError);
  });
});

describe('crossInstanceShare', () => {
  it('is zero on one instance', () => {
    expect(
      crossInstanceShare({
        pushes: 50,
        workspaces: 10,
        devicesPerWorkspace: 10,
        instances: 1,
        writer: 0,
      }),
    ).toBe(0);
  });

  it('counts the listening sockets on the other instance of two, the writer left out', () => {
    // 1 workspace of 3 devices: sockets on 0, 1, 0; the writer is device 0.
    // Push 0 lands on 0: device 1 crosses, device 2 does not. Push 1 lands on 1: device 2 crosses.
    expect(
      crossInstanceShare({
        pushes: 2,
        workspaces: 1,
        devicesPerWorkspace: 3,
        instances: 2,
        writer: 0,
      }),
    ).toBe(0.5);
  });
});
