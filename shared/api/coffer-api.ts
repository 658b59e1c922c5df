/**
 * The whole `window.coffer` API: every service and method a window may call, each with the
 * schema the core checks its input against. It lives once, here, for the three parties
 * that must agree on it: the preload (desktop) and the web bridge build the renderer's
 * object from it, and the core dispatches and validates by it. A method missing from this
 * table does not exist for a window, whatever the core can do.
 */
import type { ApiClient, ApiGroup, ApiInput, ApiMethod, ApiOutput } from './api-method.js';
import type { ApiEvent, ApiResult } from './api-envelope.js';
import { APP_METHODS } from './app.methods.js';
import { CONFLICT_METHODS } from './conflicts.methods.js';
import { DEVICE_METHODS } from './devices.methods.js';
import { EXPORT_METHODS } from './export.methods.js';
import { IMPORT_METHODS } from './import.methods.js';
import { REPORT_METHODS } from './report.methods.js';
import { RULE_METHODS } from './rules.methods.js';
import { DOCUMENT_METHODS, LOCK_METHODS, SETTINGS_METHODS } from './settings.methods.js';
import { SECURITY_METHODS } from './security.methods.js';
import { SYNC_METHODS } from './sync.methods.js';
import { UPLOAD_METHODS } from './upload.methods.js';
import { WORKSPACE_METHODS } from './workspace.methods.js';
import {
  CLIENT_METHODS,
  CONTRACT_METHODS,
  INVOICE_METHODS,
  PAYMENT_METHODS,
  QUOTE_METHODS,
  RECEIPT_METHODS,
  RECURRING_METHODS,
} from './invoicing.methods.js';
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
  uploads: UPLOAD_METHODS,
  lock: LOCK_METHODS,
  settings: SETTINGS_METHODS,
  documents: DOCUMENT_METHODS,
  accounts: ACCOUNT_METHODS,
  balances: BALANCE_METHODS,
  categories: CATEGORY_METHODS,
  transactions: TRANSACTION_METHODS,
  budgets: BUDGET_METHODS,
  reviews: REVIEW_METHODS,
  rules: RULE_METHODS,
  clients: CLIENT_METHODS,
  invoices: INVOICE_METHODS,
  payments: PAYMENT_METHODS,
  quotes: QUOTE_METHODS,
  recurring: RECURRING_METHODS,
  contracts: CONTRACT_METHODS,
  receipts: RECEIPT_METHODS,
  imports: IMPORT_METHODS,
  reports: REPORT_METHODS,
  exports: EXPORT_METHODS,
  sync: SYNC_METHODS,
  devices: DEVICE_METHODS,
  conflicts: CONFLICT_METHODS,
  security: SECURITY_METHODS,
  workspace: WORKSPACE_METHODS,
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
 * What crosses into the page: each method resolves with its result envelope and never
 * rejects with a refusal, because an Error that crosses Electron's contextBridge keeps
 * only its message, and a screen needs the code. `cofferApiFromBridge` turns it back into
 * the API that rejects with ApiError.
 */
export type CofferBridge = {
  readonly [S in ServiceName]: {
    readonly [K in keyof CofferApiTable[S]]: (
      input: ApiInput<CofferApiTable[S][K]>,
    ) => Promise<ApiResult<ApiOutput<CofferApiTable[S][K]>>>;
  };
} & { readonly events: CofferEvents };

/**
 * Methods that still answer while the app lock is engaged: what the lock screen needs to
 * show itself and release the lock. Everything else answers APP_LOCKED.
 */
export const LOCK_EXEMPT_METHODS: ReadonlySet<string> = new Set([
  'app.status',
  'lock.status',
  'lock.unlock',
  'lock.resetWithRecoveryKey',
]);

/** Sends one call to the core and resolves with its result envelope. */
export type ApiTransport = (service: string, method: string, input: unknown) => Promise<ApiResult>;

// The builders iterate the names-only table (which must list exactly this one's names), so
// a page can build its API without loading the schemas.
export {
  buildCofferApi,
  buildCofferBridge,
  buildCofferWindowApi,
  cofferApiFromBridge,
} from './coffer-api-bridge.js';

/** The table entry for `service.method`, own properties only; undefined when not listed. */
export function findApiMethod(service: string, method: string): ApiMethod | undefined {
  if (!Object.hasOwn(COFFER_API, service)) return undefined;
  const group = COFFER_API[service as ServiceName] as ApiGroup;
  return Object.hasOwn(group, method) ? group[method] : undefined;
}
