/**
 * JSON Schemas of the auth and me routes (accounts). Strings from clients are bounded
 * and, where they are shown to people (device names), free of control characters.
 */
import { MFA_METHODS } from '../../mfa/mfa-gate.js';
import { authenticationResponseSchema } from './webauthn.schemas.js';

/**
 * No C0/C1 controls, line separators or bidi overrides: a device name is shown in
 * session lists and emails, where such characters could hide or reorder text.
 */
const NO_CONTROL =
  '^[^\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]*$';

export const emailSchema = {
  type: 'string',
  description: 'Email address; matched case-insensitively after NFKC normalisation.',
  minLength: 3,
  maxLength: 254,
  // Surrounding spaces are trimmed by normalisation; none inside, no control characters.
  pattern: '^ *[^\\s@\\u0000-\\u001f\\u007f]+@[^\\s@\\u0000-\\u001f\\u007f]+ *$',
} as const;

/**
 * Generous on purpose: the password policy (12..1024 code points after NFKC) answers with
 * PASSWORD_TOO_SHORT / PASSWORD_TOO_LONG, which a schema limit would hide.
 */
export const newPasswordSchema = {
  type: 'string',
  description: '12 to 1,024 characters (Unicode code points after NFKC); no composition rules.',
  maxLength: 4096,
} as const;

export const passwordSchema = { type: 'string', minLength: 1, maxLength: 4096 } as const;

export const deviceNameSchema = {
  type: 'string',
  description: 'Shown in the session list, e.g. "Ann\'s laptop".',
  minLength: 1,
  maxLength: 100,
  pattern: NO_CONTROL,
} as const;

export const platformSchema = {
  type: 'string',
  description: 'e.g. "macos", "windows", "linux", "ios", "android"; default: from User-Agent.',
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9 ._()/+-]+$',
} as const;

export const idSchema = {
  type: 'string',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
} as const;

const isoTime = { type: 'string', format: 'date-time' } as const;

export const credentialsBodySchema = (password: typeof passwordSchema | typeof newPasswordSchema) =>
  ({
    type: 'object',
    required: ['email', 'password', 'deviceName'],
    additionalProperties: false,
    properties: {
      email: emailSchema,
      password,
      deviceName: deviceNameSchema,
      platform: platformSchema,
    },
  }) as const;

export const sessionGrantSchema = {
  type: 'object',
  description: 'A new session. The token is shown once; only its SHA-256 is stored.',
  required: ['token', 'sessionId', 'user'],
  additionalProperties: false,
  properties: {
    token: { type: 'string', description: '256-bit bearer token, base64url.' },
    sessionId: { type: 'string' },
    user: {
      type: 'object',
      required: ['id', 'email'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, email: { type: 'string' } },
    },
  },
} as const;

const methodsSchema = {
  type: 'array',
  items: { type: 'string', enum: [...MFA_METHODS] },
} as const;

export const mfaRequiredSchema = {
  type: 'object',
  description: 'The account has two-factor sign-in: answer with POST /v1/auth/login/mfa.',
  required: ['mfaRequired', 'challengeToken', 'methods'],
  additionalProperties: false,
  properties: {
    mfaRequired: { type: 'boolean', enum: [true] },
    challengeToken: { type: 'string' },
    methods: methodsSchema,
  },
} as const;

export const stepUpBodySchema = {
  type: 'object',
  required: ['password'],
  additionalProperties: false,
  properties: {
    password: passwordSchema,
    method: {
      type: 'string',
      enum: [...MFA_METHODS],
      description: 'Second factor, required when the account has one.',
    },
    code: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'TOTP, email or backup code (methods totp, email, backup_code).',
    },
    response: {
      ...authenticationResponseSchema,
      description: 'WebAuthn assertion (method webauthn) from POST /v1/me/webauthn/options.',
    },
  },
} as const;

export const stepUpResponseSchema = {
  type: 'object',
  description:
    'Either `elevatedUntil` (done), or `mfaRequired` with the methods to send with the password again.',
  additionalProperties: false,
  properties: {
    elevatedUntil: isoTime,
    mfaRequired: { type: 'boolean', enum: [true] },
    methods: methodsSchema,
  },
} as const;

export const sessionViewSchema = {
  type: 'object',
  required: ['id', 'deviceName', 'platform', 'ip', 'createdAt', 'lastSeenAt', 'current'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    deviceName: { type: 'string' },
    platform: { type: 'string' },
    ip: { type: 'string' },
    createdAt: isoTime,
    lastSeenAt: isoTime,
    current: { type: 'boolean', description: 'The session making this request.' },
  },
} as const;

export const changePasswordBodySchema = {
  type: 'object',
  required: ['currentPassword', 'newPassword'],
  additionalProperties: false,
  properties: {
    currentPassword: passwordSchema,
    newPassword: newPasswordSchema,
    endOtherSessions: {
      type: 'boolean',
      default: false,
      description: 'Sign out every other session of the account.',
    },
  },
} as const;

export const meResponseSchema = {
  type: 'object',
  required: ['user'],
  additionalProperties: false,
  properties: {
    user: {
      type: 'object',
      required: ['id', 'email', 'createdAt'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, email: { type: 'string' }, createdAt: isoTime },
    },
  },
} as const;

const exportedSessionSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'deviceName',
    'platform',
    'ip',
    'userAgent',
    'createdAt',
    'lastSeenAt',
    'state',
    'endedAt',
    'current',
  ],
  properties: {
    id: { type: 'string' },
    deviceName: { type: 'string' },
    platform: { type: 'string' },
    ip: { type: 'string' },
    userAgent: { type: 'string' },
    createdAt: isoTime,
    lastSeenAt: isoTime,
    state: { type: 'string', enum: ['active', 'revoked', 'expired'] },
    endedAt: { type: 'string', format: 'date-time', nullable: true },
    current: { type: 'boolean' },
  },
} as const;

/** audit/sign-in-history.ts SignInEntry (the same shape as GET /v1/me/sign-ins lists). */
/** One entry of the sign-in history (`GET /v1/me/sign-ins`) and of the account export. */
export const signInEntrySchema = {
  type: 'object',
  required: [
    'id',
    'at',
    'kind',
    'factor',
    'outcome',
    'errorCode',
    'ip',
    'userAgent',
    'deviceName',
    'repeats',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    kind: {
      type: 'string',
      enum: ['register', 'password', 'second_factor', 'passkey', 'step_up'],
      description:
        'register (account created), password (email + password), second_factor (the code or ' +
        'passkey after a password), passkey (passwordless), step_up (re-confirmation in a session).',
    },
    factor: {
      type: 'string',
      nullable: true,
      description: 'password, totp, email, backup_code, webauthn or passkey.',
    },
    outcome: {
      type: 'string',
      enum: ['success', 'mfa_required', 'failure', 'rate_limited', 'error'],
      description: 'mfa_required: the password was right and a second factor was asked for.',
    },
    errorCode: {
      type: 'string',
      nullable: true,
      description: 'Why it failed, e.g. INVALID_CREDENTIALS.',
    },
    ip: { type: 'string' },
    userAgent: {
      type: 'string',
      nullable: true,
      description: 'As sent, with control characters escaped (\\n, \\u001b …).',
    },
    deviceName: { type: 'string', nullable: true, description: 'As sent, escaped like userAgent.' },
    repeats: {
      type: 'integer',
      minimum: 1,
      description: 'Attempts alike this entry stands for: refusals in one minute sum up.',
    },
  },
} as const;

export const accountExportSchema = {
  type: 'object',
  description: 'Everything the server keeps about the account, without secrets.',
  additionalProperties: false,
  required: ['format', 'version', 'exportedAt', 'profile', 'sessions', 'factors', 'signIns'],
  properties: {
    format: { type: 'string', enum: ['coffer-account-export'] },
    version: { type: 'integer', enum: [1] },
    exportedAt: isoTime,
    profile: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'email', 'createdAt', 'passwordChangedAt'],
      properties: {
        id: { type: 'string' },
        email: { type: 'string' },
        createdAt: isoTime,
        passwordChangedAt: isoTime,
      },
    },
    sessions: { type: 'array', items: exportedSessionSchema },
    factors: {
      type: 'object',
      additionalProperties: false,
      required: ['totp', 'emailOtp', 'backupCodes', 'passkeys'],
      properties: {
        totp: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['confirmedAt', 'createdAt'],
          properties: {
            confirmedAt: { type: 'string', format: 'date-time', nullable: true },
            createdAt: isoTime,
          },
        },
        emailOtp: {
          type: 'object',
          additionalProperties: false,
          required: ['enabled'],
          properties: { enabled: { type: 'boolean' } },
        },
        backupCodes: {
          type: 'object',
          additionalProperties: false,
          required: ['remaining'],
          properties: { remaining: { type: 'integer' } },
        },
        passkeys: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'name', 'createdAt', 'lastUsedAt'],
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              createdAt: isoTime,
              lastUsedAt: { type: 'string', format: 'date-time', nullable: true },
            },
          },
        },
      },
    },
    signIns: {
      type: 'array',
      description: 'Own sign-in history (audit log, as GET /v1/me/sign-ins), newest first.',
      items: signInEntrySchema,
    },
  },
} as const;
