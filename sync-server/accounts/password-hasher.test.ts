import { describe, expect, it } from 'vitest';

import { PasswordHasher, parsePhc } from './password-hasher.js';

const WEAK = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('PasswordHasher', () => {
  it('hashes with Argon2id and the default m=64MiB, t=3, p=1 in the PHC string', async () => {
    const hash = await new PasswordHasher().hash('correct horse battery staple');
    expect(parsePhc(hash)).toEqual({
      algorithm: 'argon2id',
      version: 19,
      memoryCost: 65536,
      timeCost: 3,
      parallelism: 1,
    });
  });

  it('verifies the right password only, and a malformed hash as false', async () => {
    const hasher = new PasswordHasher(WEAK);
    const hash = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
    expect(await hasher.verifyDummy('anything at all')).toBe(false);
  });

  it('asks for a rehash when the stored parameters are below the current ones only', async () => {
    const weakHash = await new PasswordHasher(WEAK).hash('pw');
    const strong = new PasswordHasher({ memoryCost: 2048, timeCost: 2, parallelism: 1 });
    expect(strong.needsRehash(weakHash)).toBe(true);
    const strongHash = await strong.hash('pw');
    expect(strong.needsRehash(strongHash)).toBe(false);
    expect(new PasswordHasher(WEAK).needsRehash(strongHash)).toBe(false);
    expect(strong.needsRehash('$2b$10$bcrypt-looking')).toBe(true);
  });
});
