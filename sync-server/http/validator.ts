import { AjvCompiler } from '@fastify/ajv-compiler';
import type { BuildCompilerFromPool } from '@fastify/ajv-compiler';

interface RouteSchemaDefinition {
  schema: unknown;
  httpPart?: string;
}
type Compile = (definition: RouteSchemaDefinition) => unknown;

/**
 * Two Ajv configurations. Bodies are validated strictly: no type coercion (`"123"` is not a
 * number, `123` is not a string) and no silent removal of unknown properties, so a schema
 * with `additionalProperties: false` rejects them. Path parameters, query strings and
 * headers always arrive as text, so there numbers are coerced.
 * Neither checks each route schema against Ajv's meta-schema as it compiles: compiling that
 * meta-schema twice was a third of the server's start, and the schemas are fixed in the
 * code, so sync-server/test/route-schemas.test.ts makes that check once instead.
 */
export const buildValidator: BuildCompilerFromPool = (externalSchemas, options) => {
  const pool = AjvCompiler();
  const shared = {
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    validateSchema: false,
  } as const;
  const plugins = options?.plugins ?? [];
  // Fastify calls the compiler with the route definition, not the bare schema the
  // published type claims.
  const strict = pool(externalSchemas, {
    plugins,
    customOptions: { ...options?.customOptions, ...shared, coerceTypes: false },
  }) as unknown as Compile;
  const lenient = pool(externalSchemas, {
    plugins,
    customOptions: { ...options?.customOptions, ...shared, coerceTypes: 'array' },
  }) as unknown as Compile;
  const compile: Compile = (definition) =>
    definition.httpPart === 'body' ? strict(definition) : lenient(definition);
  return compile as unknown as ReturnType<BuildCompilerFromPool>;
};
