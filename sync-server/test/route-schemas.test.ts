import { AjvCompiler } from '@fastify/ajv-compiler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer } from './support/start-test-server.js';
import type { TestServer } from './support/start-test-server.js';

const PARTS = ['body', 'querystring', 'params', 'headers'] as const;

type Compile = (definition: { schema: unknown; httpPart: string }) => unknown;

/**
 * The server compiles its route schemas without checking each against Ajv's meta-schema
 * (sync-server/http/validator.ts: that check cost a third of every start). The schemas are
 * fixed in the code, so the check is made here instead, once, on every route's every part.
 */
describe('route schemas', () => {
  let server: TestServer;
  let compile: Compile;

  beforeAll(async () => {
    server = await startTestServer();
    // No schema is shared between routes (none is added with addSchema): each stands alone.
    compile = AjvCompiler()({}, { customOptions: { validateSchema: true } });
  });
  afterAll(() => server.close());

  it('a schema that breaks the meta-schema fails to compile here', () => {
    expect(() => compile({ schema: { type: 'text' }, httpPart: 'body' })).toThrow(/schema/);
  });

  it("every route's request schemas are valid JSON Schema", () => {
    let checked = 0;
    for (const route of server.routes) {
      for (const part of PARTS) {
        const schema = route.schema?.[part];
        if (schema === undefined) continue;
        expect(
          () => compile({ schema, httpPart: part }),
          `${String(route.method)} ${route.url} ${part}`,
        ).not.toThrow();
        checked += 1;
      }
    }
    // Most routes take a body, parameters or a query: a table that came back empty proves nothing.
    expect(checked).toBeGreaterThan(40);
  });
});
