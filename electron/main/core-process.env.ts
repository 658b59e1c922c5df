/**
 * The environment the core's utility process runs with: main's own, plus, on Linux, glibc's
 * allocator told to back its large allocations with transparent huge pages
 * (`glibc.malloc.hugetlb=1`, glibc 2.35 and later; an older glibc ignores a tunable it does
 * not know, and another C library never reads it).
 *
 * Why: the core fills a SQLCipher page cache of up to 64 MiB and inflates snapshot chunks of
 * several MiB, and every fresh 4 KiB page is a fault the kernel must zero and map. With huge
 * pages a fresh device's first sync from a 100k-transaction snapshot took about a sixth less
 * (bench/README.md, the sync section), its peak memory unchanged. A tunable the user set
 * stays, and a choice of theirs for this one wins.
 */
const HUGE_PAGES = 'glibc.malloc.hugetlb';

export function coreProcessEnv(
  base: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
): Record<string, string | undefined> {
  if (platform !== 'linux') return { ...base };
  const given = base['GLIBC_TUNABLES'] ?? '';
  const tunables = given.split(':').filter((tunable) => tunable !== '');
  if (tunables.some((tunable) => tunable.split('=')[0] === HUGE_PAGES)) return { ...base };
  return { ...base, GLIBC_TUNABLES: [...tunables, `${HUGE_PAGES}=1`].join(':') };
}
