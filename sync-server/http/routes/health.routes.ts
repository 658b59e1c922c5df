import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';
import { EPOCH_ID_META } from '../../storage/change-log.repository.js';
import { SERVER_VERSION } from '../../version.js';

/** How long readiness waits for the database before it answers "unavailable". */
const READY_TIMEOUT_MS = 2_000;

/**
 * Liveness (`/v1/health`: the process answers) apart from readiness (`/v1/health/ready`: it
 * can also reach its database), so a proxy or orchestrator stops sending requests to an
 * instance whose database is gone without restarting a process that would recover.
 */
export async function healthRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/v1/health',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Liveness: the process answers',
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

  app.get(
    '/v1/health/ready',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Readiness: the process answers and its database does',
        tags: ['meta'],
        response: {
          200: readySchema(['ready']),
          503: readySchema(['unavailable']),
        },
      },
    },
    async (_request, reply) => {
      // On PostgreSQL an instance that cannot hear the others' pushes is not ready either:
      // its sync sockets would stay silent.
      const listening = deps.seqAnnouncer.listening !== false;
      if (listening && (await storageAnswers(deps))) {
        return { status: 'ready' as const, version: SERVER_VERSION };
      }
      return reply.code(503).send({ status: 'unavailable', version: SERVER_VERSION });
    },
  );
}

function readySchema(status: string[]): Record<string, unknown> {
  return {
    type: 'object',
    required: ['status', 'version'],
    additionalProperties: false,
    properties: { status: { type: 'string', enum: status }, version: { type: 'string' } },
  };
}

/** One cheap read every backend answers; a hung database counts as down after the timeout. */
async function storageAnswers(deps: ServerDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  try {
    const read = deps.storage.meta.get(EPOCH_ID_META).then(
      () => true,
      () => false,
    );
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
