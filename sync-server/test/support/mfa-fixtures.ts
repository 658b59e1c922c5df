import { ManualClock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { startSmtpInbox } from './smtp-inbox.js';
import type { SmtpInbox } from './smtp-inbox.js';
import { startTestServer } from './start-test-server.js';
import type { TestResponse, TestServer } from './start-test-server.js';

export const PASSWORD = 'correct horse battery staple 42';

export interface MfaHarness {
  server: TestServer;
  inbox: SmtpInbox;
  clock: ManualClock;
  close(): Promise<void>;
}

export interface SignedInUser {
  email: string;
  userId: string;
  token: string;
}

/** The real server over TLS with a ManualClock and mail going to a real smtp-server. */
export async function startMfaHarness(options: { logger?: Logger } = {}): Promise<MfaHarness> {
  const inbox = await startSmtpInbox();
  const clock = new ManualClock(Date.UTC(2030, 0, 1, 12, 0, 0));
  // The inbox offers STARTTLS with a test certificate; the server trusts it through
  // --trust-ca, as an operator would a private relay's CA.
  const server = await startTestServer({
    clock,
    config: { smtpUrl: inbox.url, trustCaFile: inbox.caFile },
    ...options,
  });
  return {
    server,
    inbox,
    clock,
    close: async () => {
      await server.close();
      await inbox.close();
    },
  };
}

let counter = 0;

export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}@example.com`;
}

export async function registerUser(
  server: TestServer,
  email = uniqueEmail(),
): Promise<SignedInUser> {
  const res = await server.request<{ token: string; user: { id: string } }>(
    'POST',
    '/v1/auth/register',
    {
      body: { email, password: PASSWORD, deviceName: 'Test laptop' },
    },
  );
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return { email, userId: res.json.user.id, token: res.json.token };
}

/** POST /v1/auth/step-up with the password and, optionally, a second factor. */
export async function stepUp(
  server: TestServer,
  token: string,
  proof: Record<string, unknown> = {},
): Promise<
  TestResponse<{ elevatedUntil?: string; mfaRequired?: boolean; error?: { code: string } }>
> {
  return server.request('POST', '/v1/auth/step-up', {
    token,
    body: { password: PASSWORD, ...proof },
  });
}

export async function login(
  server: TestServer,
  email: string,
): Promise<
  TestResponse<{
    token?: string;
    mfaRequired?: boolean;
    challengeToken?: string;
    methods?: string[];
    error?: { code: string };
  }>
> {
  return server.request('POST', '/v1/auth/login', {
    body: { email, password: PASSWORD, deviceName: 'Second device' },
  });
}

/** The six-digit code in a code mail. */
export function codeFromMail(text: string): string {
  const match = /code is (\d{6})/.exec(text);
  if (match?.[1] === undefined) throw new Error('no code in the mail');
  return match[1];
}
