import { sessionState } from '../accounts/session.service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { EPOCH_ID_META } from '../storage/change-log.repository.js';
import type { Storage } from '../storage/storage.js';
import type { SeqAnnouncer } from './seq-announcer.js';

/** What the hub needs of a server-side WebSocket (the `ws` library's socket has it). */
export interface SyncSocket {
  send(data: string): void;
  close(code: number, reason: string): void;
  ping(): void;
  terminate(): void;
  on(event: 'message' | 'pong' | 'close', listener: () => void): unknown;
}

export interface SyncSocketLimits {
  /** Open sockets one session may hold across all its workspaces. */
  perSession: number;
  /** Open sockets on the whole server. */
  perServer: number;
  /** Ping interval; a peer that has not answered the previous ping by the next is dropped. */
  heartbeatMs: number;
}

export const DEFAULT_SYNC_SOCKET_LIMITS: SyncSocketLimits = {
  perSession: 4,
  perServer: 1_000,
  heartbeatMs: 15_000,
};

/** Close codes of the sync socket (4000–4999 is the range RFC 6455 leaves to applications). */
export const SOCKET_CLOSE = {
  sessionRevoked: { code: 4401, reason: 'SESSION_REVOKED' },
  sessionExpired: { code: 4401, reason: 'SESSION_EXPIRED' },
  workspaceGone: { code: 4404, reason: 'WORKSPACE_NOT_FOUND' },
  clientMessage: { code: 4400, reason: 'CLIENT_MESSAGES_REFUSED' },
  tooManyForSession: { code: 4429, reason: 'TOO_MANY_SOCKETS_FOR_SESSION' },
  tooManyOnServer: { code: 4429, reason: 'TOO_MANY_SOCKETS_ON_SERVER' },
  shuttingDown: { code: 1001, reason: 'SERVER_SHUTTING_DOWN' },
} as const;

type CloseReason = (typeof SOCKET_CLOSE)[keyof typeof SOCKET_CLOSE];

interface Listener {
  socket: SyncSocket;
  userId: string;
  sessionId: string;
  workspaceId: string;
  /** Answered the last ping. */
  alive: boolean;
}

interface WorkspaceChannel {
  listeners: Set<Listener>;
  unsubscribe: () => void;
}

/**
 * The open sync sockets: one-way announcements of new seqs to the members of a workspace.
 * Bounded per session and per server; the client may not speak (any message closes the
 * socket); a ping each heartbeat drops dead peers; and each heartbeat re-reads every
 * socket's session and membership, so a revoked or expired session or a removed member
 * loses the socket whichever code path ended it (and each announcement checks them first).
 */
export class SyncSocketHub {
  private readonly listeners = new Set<Listener>();
  private readonly channels = new Map<string, WorkspaceChannel>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      storage: Storage;
      clock: Clock;
      announcer: SeqAnnouncer;
      logger: Logger;
      limits: SyncSocketLimits;
    },
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  accept(
    socket: SyncSocket,
    who: { userId: string; sessionId: string; workspaceId: string },
  ): void {
    const { perServer, perSession } = this.deps.limits;
    if (this.listeners.size >= perServer) {
      closeWith(socket, SOCKET_CLOSE.tooManyOnServer);
      return;
    }
    let ofSession = 0;
    for (const listener of this.listeners) if (listener.sessionId === who.sessionId) ofSession++;
    if (ofSession >= perSession) {
      closeWith(socket, SOCKET_CLOSE.tooManyForSession);
      return;
    }
    const listener: Listener = { socket, ...who, alive: true };
    this.listeners.add(listener);
    this.channelOf(who.workspaceId).listeners.add(listener);
    socket.on('message', () => this.drop(listener, SOCKET_CLOSE.clientMessage));
    socket.on('pong', () => {
      listener.alive = true;
    });
    socket.on('close', () => this.forget(listener));
  }

  /** Pings every socket; terminates those that did not answer the previous ping. */
  heartbeat(): void {
    for (const listener of [...this.listeners]) {
      if (!listener.alive) {
        this.forget(listener);
        listener.socket.terminate();
        continue;
      }
      listener.alive = false;
      listener.socket.ping();
    }
  }

  /** Closes the sockets whose session ended or whose user left the workspace. */
  async recheck(): Promise<void> {
    await this.keepEntitled([...this.listeners]);
  }

  /** Runs the heartbeat and the re-check every `heartbeatMs` until `stop`. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.heartbeat();
      this.recheck().catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'sync socket re-check failed');
      });
    }, this.deps.limits.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const listener of [...this.listeners]) this.drop(listener, SOCKET_CLOSE.shuttingDown);
  }

  private channelOf(workspaceId: string): WorkspaceChannel {
    let channel = this.channels.get(workspaceId);
    if (channel === undefined) {
      const listeners = new Set<Listener>();
      // One announcement at a time per workspace, so seqs reach each socket in order.
      let tail = Promise.resolve();
      const unsubscribe = this.deps.announcer.subscribe(workspaceId, (seq) => {
        tail = tail
          .then(() => this.announce(listeners, seq))
          .catch((error: unknown) => {
            this.deps.logger.error({ err: error }, 'sync seq announcement failed');
          });
      });
      channel = { listeners, unsubscribe };
      this.channels.set(workspaceId, channel);
    }
    return channel;
  }

  /**
   * Every listener is re-checked before it is told, so an ended session or a removed member
   * hears nothing after the fact even between two heartbeats.
   */
  private async announce(listeners: Set<Listener>, seq: number): Promise<void> {
    const epoch = await this.deps.storage.meta.get(EPOCH_ID_META);
    const message = JSON.stringify({ type: 'seq', seq, epoch });
    for (const listener of await this.keepEntitled([...listeners])) {
      // Closed by its peer while the check ran.
      if (this.listeners.has(listener)) listener.socket.send(message);
    }
  }

  /**
   * The listeners whose session is active and whose user is still a member of the
   * workspace; the others are closed. One query for all the sessions and one per workspace
   * for its members, however many sockets: on PostgreSQL each query is a round trip, and
   * an announcement to a workspace's devices must not wait for two per device.
   */
  private async keepEntitled(listeners: readonly Listener[]): Promise<Listener[]> {
    if (listeners.length === 0) return [];
    const { storage } = this.deps;
    const sessionIds = [...new Set(listeners.map((listener) => listener.sessionId))];
    const sessions = new Map(
      (await storage.sessions.findManyById(sessionIds)).map((session) => [session.id, session]),
    );
    const members = new Set<string>();
    for (const workspaceId of new Set(listeners.map((listener) => listener.workspaceId))) {
      for (const member of await storage.workspaces.listMembers(workspaceId)) {
        members.add(memberKey(workspaceId, member.userId));
      }
    }
    const now = this.deps.clock.now();
    const kept: Listener[] = [];
    for (const listener of listeners) {
      const session = sessions.get(listener.sessionId);
      const state = session === undefined ? 'revoked' : sessionState(session, now);
      if (state !== 'active') {
        this.drop(
          listener,
          state === 'revoked' ? SOCKET_CLOSE.sessionRevoked : SOCKET_CLOSE.sessionExpired,
        );
      } else if (!members.has(memberKey(listener.workspaceId, listener.userId))) {
        this.drop(listener, SOCKET_CLOSE.workspaceGone);
      } else {
        kept.push(listener);
      }
    }
    return kept;
  }

  private drop(listener: Listener, reason: CloseReason): void {
    this.forget(listener);
    closeWith(listener.socket, reason);
  }

  private forget(listener: Listener): void {
    if (!this.listeners.delete(listener)) return;
    const channel = this.channels.get(listener.workspaceId);
    if (channel === undefined) return;
    channel.listeners.delete(listener);
    if (channel.listeners.size === 0) {
      channel.unsubscribe();
      this.channels.delete(listener.workspaceId);
    }
  }
}

function memberKey(workspaceId: string, userId: string): string {
  return `${workspaceId}\u0000${userId}`;
}

function closeWith(socket: SyncSocket, reason: CloseReason): void {
  socket.close(reason.code, reason.reason);
}
