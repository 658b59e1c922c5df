import { describe, expect, it } from 'vitest';

import { mapError } from '../http/error-mapping.js';
import { isStorageUnavailable } from './storage-unavailable.js';

const withCode = (code: string, message = 'failed'): Error =>
  Object.assign(new Error(message), { code });

describe('isStorageUnavailable', () => {
  it('recognises a refused or cut connection and a database shutting down', () => {
    for (const error of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P03', 'the database system is starting up'),
      withCode('08006'),
      new Error('Connection terminated unexpectedly'),
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    ]) {
      expect(isStorageUnavailable(error), String(error)).toBe(true);
    }
  });

  it('does not excuse errors of the request or the server', () => {
    for (const error of [
      withCode('23505', 'duplicate key value violates unique constraint'),
      withCode('40001'),
      withCode('42P01', 'relation does not exist'),
      withCode('FST_ERR_CTP_INVALID_JSON_BODY'),
      new Error('Connection string is wrong'),
      new AggregateError([withCode('ECONNREFUSED'), new Error('other')]),
      new AggregateError([]),
      'ECONNREFUSED',
      null,
    ]) {
      expect(isStorageUnavailable(error), String(error)).toBe(false);
    }
  });

  it('is answered 503 STORAGE_UNAVAILABLE with Retry-After, never 500', () => {
    expect(mapError(withCode('ECONNREFUSED'))).toEqual({
      statusCode: 503,
      code: 'STORAGE_UNAVAILABLE',
      message: 'The database is unavailable; try again shortly.',
      headers: { 'retry-after': '1' },
    });
    expect(mapError(new Error('anything else')).statusCode).toBe(500);
  });
});
