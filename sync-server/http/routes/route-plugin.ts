import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';

/**
 * A feature's routes: `export async function authRoutes(app, deps) { app.post(...) }`.
 * Each plugin runs in its own Fastify encapsulation context, so hooks and decorators it
 * adds stay with its routes.
 */
export type RoutePlugin = (app: FastifyInstance, deps: ServerDeps) => Promise<void>;
