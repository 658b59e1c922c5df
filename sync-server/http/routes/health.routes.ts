import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';
import { SERVER_VERSION } from '../../version.js';

export async function healthRoutes(app: FastifyInstance, _deps: ServerDeps): Promise<void> {
  app.get(
    '/v1/health',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Liveness check',
        tags: ['meta'],
        response: {
          200: {
            type: 'object',
            required: ['status', 'version'],
            additionalProperties: false,
            properties: {
              status: { type: 'string', enum: ['ok'] },
              version: { type: 'string' },
            },
          },
        },
      },
    },
    async () => ({ status: 'ok' as const, version: SERVER_VERSION }),
  );
}
