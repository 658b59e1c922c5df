import type { FastifyReply, FastifyRequest } from 'fastify';

import { uuidv7 } from '../../shared/ids/uuidv7.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { RequestAuditHook } from '../deps.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { AuditRecord } from '../storage/audit.repository.js';
import type { Storage } from '../storage/storage.js';
import {
  TEXT_LIMITS,
  actionOf,
  cleanErrorCode,
  escapeText,
  logViewOf,
  outcomeOf,
} from './audit-event.js';
import { auditPseudonym } from './audit-pseudonym.js';
import { RefusalAggregator } from './refusal-aggregator.js';
import { responseNoteOf } from './response-notes.js';
import { SIGN_IN_ACTIONS } from './sign-in-history.js';
import { signInFactsOf } from './sign-in-subject.js';
import type { SignInFacts } from './sign-in-subject.js';

export interface AuditServiceDeps {
  storage: Storage;
  secrets: SecretBox;
  clock: Clock;
  /** Where summary rows written outside a request are logged. */
  logger?: Logger;
}

const NO_SIGN_IN: SignInFacts = { subjectUserId: null, factor: null, deviceName: null };

/**
 * Records every finished request (the `onResponse` hook of http/app.ts calls `record`):
 * time, request id, caller and session, action (method + route pattern), status and error
 * code, IP; for sign-in steps also the account they were for, the factor, device name and
 * User-Agent. Writes the row, then one `audit` log line with the same fields. Nothing
 * from the body, headers or URL is kept beyond those fields, and every client-supplied
 * text is escaped (audit-event.ts).
 */
export class AuditService implements RequestAuditHook {
  private readonly pending = new Set<Promise<void>>();
  private readonly refusals: RefusalAggregator;

  constructor(private readonly deps: AuditServiceDeps) {
    this.refusals = new RefusalAggregator(() => deps.clock.now());
  }

  async record(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const write = this.write(request, reply.statusCode);
    this.pending.add(write);
    try {
      await write;
    } finally {
      this.pending.delete(write);
    }
  }

  /** Resolves once every record started so far is written (tests read the table after it). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** The record `record` writes for a request that ended with `statusCode`. */
  async build(request: FastifyRequest, statusCode: number): Promise<AuditRecord> {
    const at = this.deps.clock.now();
    const action = actionOf(request);
    const note = responseNoteOf(request);
    const kind = SIGN_IN_ACTIONS[action];
    const signIn =
      kind === undefined ? NO_SIGN_IN : await signInFactsOf(kind, request, statusCode, this.deps);
    return {
      id: uuidv7(at),
      at,
      requestId: escapeText(request.id, 64) ?? '',
      action,
      statusCode,
      errorCode: cleanErrorCode(note.errorCode),
      outcome: outcomeOf(statusCode, note.mfaRequired),
      ip: escapeText(request.ip, TEXT_LIMITS.ip) ?? '',
      userId: request.auth?.userId ?? null,
      sessionId: request.auth?.sessionId ?? note.issuedSessionId,
      workspaceId: request.workspace?.id ?? null,
      subjectUserId: signIn.subjectUserId,
      factor: signIn.factor,
      deviceName: signIn.deviceName,
      userAgent:
        kind === undefined
          ? null
          : escapeText(request.headers['user-agent'] ?? '', TEXT_LIMITS.userAgent),
      pseudonyms: {
        user: this.pseudonymOf(request.auth?.userId ?? null),
        subject: this.pseudonymOf(signIn.subjectUserId),
      },
    };
  }

  /** Stored only if the account is gone when the row is written (storage decides). */
  private pseudonymOf(userId: string | null): string | null {
    return userId === null ? null : auditPseudonym(this.deps.secrets, userId);
  }

  /**
   * Writes the summaries of refusal windows that have ended (all of them when `everything`,
   * at shutdown): audit-hooks.ts calls it on a timer, so a flood that stops is still counted.
   */
  async flushRefusals(everything = false): Promise<void> {
    const write = this.append(this.refusals.flush(everything), null);
    this.pending.add(write);
    try {
      await write;
    } finally {
      this.pending.delete(write);
    }
  }

  private async write(request: FastifyRequest, statusCode: number): Promise<void> {
    await this.append(this.refusals.admit(await this.build(request, statusCode)), request);
  }

  private async append(records: AuditRecord[], request: FastifyRequest | null): Promise<void> {
    for (const record of records) {
      const { pseudonyms, ...logged } = record;
      await this.deps.storage.audit.append({ ...logged, pseudonyms });
      (request?.log ?? this.deps.logger)?.info({ audit: logViewOf(logged) }, 'audit');
    }
  }
}
