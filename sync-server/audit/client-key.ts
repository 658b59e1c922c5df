import { isIPv6 } from 'node:net';

const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The key limits count a client under: an IPv4 address as is (also when IPv4-mapped), an
 * IPv6 address by its /64 prefix — one subscriber usually holds a whole /64, so counting
 * single addresses would let them rotate past every limit.
 */
export function clientKeyOf(ip: string): string {
  const mapped = V4_MAPPED.exec(ip);
  if (mapped !== null) return mapped[1] ?? ip;
  const address = ip.split('%')[0] ?? ip;
  if (!isIPv6(address)) return ip;
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 address (`::1.2.3.4`) takes two groups.
  const tailSize = tailGroups.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailSize;
  const groups = [...headGroups, ...Array<string>(Math.max(0, zeros)).fill('0'), ...tailGroups];
  const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
