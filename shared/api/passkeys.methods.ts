/**
 * The signed-in account's passkeys. The ceremony runs in the window (navigator.credentials
 * needs a page), everything else in the core: the core asks the server for options (JSON
 * with a one-time challenge, nothing secret) and hands them out; the window runs the
 * browser's ceremony and hands the response back; the core sends it to the server with the
 * session token the window never sees.
 */
import * as z from 'zod';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';

/**
 * Options for `navigator.credentials.create()` / `.get()` in their JSON form, as the server
 * made them (`@simplewebauthn/browser` takes them as `optionsJSON`). Opaque to the app.
 */
export type PasskeyOptionsJSON = { readonly challenge: string } & Readonly<Record<string, unknown>>;

export interface PasskeyView {
  id: string;
  name: string;
  /** ISO 8601 instants, as the server reports them. */
  createdAt: string;
  lastUsedAt: string | null;
}

/** Base64url as the browser encodes credential fields; bounded like the server's schema. */
const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'base64url expected');

const ClientExtensionResultsSchema = z.strictObject({
  appid: z.boolean().optional(),
  hmacCreateSecret: z.boolean().optional(),
  credProps: z.strictObject({ rk: z.boolean().optional() }).optional(),
});

const credentialCommon = {
  id: b64url(1024),
  rawId: b64url(1024),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).nullable().optional(),
  clientExtensionResults: ClientExtensionResultsSchema,
};

/** What `startRegistration` resolves to (a PublicKeyCredential from create(), as JSON). */
export const RegistrationResponseSchema = z.strictObject({
  ...credentialCommon,
  response: z.strictObject({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16384),
    authenticatorData: b64url(8192).optional(),
    transports: z
      .array(
        z
          .string()
          .max(32)
          .regex(/^[a-z-]+$/),
      )
      .max(8)
      .optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4096).optional(),
  }),
});

/** What `startAuthentication` resolves to (a PublicKeyCredential from get(), as JSON). */
export const AuthenticationResponseSchema = z.strictObject({
  ...credentialCommon,
  response: z.strictObject({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(8192),
    signature: b64url(2048),
    userHandle: z
      .string()
      .max(256)
      .regex(/^[A-Za-z0-9_-]*={0,2}$/)
      .nullable()
      .optional(),
  }),
});

/** One line, shown in lists: no control characters (the server checks the same). */
export const PasskeyNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the passkey a name')
  .max(100, 'A name is at most 100 characters')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused.
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'A name is one line of text');

const PasskeyIdSchema = z.string().min(1).max(256);

export const PASSKEY_METHODS = {
  list: apiMethod<{ passkeys: PasskeyView[] }>()(EmptyInputSchema),
  /** Needs a recent step-up (STEP_UP_REQUIRED otherwise). */
  registerOptions: apiMethod<{ options: PasskeyOptionsJSON }>()(EmptyInputSchema),
  /**
   * Needs a recent step-up. When the passkey is the account's first second factor, the
   * server makes ten backup codes: they come back here once, to be shown once.
   */
  registerVerify: apiMethod<{ passkey: PasskeyView; backupCodes: string[] | null }>()(
    z.strictObject({ response: RegistrationResponseSchema, name: PasskeyNameSchema }),
  ),
  rename: apiMethod<{ id: string; name: string }>()(
    z.strictObject({ id: PasskeyIdSchema, name: PasskeyNameSchema }),
  ),
  /** Needs a recent step-up. */
  remove: apiMethod<{ removed: true }>()(z.strictObject({ id: PasskeyIdSchema })),
} as const;
