import type { FastifyRequest } from 'fastify';

/**
 * For POST routes whose body fields are all optional: a request without a body is taken as
 * `{}` (a JSON `null` is not: it is a wrong type), so clients need not invent one, while a body that is sent is still validated
 * strictly against the route schema (`additionalProperties: false`).
 */
export async function noBodyMeansEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}
