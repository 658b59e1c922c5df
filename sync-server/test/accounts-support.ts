import { ManualClock } from '../clock.js';
import type { MailMessage, Mailer } from '../mail/mailer.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestServer, TestServerOptions } from './support/start-test-server.js';

export const GOOD_PASSWORD = 'violet anchor meadow 42';

export class CapturingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}

export interface AccountsTestServer extends TestServer {
  clock: ManualClock;
  mailer: CapturingMailer;
}

export async function startAccountsServer(
  options: TestServerOptions = {},
): Promise<AccountsTestServer> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const mailer = new CapturingMailer();
  const server = await startTestServer({ ...options, clock, mailer });
  return Object.assign(server, { clock, mailer });
}

export interface Grant {
  token: string;
  sessionId: string;
  user: { id: string; email: string };
}

let counter = 0;

/** A fresh address per call, so tests in one server do not collide. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}@u${counter}-${process.pid}.example.test`;
}

export async function register(
  server: TestServer,
  overrides: { email?: string; password?: string; deviceName?: string } = {},
): Promise<Grant & { email: string; password: string }> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? GOOD_PASSWORD;
  const response = await server.request<Grant>('POST', '/v1/auth/register', {
    body: { email, password, deviceName: overrides.deviceName ?? 'Test laptop' },
  });
  if (response.status !== 201) {
    throw new Error(`register failed: ${response.status} ${response.text}`);
  }
  return { ...response.json, email, password };
}

export async function login(
  server: TestServer,
  email: string,
  password: string,
  deviceName = 'Second device',
  headers: Record<string, string> = {},
): Promise<Grant> {
  const response = await server.request<Grant>('POST', '/v1/auth/login', {
    body: { email, password, deviceName },
    headers,
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  return response.json;
}

export async function stepUp(server: TestServer, token: string, password: string): Promise<void> {
  const response = await server.request('POST', '/v1/auth/step-up', {
    token,
    body: { password },
  });
  if (response.status !== 200)
    throw new Error(`step-up failed: ${response.status} ${response.text}`);
}
