/**
 * Builds `window.coffer` from the API's names: the preload's bridge, the page's API over
 * it, and an API straight over a transport. Nothing here loads a schema, so a page's first
 * script can build its API without zod; the core checks every call's input by
 * `COFFER_API` wherever it arrives.
 */
import { ApiError } from './api-error.js';
import type { ApiEvent, ApiResult } from './api-envelope.js';
import { COFFER_API_NAMES } from './coffer-api-names.js';
import type {
  ApiTransport,
  CofferApi,
  CofferBridge,
  CofferEvents,
  CofferWindowApi,
} from './coffer-api.js';

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

/** The bridge a preload (or web mode) hands the page: one function per listed method. */
export function buildCofferBridge(transport: ApiTransport, events: CofferEvents): CofferBridge {
  const bridge: Record<string, unknown> = {};
  for (const [service, methods] of Object.entries(COFFER_API_NAMES)) {
    const group: Record<string, (input: unknown) => Promise<ApiResult>> = {};
    for (const method of Object.keys(methods)) {
      group[method] = (input: unknown) => transport(service, method, input);
    }
    bridge[service] = Object.freeze(group);
  }
  bridge['events'] = Object.freeze({
    subscribe: (listener: (event: ApiEvent) => void) => events.subscribe(listener),
  });
  return Object.freeze(bridge) as CofferBridge;
}

/** The page's API over a bridge: refusals become ApiError rejections again. */
export function cofferApiFromBridge(bridge: CofferBridge): CofferWindowApi {
  const untyped = bridge as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<ApiResult>>
  >;
  const transport: ApiTransport = async (service, method, input) => {
    const call = untyped[service]?.[method];
    if (call === undefined) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_METHOD', message: `There is no method ${service}.${method}` },
      };
    }
    return call(input);
  };
  return buildCofferWindowApi(transport, bridge.events);
}

export function buildCofferApi(transport: ApiTransport): CofferApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const [service, methods] of Object.entries(COFFER_API_NAMES)) {
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
