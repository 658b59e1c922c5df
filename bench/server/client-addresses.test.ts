import { isIPv4 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ADDRESS_POOLS, clientAddress, clientAddresses } from './client-addresses.js';

describe('client addresses', () => {
  it('are private IPv4 addresses, one /24 per pool', () => {
    expect(clientAddress(ADDRESS_POOLS.throughput, 0)).toBe('10.77.2.1');
    expect(clientAddress(ADDRESS_POOLS.probe, 249)).toBe('10.77.5.250');
    expect(clientAddress(ADDRESS_POOLS.probe, 250)).toBe('10.77.5.1');
    for (const address of clientAddresses(ADDRESS_POOLS.loadLogins, 250)) {
      expect(isIPv4(address)).toBe(true);
    }
  });

  it('a pool hands out distinct addresses', () => {
    expect(new Set(clientAddresses(1, 64)).size).toBe(64);
  });

  it('pools never share an address', () => {
    const pools = Object.values(ADDRESS_POOLS);
    expect(new Set(pools).size).toBe(pools.length);
  });

  it('refuses bad pools and indexes', () => {
    expect(() => clientAddress(256, 0)).toThrow(RangeError);
    expect(() => clientAddress(1, -1)).toThrow(RangeError);
    expect(() => clientAddress(1, 1.5)).toThrow(RangeError);
    expect(() => clientAddresses(1, 251)).toThrow(RangeError);
  });
});
