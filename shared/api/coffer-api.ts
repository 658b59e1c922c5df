/**
 * The whole `window.coffer` API: every service and method a window may call, each with the
 * schema the core checks its input against. It lives once, here, for the three parties
 * that must agree on it: the preload (desktop) and the web bridge build the renderer's
 * object from it, and the core dispatches and validates by it. A method missing from this
 * table does not exist for a window, whatever the core can do.
 */
import type { ApiClient, ApiGroup, ApiMethod } from './api-method.js';
import { ApiError } from './api-error.js';
import type { ApiEvent, ApiResult } from './api-envelope.js';
import { APP_METHODS } from './app.methods.js';
import { EXPORT_METHODS } from './export.methods.js';
import { IMPORT_METHODS } from './import.methods.js';
import { REPORT_METHODS } from './report.methods.js';
import {
  ACCOUNT_METHODS,
  BALANCE_METHODS,
  BUDGET_METHODS,
  CATEGORY_METHODS,
  REVIEW_METHODS,
  TRANSACTION_METHODS,
} from './ledger.methods.js';

export const COFFER_API = {
  // No group may be called `events`: that name is taken by CofferWindowApi.
  app: APP_METHODS,
  accounts: ACCOUNT_METHODS,
  balances: BALANCE_METHODS,
  categories: CATEGORY_METHODS,
  transactions: TRANSACTION_METHODS,
  budgets: BUDGET_METHODS,
  reviews: REVIEW_METHODS,
  imports: IMPORT_METHODS,
  reports: REPORT_METHODS,
  exports: EXPORT_METHODS,
} as const satisfies Readonly<Record<string, ApiGroup>>;

export type CofferApiTable = typeof COFFER_API;
export type ServiceName = keyof CofferApiTable;

/** The object a window sees as `window.coffer`. */
export type CofferApi = { readonly [S in ServiceName]: ApiClient<CofferApiTable[S]> };

/** What the core tells windows unasked (progress, lock, changed data). */
export interface CofferEvents {
  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/** `window.coffer`: the API's services, and `events` beside them. */
export type CofferWindowApi = CofferApi & { readonly events: CofferEvents };

/**
 * Methods that still answer while the app lock is engaged: what the lock screen needs to
 * show itself and release the lock. Everything else answers APP_LOCKED.
 */
export const LOCK_EXEMPT_METHODS: ReadonlySet<string> = new Set(['app.status']);

/** Sends one call to the core and resolves with its result envelope. */
export type ApiTransport = (service: string, method: string, input: unknown) => Promise<ApiResult>;

/**
 * Builds the `window.coffer` object over a transport: one plain function per method of
 * the table and nothing else, so a window cannot name a method that is not listed.
 */
export function buildCofferWindowApi(
  transport: ApiTransport,
  events: CofferEvents,
): CofferWindowApi {
  return Object.freeze({
    ...buildCofferApi(transport),
    events: Object.freeze({
      subscribe: (listener: (event: ApiEvent) => void) => events.subscribe(listener),
    }),
  });
}

export function buildCofferApi(transport: ApiTransport): CofferApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const [service, methods] of Object.entries(COFFER_API)) {
    const group: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const method of Object.keys(methods)) {
      group[method] = async (input: unknown) => {
        const result = await transport(service, method, input);
        if (result.ok) return result.value;
        throw new ApiError(result.error);
      };
    }
    api[service] = Object.freeze(group);
  }
  return Object.freeze(api) as unknown as CofferApi;
}

/** The table entry for `service.method`, own properties only; undefined when not listed. */
export function findApiMethod(service: string, method: string): ApiMethod | undefined {
  if (!Object.hasOwn(COFFER_API, service)) return undefined;
  const group = COFFER_API[service as ServiceName] as ApiGroup;
  return Object.hasOwn(group, method) ? group[method] : undefined;
}
