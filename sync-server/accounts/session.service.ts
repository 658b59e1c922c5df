import { createHash, randomBytes } from 'node:crypto';

import { uuidv7 } from '../../shared/ids/uuidv7.js';
import type { Clock } from '../clock.js';
import { notFound, unauthorized } from '../http/errors.js';
import type { SessionEndReason, SessionRecord } from '../storage/session.repository.js';
import type { Storage } from '../storage/storage.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** 14 days without a request end a session. */
export const SESSION_IDLE_MS = 14 * DAY_MS;
/** 90 days after sign-in a session ends however active it is. */
export const SESSION_ABSOLUTE_MS = 90 * DAY_MS;
/**
 * Ended sessions stay in the table this long after they ended, so their token still gets
 * SESSION_REVOKED / SESSION_EXPIRED (not UNAUTHENTICATED) and the user's export lists
 * them; `pruneEnded` drops them afterwards.
 */
export const SESSION_RETENTION_MS = 90 * DAY_MS;
/** `last_seen_at` is written at most once per this interval, not on every request. */
export const LAST_SEEN_RESOLUTION_MS = MINUTE_MS;
/** How long a step-up (password + second factor) keeps a session elevated. */
export const STEP_UP_MS = 10 * MINUTE_MS;

const TOKEN_BYTES = 32;
/** 32 bytes in unpadded base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionContext {
  deviceName: string;
  platform: string;
  ip: string;
  userAgent: string;
}

export interface IssuedSession {
  token: string;
  sessionId: string;
}

/** What `requireSession` puts on the request. */
export interface AuthenticatedSession {
  userId: string;
  sessionId: string;
  /** ms; sensitive routes need it in the future (see requireStepUp). */
  elevatedUntil: number | null;
}

export type SessionState = 'active' | 'revoked' | 'expired';

export interface SessionView {
  id: string;
  deviceName: string;
  platform: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** The moment the session ends by inactivity or age (whichever comes first). */
export function sessionExpiresAt(session: SessionRecord): number {
  return Math.min(session.lastSeenAt + SESSION_IDLE_MS, session.createdAt + SESSION_ABSOLUTE_MS);
}

export function sessionState(session: SessionRecord, now: number): SessionState {
  if (session.revokedAt !== null) return 'revoked';
  return now >= sessionExpiresAt(session) ? 'expired' : 'active';
}

export function toSessionView(
  session: SessionRecord,
  currentSessionId: string | null,
): SessionView {
  return {
    id: session.id,
    deviceName: session.deviceName,
    platform: session.platform,
    ip: session.ip,
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
    current: session.id === currentSessionId,
  };
}

/**
 * Bearer-token sessions: 256-bit random tokens handed out once, only their SHA-256 kept,
 * so a copy of the database cannot be replayed as a login. Stateless apart from storage
 * and the clock, so any route plugin (mfa's login completion too) may make its own.
 */
export class SessionService {
  private readonly storage: Storage;
  private readonly clock: Clock;

  constructor(deps: { storage: Storage; clock: Clock }) {
    this.storage = deps.storage;
    this.clock = deps.clock;
  }

  async issue(userId: string, context: SessionContext): Promise<IssuedSession> {
    const now = this.clock.now();
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const sessionId = uuidv7(now);
    await this.storage.sessions.create({
      id: sessionId,
      userId,
      tokenHash: hashToken(token),
      deviceName: context.deviceName,
      platform: context.platform,
      ip: context.ip,
      userAgent: context.userAgent,
      createdAt: now,
      lastSeenAt: now,
      elevatedUntil: null,
      revokedAt: null,
      revokedReason: null,
    });
    return { token, sessionId };
  }

  /**
   * Resolves a bearer token, or throws 401: SESSION_REVOKED / SESSION_EXPIRED for a
   * token we issued that has ended, UNAUTHENTICATED for anything else. Refreshes
   * `last_seen_at` and the IP at most once a minute, so a busy client does not cost a
   * write per request.
   */
  async authenticate(token: string, ip: string): Promise<AuthenticatedSession> {
    if (!isWellFormedToken(token)) throw unauthenticated();
    const session = await this.storage.sessions.findByTokenHash(hashToken(token));
    if (session === null) throw unauthenticated();
    const now = this.clock.now();
    switch (sessionState(session, now)) {
      case 'revoked':
        throw unauthorized('SESSION_REVOKED', 'This session was signed out. Sign in again.');
      case 'expired':
        throw unauthorized('SESSION_EXPIRED', 'This session has expired. Sign in again.');
      case 'active':
        break;
    }
    if (now - session.lastSeenAt >= LAST_SEEN_RESOLUTION_MS) {
      await this.storage.sessions.touch(session.id, now, ip);
    }
    return {
      userId: session.userId,
      sessionId: session.id,
      elevatedUntil: session.elevatedUntil,
    };
  }

  /** The user's sessions that can still be used, newest first. */
  async listActive(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const now = this.clock.now();
    const sessions = await this.storage.sessions.listForUser(userId);
    return sessions
      .filter((session) => sessionState(session, now) === 'active')
      .map((session) => toSessionView(session, currentSessionId));
  }

  /**
   * Ends one of the user's own sessions. Another user's session id answers 404 exactly
   * like an unknown id, so ids cannot be probed. Ending an already ended session is a no-op.
   */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    const session = await this.storage.sessions.findById(sessionId);
    if (session === null || session.userId !== userId) {
      throw notFound('SESSION_NOT_FOUND', 'No such session.');
    }
    await this.storage.sessions.revoke(sessionId, this.clock.now(), 'revoked');
  }

  async logout(sessionId: string): Promise<void> {
    await this.storage.sessions.revoke(sessionId, this.clock.now(), 'logout');
  }

  /** Ends every other open session of the user; returns how many ended. */
  async revokeOthers(
    userId: string,
    keepSessionId: string,
    reason: SessionEndReason,
  ): Promise<number> {
    return this.storage.sessions.revokeAllForUser(userId, this.clock.now(), reason, keepSessionId);
  }

  /** Marks the session elevated for STEP_UP_MS; returns the new deadline (ms). */
  async elevate(sessionId: string): Promise<number> {
    const until = this.clock.now() + STEP_UP_MS;
    await this.storage.sessions.setElevatedUntil(sessionId, until);
    return until;
  }

  /** Drops sessions that ended more than SESSION_RETENTION_MS ago. */
  async pruneEnded(): Promise<number> {
    return this.storage.sessions.pruneEndedBefore(
      this.clock.now() - SESSION_RETENTION_MS,
      SESSION_IDLE_MS,
      SESSION_ABSOLUTE_MS,
    );
  }
}

function unauthenticated() {
  return unauthorized('UNAUTHENTICATED', 'Sign in to continue.');
}
