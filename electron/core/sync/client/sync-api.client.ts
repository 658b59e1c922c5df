import type { ChangeEnvelope } from '../../../../shared/sync/change-envelope.js';
import {
  SnapshotInfoSchema,
  type SnapshotInfo,
  type SnapshotManifest,
} from '../../../../shared/sync/snapshot.js';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { SyncHttpClient } from './sync-http.client.js';

/** How the server answered each change of a push, in order. */
export interface PushResult {
  id: string;
  status: 'accepted' | 'rejected';
  seq?: number;
  reason?: { code: string; message: string };
}

export interface PushAnswer {
  /** The server's epoch id: a new one means it was restored and may have lost changes. */
  epoch: string;
  results: PushResult[];
}

export interface PullPage {
  epoch: string;
  changes: (ChangeEnvelope & { seq: number })[];
  nextAfter: number;
  more: boolean;
  /** The workspace's newest complete snapshot (null when none); absent from older servers. */
  snapshot?: { seq: number; createdAt: number } | null;
  /** The caller's role in the workspace now; absent from older servers. Checked before use. */
  role?: unknown;
}

/**
 * Push and pull of a workspace's encrypted changes over the existing routes: the seam the
 * sync engine (its loop, outbox and applier live elsewhere) calls. Bounds are the server's:
 * at most 5,000 changes and 1 MB a push; pages of the same size a pull.
 */
export class SyncApiClient {
  constructor(
    private readonly http: SyncHttpClient,
    private readonly token: string,
  ) {}

  push(workspaceId: string, changes: readonly ChangeEnvelope[]): Promise<PushAnswer> {
    return this.http.request('POST', `/v1/workspaces/${workspaceId}/sync/push`, {
      token: this.token,
      body: { changes },
    });
  }

  /** The workspace's invoice number bound to `invoiceId`: the same one on every retry. */
  invoiceNumber(
    workspaceId: string,
    invoiceId: string,
    notBelow?: number,
  ): Promise<{ invoiceId: string; number: number }> {
    return this.http.request('POST', `/v1/workspaces/${workspaceId}/invoice-numbers`, {
      token: this.token,
      body: notBelow === undefined ? { invoiceId } : { invoiceId, notBelow },
    });
  }

  pull(workspaceId: string, after: number, limit?: number): Promise<PullPage> {
    const query = new URLSearchParams({ after: String(after) });
    if (limit !== undefined) query.set('limit', String(limit));
    return this.http.request('GET', `/v1/workspaces/${workspaceId}/sync/pull?${query}`, {
      token: this.token,
    });
  }

  /** Starts a snapshot upload (admins only): docs/sync-merge.md, "Snapshots and bootstrap". */
  startSnapshot(workspaceId: string, manifest: SnapshotManifest): Promise<unknown> {
    return this.http.request('POST', `/v1/workspaces/${workspaceId}/snapshots`, {
      token: this.token,
      body: manifest,
    });
  }

  /** One sealed chunk; the server keeps the same bytes sent again. */
  putSnapshotChunk(
    workspaceId: string,
    snapshotId: string,
    index: number,
    sealed: Buffer,
  ): Promise<unknown> {
    return this.http.request(
      'PUT',
      `/v1/workspaces/${workspaceId}/snapshots/${snapshotId}/chunks/${index}`,
      { token: this.token, bytes: sealed },
    );
  }

  completeSnapshot(workspaceId: string, snapshotId: string): Promise<unknown> {
    return this.http.request(
      'POST',
      `/v1/workspaces/${workspaceId}/snapshots/${snapshotId}/complete`,
      { token: this.token },
    );
  }

  /** The newest complete snapshot, or null when the server answers 404 NO_SNAPSHOT. */
  async latestSnapshot(workspaceId: string): Promise<SnapshotInfo | null> {
    let answer: unknown;
    try {
      answer = await this.http.request('GET', `/v1/workspaces/${workspaceId}/snapshots/latest`, {
        token: this.token,
      });
    } catch (error) {
      if (isServerCode(error, 'NO_SNAPSHOT')) return null;
      throw error;
    }
    const info = SnapshotInfoSchema.safeParse(answer);
    if (!info.success) {
      throw new CofferError('SERVER_ERROR', 'The sync server described its snapshot wrongly.');
    }
    return info.data;
  }

  snapshotChunk(workspaceId: string, snapshotId: string, index: number): Promise<Buffer> {
    return this.http.requestBytes(
      'GET',
      `/v1/workspaces/${workspaceId}/snapshots/${snapshotId}/chunks/${index}`,
      { token: this.token },
    );
  }
}

/** A 404 that is not NO_SNAPSHOT: a server from before snapshots, which has no such route. */
export function isSnapshotRouteMissing(error: unknown): boolean {
  return (
    error instanceof CofferError &&
    error.details?.status === 404 &&
    !isServerCode(error, 'NO_SNAPSHOT')
  );
}

/** Whether `error` is the server's refusal with `serverCode` (sync-http.client.ts, refusal). */
export function isServerCode(error: unknown, serverCode: string): boolean {
  return (
    error instanceof CofferError &&
    (error.details as { serverCode?: unknown } | undefined)?.serverCode === serverCode
  );
}
