/**
 * `BENCH_SECTIONS=vault,import,storage,server,scale,sync,ui` picks the sections `npm run bench` runs (in the order of
 * `ALL_SECTIONS`, whatever the order given); unset or empty runs them all.
 */
export const ALL_SECTIONS = [
  'vault',
  'import',
  'storage',
  'server',
  'scale',
  'sync',
  'ui',
] as const;
export type SectionName = (typeof ALL_SECTIONS)[number];

export function parseSections(value: string | undefined): SectionName[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.length === 0) return [...ALL_SECTIONS];
  const unknown = names.filter((name) => !(ALL_SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_SECTIONS: unknown section ${unknown.join(', ')} (known: ${ALL_SECTIONS.join(', ')})`,
    );
  }
  return ALL_SECTIONS.filter((name) => names.includes(name));
}
