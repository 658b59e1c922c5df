import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';

export async function openApiRoutes(app: FastifyInstance, _deps: ServerDeps): Promise<void> {
  app.get(
    '/v1/openapi.json',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'This API as an OpenAPI 3 document',
        tags: ['meta'],
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async () => app.swagger(),
  );
}
