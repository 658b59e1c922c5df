import { describe, expect, it } from 'vitest';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { IdGenerator } from './id-generator.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('IdGenerator', () => {
  it('makes UUIDv7 ids carrying the clock time, strictly increasing within one millisecond', () => {
    const ms = Date.UTC(2025, 0, 1);
    const ids = new IdGenerator(() => ms);
    const list = Array.from({ length: 10_000 }, () => ids.next());
    for (const id of list) {
      expect(id).toMatch(UUID_PATTERN);
      expect(id).toMatch(V7);
      expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(ms);
    }
    expect([...list].sort()).toEqual(list);
    expect(new Set(list).size).toBe(list.length);
  });

  it('keeps increasing when the clock steps back, and restarts randomly when it moves on', () => {
    let ms = 2_000_000;
    const ids = new IdGenerator(() => ms);
    const a = ids.next();
    ms -= 1000;
    const b = ids.next();
    ms += 5000;
    const c = ids.next();
    expect(a < b && b < c).toBe(true);
    expect(c).toMatch(V7);
  });
});
