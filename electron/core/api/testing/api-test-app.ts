/**
 * The core as a window reaches it, for tests of the API: an AppSession on a fresh temp
 * folder (a real encrypted vault, keyed from an in-memory key store unless one is given),
 * its dispatcher, and `call`, which sends one message and unwraps the answer. Removed
 * when the test finishes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onTestFinished } from 'vitest';
import type { ApiEvent, ApiServerMessage } from '../../../../shared/api/api-envelope.js';
import type { KeyStore } from '../../vault/key-store.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { createApiDispatcher, type ApiDispatcher } from '../api-dispatcher.js';
import { AppSession } from '../app-session.js';

export type ApiAnswer =
  { ok: true; value: unknown } | { ok: false; code: string; message: string; details?: unknown };

export interface ApiTestApp {
  session: AppSession;
  dispatch: ApiDispatcher;
  /** Every event the core sent, in order. */
  events: ApiEvent[];
  /** Failures the dispatcher hid from the window as INTERNAL. */
  internalErrors: unknown[];
  /** The temp folder the vault folder lives in. */
  root: string;
  call: (service: string, method: string, input?: unknown) => Promise<ApiAnswer>;
}

export interface ApiTestAppOptions {
  keyStore?: KeyStore;
  now?: () => number;
  /** Defaults to `vault` in a fresh temp folder. */
  vaultDir?: string;
}

let nextId = 1;

export function startApiTestApp(options: ApiTestAppOptions = {}): ApiTestApp {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-api-test-'));
  const session = new AppSession({
    vaultDir: options.vaultDir ?? path.join(root, 'vault'),
    keyStore: options.keyStore ?? new MemoryKeyStore(),
    host: 'web',
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  onTestFinished(() => {
    session.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const events: ApiEvent[] = [];
  const internalErrors: unknown[] = [];
  const dispatch = createApiDispatcher({
    session,
    emit: (event) => events.push(event),
    onInternalError: (error) => internalErrors.push(error),
  });
  const call = async (service: string, method: string, input: unknown = {}): Promise<ApiAnswer> => {
    const id = nextId++;
    const answer = (await dispatch({ id, service, method, input })) as ApiServerMessage;
    if (answer.type !== 'result' || answer.id !== id)
      throw new Error('the answer is not to this call');
    return answer.result.ok
      ? { ok: true, value: answer.result.value }
      : { ok: false, ...answer.result.error };
  };
  return { session, dispatch, events, internalErrors, root, call };
}

/** A test app whose vault has just been created through `app.createVault`. */
export async function openApiTestApp(options: ApiTestAppOptions = {}): Promise<ApiTestApp> {
  const app = startApiTestApp(options);
  answerValue(await app.call('app', 'createVault'));
  return app;
}

/** The value of an answer that must be a success. */
export function answerValue<T>(answer: ApiAnswer): T {
  if (!answer.ok) throw new Error(`refused: ${answer.code}: ${answer.message}`);
  return answer.value as T;
}
