import type { FastifySchemaValidationError } from 'fastify';

import { MailNotSentError } from '../mail/mailer.js';
import { isStorageUnavailable } from '../storage/storage-unavailable.js';
import { isHttpError } from './errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface MappedError {
  statusCode: number;
  code: string;
  message: string;
  headers: Record<string, string>;
  details?: Record<string, unknown>;
}

const STATUS_CODES: Readonly<Record<number, [string, string]>> = {
  400: ['BAD_REQUEST', 'The request is not valid.'],
  401: ['UNAUTHENTICATED', 'Authentication is required.'],
  403: ['FORBIDDEN', 'Not allowed.'],
  404: ['NOT_FOUND', 'Not found.'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed.'],
  406: ['NOT_ACCEPTABLE', 'Not acceptable.'],
  408: ['REQUEST_TIMEOUT', 'The request took too long.'],
  409: ['CONFLICT', 'Conflict.'],
  411: ['LENGTH_REQUIRED', 'Content-Length is required.'],
  413: ['BODY_TOO_LARGE', 'The request body is too large.'],
  414: ['URI_TOO_LONG', 'The URL is too long.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send a JSON body with Content-Type: application/json.'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests; try again later.'],
  431: ['HEADERS_TOO_LARGE', 'The request headers are too large.'],
};

/** Fastify's own request errors, by code. Their messages are fixed texts, safe to show. */
const FASTIFY_CODES: Readonly<Record<string, [number, string, string]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', 'The body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', 'The body is empty but declared as JSON.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'BODY_TOO_LARGE', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Send a JSON body with Content-Type: application/json.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'INVALID_REQUEST',
    'Content-Length does not match the body.',
  ],
  FST_ERR_CTP_INVALID_TYPE: [400, 'INVALID_REQUEST', 'The Content-Type header is not valid.'],
  FST_ERR_CTP_EMPTY_TYPE: [400, 'INVALID_REQUEST', 'The Content-Type header is empty.'],
  FST_ERR_BAD_URL: [400, 'BAD_URL', 'The URL is not validly encoded.'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'URI_TOO_LONG', 'A part of the URL is too long.'],
};

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  message?: unknown;
  name?: unknown;
  headers?: unknown;
}

/**
 * Every failure becomes `{ error: { code, message } }` with the right status. Only
 * HttpError messages (written for clients) and fixed framework texts are shown; anything
 * unexpected is a 500 INTERNAL whose details stay in the server log.
 */
export function mapError(error: unknown): MappedError {
  if (isHttpError(error)) {
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      headers: { ...error.headers },
      ...(error.details === undefined ? {} : { details: { ...error.details } }),
    };
  }
  if (error instanceof MailNotSentError) {
    // Not the client's fault and not a crash: the relay is down or unsafe (the server log
    // says which). The client can pick another method or try later.
    return {
      statusCode: 503,
      code: 'EMAIL_NOT_SENT',
      message: 'The email could not be sent; use another method or try again later.',
      headers: {},
    };
  }
  if (isStorageUnavailable(error)) {
    // The database restarts or is unreachable: not the client's fault, and a push sent
    // again is idempotent by change id, so the client waits and sends it again.
    return {
      statusCode: 503,
      code: 'STORAGE_UNAVAILABLE',
      message: 'The database is unavailable; try again shortly.',
      headers: { 'retry-after': '1' },
    };
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as FrameworkError;
  if (Array.isArray(e.validation)) {
    return {
      statusCode: 400,
      code: 'INVALID_REQUEST',
      message: typeof e.message === 'string' ? e.message : 'The request does not match its schema.',
      headers: {},
    };
  }
  if (typeof e.code === 'string') {
    const known = FASTIFY_CODES[e.code];
    if (known !== undefined) {
      return { statusCode: known[0], code: known[1], message: known[2], headers: {} };
    }
  }
  // secure-json-parse (prototype poisoning) and other JSON parse failures.
  if (e.name === 'SyntaxError' && e.statusCode === 400) {
    return {
      statusCode: 400,
      code: 'INVALID_JSON',
      message: 'The body is not valid JSON.',
      headers: {},
    };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const [code, message] = STATUS_CODES[status] ?? STATUS_CODES[400]!;
    return { statusCode: STATUS_CODES[status] ? status : 400, code, message, headers: {} };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Internal server error.', headers: {} };
}

/**
 * Ajv errors as one message naming the field (`body.email is required`). Values the client
 * sent are never echoed.
 */
export function formatSchemaErrors(
  errors: readonly FastifySchemaValidationError[],
  dataVar: string,
): Error {
  const first = errors[0];
  if (first === undefined) return new Error(`${dataVar} is not valid`);
  const where = [dataVar, ...first.instancePath.split('/').filter((p) => p !== '')].join('.');
  const params = first.params;
  let message: string;
  switch (first.keyword) {
    case 'required':
      message = `${where}.${String(params.missingProperty)} is required`;
      break;
    case 'additionalProperties':
      message = `${where}.${String(params.additionalProperty)} is not allowed`;
      break;
    default:
      message = `${where} ${first.message ?? 'is not valid'}`;
  }
  return new Error(message);
}

export function errorBody(mapped: MappedError): ErrorBody {
  const { code, message, details } = mapped;
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
