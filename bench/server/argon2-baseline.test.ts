import { describe, expect, it } from 'vitest';
import {
  PRODUCTION_ARGON2,
  describeParams,
  parsePhcParams,
  sameParams,
} from './argon2-baseline.js';

describe('parsePhcParams', () => {
  it('reads the algorithm and costs of a PHC string in any parameter order', () => {
    const params = parsePhcParams('$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g');
    expect(params).toEqual(PRODUCTION_ARGON2);
    expect(parsePhcParams('$argon2id$v=19$p=1,m=65536,t=3$c2FsdA$aGFzaA')).toEqual(
      PRODUCTION_ARGON2,
    );
  });

  it('tells weaker parameters apart', () => {
    const weak = parsePhcParams('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA');
    expect(sameParams(weak, PRODUCTION_ARGON2)).toBe(false);
    expect(describeParams(weak)).toBe('argon2id m=19 MiB t=2 p=1');
    expect(describeParams(PRODUCTION_ARGON2)).toBe('argon2id m=64 MiB t=3 p=1');
  });

  it('refuses what is not an Argon2 PHC string', () => {
    expect(() => parsePhcParams('$2b$12$abcdefghijklmnopqrstuv')).toThrow();
    expect(() => parsePhcParams('$argon2id$v=19$m=65536,t=3$c2FsdA$aGFzaA')).toThrow();
  });
});
