import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The operator's view of one server process, in Prometheus' text format (served only on the
 * metrics listener, metrics-listener.ts). Labels are route patterns, methods and status
 * codes: never a raw URL, id, address, account or token, so nothing here names a user and
 * the number of series stays bounded whatever clients send.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'route' | 'method' | 'status'>;
  readonly #latency: Histogram<'route' | 'method'>;
  readonly #signInFailures: Counter;
  readonly #secondFactorFailures: Counter<'step'>;
  readonly #rateLimited: Counter<'route'>;
  readonly #pushedChanges: Counter<'outcome'>;
  readonly #pulledChanges: Counter;
  readonly #syncBytes: Counter<'direction'>;

  constructor(sources: MetricSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'coffer_server_' });
    this.#requests = new Counter({
      name: 'coffer_http_requests_total',
      help: 'Finished HTTP requests by route pattern, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'coffer_http_request_duration_seconds',
      help: 'Time from request to response, by route pattern and method.',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#signInFailures = new Counter({
      name: 'coffer_sign_in_failures_total',
      help: 'Password sign-ins refused (wrong email or password, or a locked account).',
      registers,
    });
    this.#secondFactorFailures = new Counter({
      name: 'coffer_second_factor_failures_total',
      help: 'Second-factor codes, passkeys or step-up proofs refused, by step.',
      labelNames: ['step'],
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'coffer_rate_limited_total',
      help: 'Requests answered 429 by a rate limit or login backoff, by route pattern.',
      labelNames: ['route'],
      registers,
    });
    this.#pushedChanges = new Counter({
      name: 'coffer_sync_pushed_changes_total',
      help: 'Changes received in pushes, by outcome (accepted or rejected).',
      labelNames: ['outcome'],
      registers,
    });
    this.#pulledChanges = new Counter({
      name: 'coffer_sync_pulled_changes_total',
      help: 'Changes sent in pull pages.',
      registers,
    });
    this.#syncBytes = new Counter({
      name: 'coffer_sync_ciphertext_bytes_total',
      help: 'Ciphertext characters (base64url) pushed in and pulled out.',
      labelNames: ['direction'],
      registers,
    });
    const { openSockets, storagePool } = sources;
    new Gauge({
      name: 'coffer_sync_websockets',
      help: 'Open sync WebSockets.',
      registers,
      collect() {
        this.set(openSockets?.() ?? 0);
      },
    });
    new Gauge({
      name: 'coffer_storage_connections',
      help: 'Database connections by state (PostgreSQL pool: total, idle, waiting clients).',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = storagePool?.();
        if (pool === undefined) return;
        this.set({ state: 'total' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }

  /** One finished request; `route` is the matched pattern, or null when no route matched. */
  observeRequest(route: string | null, method: string, status: number, seconds: number): void {
    const pattern = route ?? '(no route)';
    this.#requests.inc({ route: pattern, method, status: String(status) });
    this.#latency.observe({ route: pattern, method }, seconds);
    if (status === 429) this.#rateLimited.inc({ route: pattern });
    const failed = status === 401 || status === 403;
    if (!failed || method !== 'POST') return;
    if (route === '/v1/auth/login') this.#signInFailures.inc();
    else if (route === '/v1/auth/login/mfa' || route === '/v1/auth/webauthn/verify') {
      this.#secondFactorFailures.inc({ step: 'sign_in' });
    } else if (route === '/v1/auth/step-up') this.#secondFactorFailures.inc({ step: 'step_up' });
  }

  countPush(accepted: number, rejected: number, ciphertextChars: number): void {
    this.#pushedChanges.inc({ outcome: 'accepted' }, accepted);
    this.#pushedChanges.inc({ outcome: 'rejected' }, rejected);
    this.#syncBytes.inc({ direction: 'push' }, ciphertextChars);
  }

  countPull(changes: number, ciphertextChars: number): void {
    this.#pulledChanges.inc(changes);
    this.#syncBytes.inc({ direction: 'pull' }, ciphertextChars);
  }

  /** The text a Prometheus scrape gets. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Values read at scrape time from the parts that own them. */
export interface MetricSources {
  openSockets?: () => number;
  storagePool?: () => { total: number; idle: number; waiting: number } | undefined;
}
