import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';
import {
  InvoiceNumbersExhaustedError,
  MAX_INVOICE_NUMBER,
} from '../../storage/invoice-number.repository.js';
import { workspaceOf } from '../../workspaces/workspace-access.js';
import { authOf } from '../auth-context.js';
import { conflict } from '../errors.js';
import { writeErrorResponses } from '../schemas.js';
import { idSchema } from './account.schemas.js';
import { workspaceParams } from './workspace.schemas.js';

const numberSchema = { type: 'integer', minimum: 1, maximum: MAX_INVOICE_NUMBER } as const;

const assignmentSchema = {
  type: 'object',
  required: ['invoiceId', 'number'],
  additionalProperties: false,
  properties: { invoiceId: { type: 'string' }, number: numberSchema },
} as const;

interface AssignBody {
  invoiceId: string;
  notBelow?: number;
}

/**
 * The workspace's invoice numbers (docs/architecture.md, Sync): a device issuing an invoice
 * asks here for its number. Pushing invoices is `push_data`, so asking for a number is too
 * (a viewer cannot issue). The server learns only that some invoice id was issued.
 */
export async function invoiceNumberRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.post<{ Params: { id: string }; Body: AssignBody }>(
    '/v1/workspaces/:id/invoice-numbers',
    {
      config: { auth: 'session', workspaceAction: 'push_data' },
      schema: {
        summary: "Give an invoice the workspace's next number (admin, member)",
        description:
          'Binds the next number of the workspace (one past its highest, and at least ' +
          '`notBelow` when given) to `invoiceId` and answers 201. Asking again for the same ' +
          'invoice answers 200 with the number it already has, so a retry leaves no gap. ' +
          '409 INVOICE_NUMBERS_EXHAUSTED past the last number.',
        tags: ['sync'],
        params: workspaceParams,
        body: {
          type: 'object',
          required: ['invoiceId'],
          additionalProperties: false,
          properties: {
            invoiceId: { ...idSchema, description: "The invoice's id (a lowercase UUID)." },
            notBelow: {
              ...numberSchema,
              description:
                'The lowest number acceptable: a vault that numbered invoices before it ' +
                'synced continues after its own.',
            },
          },
        },
        response: {
          200: assignmentSchema,
          201: assignmentSchema,
          ...writeErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const { userId } = authOf(request);
      const workspace = workspaceOf(request);
      const { invoiceId, notBelow = 1 } = request.body;
      try {
        const assigned = await deps.storage.invoiceNumbers.assign(workspace.id, invoiceId, {
          userId,
          now: deps.clock.now(),
          notBelow,
        });
        return reply
          .code(assigned.assignedNow ? 201 : 200)
          .send({ invoiceId, number: assigned.number });
      } catch (error) {
        if (error instanceof InvoiceNumbersExhaustedError) {
          throw conflict('INVOICE_NUMBERS_EXHAUSTED', error.message);
        }
        throw error;
      }
    },
  );
}
