import type { FastifyInstance, RouteOptions } from 'fastify';

import type { AuthHooks, AuthPreHandler } from './auth-context.js';
import { bearerSecurity } from './schemas.js';

/**
 * What a caller needs for a route: nothing (`none`), a valid session (`session`), or a
 * session stepped up in the last 10 minutes (`step-up`).
 */
export type RouteAuthLevel = 'none' | 'session' | 'step-up';

export const ROUTE_AUTH_LEVELS: readonly RouteAuthLevel[] = ['none', 'session', 'step-up'];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /v1 route; `installRouteLevels` derives the auth hooks from it. */
    auth?: RouteAuthLevel;
  }
  interface FastifySchema {
    /** The route's level in the OpenAPI document (set by `installRouteLevels`). */
    'x-coffer-auth'?: RouteAuthLevel;
  }
}

/** Routes that must declare a level: the API. */
export function isApiRoute(url: string): boolean {
  return url === '/v1' || url.startsWith('/v1/');
}

function routeName(route: Pick<RouteOptions, 'method' | 'url'>): string {
  return `${Array.isArray(route.method) ? route.method.join(',') : route.method} ${route.url}`;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The `onRequest` hooks a level stands for, in order. */
export function hooksForLevel(level: RouteAuthLevel, hooks: AuthHooks): AuthPreHandler[] {
  switch (level) {
    case 'none':
      return [];
    case 'session':
      return [hooks.requireSession];
    case 'step-up':
      return [hooks.requireSession, hooks.requireStepUp];
  }
}

/**
 * Makes each route's `config.auth` the one place its access level is stated: the auth
 * hooks are put in front of the route's own `onRequest` hooks (so the token is checked
 * before the body is parsed), and the OpenAPI operation gets the bearer scheme and
 * `x-coffer-auth`. A /v1 route without a level, with an unknown one, or adding the auth
 * hooks by hand stops the server from starting: declaration and enforcement cannot drift.
 * Install it on the root instance before any route plugin.
 */
export function installRouteLevels(app: FastifyInstance, hooks: AuthHooks): void {
  const authHooks = new Set<unknown>([hooks.requireSession, hooks.requireStepUp]);
  app.addHook('onRoute', (route) => {
    const level = route.config?.auth;
    if (level === undefined) {
      if (!isApiRoute(route.url)) return;
      throw new Error(
        `${routeName(route)} declares no access level: set config.auth to none, session or step-up`,
      );
    }
    if (!ROUTE_AUTH_LEVELS.includes(level)) {
      throw new Error(`${routeName(route)} has an unknown access level: ${String(level)}`);
    }
    const own = asArray(route.onRequest);
    if (own.some((hook) => authHooks.has(hook))) {
      throw new Error(`${routeName(route)} adds auth hooks itself; config.auth alone decides`);
    }
    route.onRequest = [...hooksForLevel(level, hooks), ...own];
    if (route.schema !== undefined) {
      route.schema = {
        ...route.schema,
        ...(level === 'none' ? {} : { security: bearerSecurity }),
        'x-coffer-auth': level,
      };
    }
  });
}
