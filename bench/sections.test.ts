import { describe, expect, it } from 'vitest';
import { ALL_SECTIONS, parseSections } from './sections.js';

describe('parseSections', () => {
  it('runs every section when unset or empty', () => {
    expect(parseSections(undefined)).toEqual([...ALL_SECTIONS]);
    expect(parseSections('')).toEqual([...ALL_SECTIONS]);
    expect(parseSections(' , ')).toEqual([...ALL_SECTIONS]);
  });

  it('picks the named sections, in the fixed order, ignoring case, spaces and repeats', () => {
    expect(parseSections('server')).toEqual(['server']);
    expect(parseSections('vault')).toEqual(['vault']);
    expect(parseSections(' Server , vault,server ')).toEqual(['vault', 'server']);
    expect(parseSections('ui,import')).toEqual(['import', 'ui']);
  });

  it('refuses an unknown section by name', () => {
    expect(() => parseSections('vault,network')).toThrow(/unknown section network/);
  });
});
