import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger } from './logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('censors credentials wherever they are logged by mistake', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.info(
      { req: { headers: { authorization: 'Bearer tok-123', cookie: 'sid=abc' } } },
      'one',
    );
    logger.info({ headers: { authorization: 'Bearer tok-456' } }, 'two');
    logger.info({ password: 'hunter2', user: { token: 'tok-789', email: 'a@b.test' } }, 'three');
    logger.info({ body: { code: '123456' }, challengeToken: 'ch-1', secret: 'JBSW' }, 'four');
    const text = out.text();
    for (const secret of [
      'tok-123',
      'sid=abc',
      'tok-456',
      'hunter2',
      'tok-789',
      'a@b.test',
      '123456',
      'ch-1',
      'JBSW',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text.trim().split('\n')).toHaveLength(4);
  });
});
