import { createHash } from 'node:crypto';

import pg from 'pg';
import * as z from 'zod';

import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import type { Logger } from '../../logger.js';
import { InProcessSeqAnnouncer } from '../../sync/seq-announcer.js';
import type { SeqAnnouncer, SeqListener } from '../../sync/seq-announcer.js';
import type { ChangeLogRepository } from '../change-log.repository.js';
import type { PgDatabase } from './pg-database.js';

/** What travels in a notification: which workspace moved on and how far. Never a change. */
const notificationSchema = z.strictObject({
  w: z.string().regex(UUID_PATTERN),
  s: z.number().int().positive(),
});

/** First wait before reconnecting the listening connection, doubled up to the cap. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * The NOTIFY channel of one deployment. NOTIFY reaches every session of the database, and
 * deployments (and tests) may share a database with a schema each: the channel is named
 * after the schema, hashed because a channel name is an identifier of at most 63 bytes.
 */
export function seqChannel(schema: string): string {
  return `coffer_seq_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

/**
 * Announces new seqs to every server instance on one PostgreSQL database: `publish` sends a
 * NOTIFY through the storage's pool, and one dedicated connection per instance LISTENs and
 * tells the local subscribers (this instance's own pushes come back the same way, so every
 * instance hears them in the same order PostgreSQL delivers them).
 *
 * The listening connection is re-opened with backoff whenever it drops (PostgreSQL
 * restarted, the network failed). Notifications sent while it was down are lost, so after
 * each reconnect every workspace with local subscribers is told its head seq: a device
 * that pulls on it catches up, and one already current pulls an empty page.
 */
export class PgSeqAnnouncer implements SeqAnnouncer {
  /** This instance's sockets, told of what any instance announced. */
  private readonly local = new InProcessSeqAnnouncer();
  private client: pg.Client | undefined;
  private connected = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Settles when the current connection attempt has ended, either way. */
  private connecting: Promise<void> = Promise.resolve();

  private constructor(
    private readonly deps: {
      url: string;
      channel: string;
      db: PgDatabase;
      changeLog: ChangeLogRepository;
      logger: Logger;
    },
  ) {}

  /**
   * Starts listening; resolves once the first LISTEN is in place, so no push accepted after
   * start-up can go unannounced to this instance. Fails when the database cannot be reached.
   */
  static async start(deps: {
    url: string;
    db: PgDatabase;
    changeLog: ChangeLogRepository;
    logger: Logger;
  }): Promise<PgSeqAnnouncer> {
    const { rows } = await deps.db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const schema = rows[0]?.schema;
    if (schema === undefined) throw new Error('PostgreSQL names no current schema');
    const announcer = new PgSeqAnnouncer({ ...deps, channel: seqChannel(schema) });
    await announcer.connect();
    if (!announcer.connected) {
      await announcer.stop();
      throw new Error('could not LISTEN for seq announcements on PostgreSQL');
    }
    return announcer;
  }

  /** True while the listening connection is up: this instance hears other instances' pushes. */
  get listening(): boolean {
    return this.connected;
  }

  publish(workspaceId: string, seq: number): void {
    const payload = JSON.stringify({ w: workspaceId, s: seq });
    this.deps.db
      .query('SELECT pg_notify($1, $2)', [this.deps.channel, payload])
      .catch((error: unknown) => {
        // The change is committed; a device that missed the word finds it at its next pull.
        this.deps.logger.warn({ err: error, workspaceId }, 'seq announcement not sent');
      });
  }

  subscribe(workspaceId: string, listener: SeqListener): () => void {
    return this.local.subscribe(workspaceId, listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    if (client !== undefined) await client.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connecting = this.openListener();
    return this.connecting;
  }

  private async openListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.url });
    // Registered before connecting: an error event without a listener would end the process.
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    client.on('notification', (message) => this.heard(message.channel, message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.deps.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    const recovering = this.attempt > 0;
    this.client = client;
    this.connected = true;
    this.attempt = 0;
    if (recovering) {
      this.deps.logger.info('seq announcements: listening on PostgreSQL again');
      await this.announceHeads();
    }
  }

  private lost(client: pg.Client, error: Error | undefined): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.connected = false;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.stopped) return;
    this.attempt += 1;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** (this.attempt - 1));
    if (this.attempt === 1) {
      this.deps.logger.warn(
        { err: error },
        'seq announcements: lost the PostgreSQL connection, reconnecting',
      );
    }
    this.retryTimer = setTimeout(() => {
      this.connect().catch((connectError: unknown) => {
        this.deps.logger.error({ err: connectError }, 'seq announcements: reconnect failed');
      });
    }, delay);
    this.retryTimer.unref();
  }

  private heard(channel: string, payload: string | undefined): void {
    if (channel !== this.deps.channel || payload === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      parsed = undefined;
    }
    const result = notificationSchema.safeParse(parsed);
    if (!result.success) {
      this.deps.logger.warn('seq announcements: ignored a malformed notification');
      return;
    }
    this.tell(result.data.w, result.data.s);
  }

  private tell(workspaceId: string, seq: number): void {
    this.local.publish(workspaceId, seq);
  }

  /** After a reconnect: whatever was announced while deaf, each workspace's head covers it. */
  private async announceHeads(): Promise<void> {
    for (const workspaceId of this.local.watched()) {
      try {
        const head = await this.deps.changeLog.headSeq(workspaceId);
        if (head > 0) this.tell(workspaceId, head);
      } catch (error) {
        this.deps.logger.warn({ err: error, workspaceId }, 'seq announcements: no head seq');
      }
    }
  }
}
