import type { FastifyError, FastifyInstance } from 'fastify';

import { SNAPSHOT_CHUNK_MAX_BYTES, SNAPSHOT_ERROR_CODES } from '../../../shared/sync/snapshot.js';
import type { SnapshotManifest } from '../../../shared/sync/snapshot.js';
import type { ServerDeps } from '../../deps.js';
import { LogPruningService } from '../../sync/log-pruning.service.js';
import { SnapshotService, noSnapshot } from '../../sync/snapshot.service.js';
import { workspaceOf } from '../../workspaces/workspace-access.js';
import { authOf } from '../auth-context.js';
import { HttpError } from '../errors.js';
import {
  chunkParams,
  snapshotErrors as errors,
  snapshotInfoSchema,
  snapshotManifestSchema,
  snapshotParams,
} from './snapshot.schemas.js';
import { workspaceParams } from './workspace.schemas.js';

const PREFIX = '/v1/workspaces/:id/snapshots';
const OCTET_STREAM = 'application/octet-stream';

const chunkTooLarge = (): HttpError =>
  new HttpError(
    413,
    'SNAPSHOT_CHUNK_TOO_LARGE',
    `A snapshot chunk is at most ${SNAPSHOT_CHUNK_MAX_BYTES} bytes.`,
  );

const notOctets = (): HttpError =>
  new HttpError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `Send the chunk's ciphertext as the body with Content-Type: ${OCTET_STREAM}.`,
  );

interface ChunkParams {
  id: string;
  snapshotId: string;
  index: number;
}

/**
 * Workspace snapshots (shared/sync/snapshot.ts; docs/sync-merge.md, "Snapshots and
 * bootstrap"). Writing needs the matrix action `snapshot` (admins), reading `read`. A
 * snapshot id is looked up in the caller's workspace only: another workspace's id is 404
 * like an unknown one.
 */
export async function snapshotRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const pruning = new LogPruningService({ storage: deps.storage, clock: deps.clock });
  const snapshots = new SnapshotService({ storage: deps.storage, clock: deps.clock, pruning });

  app.post<{ Params: { id: string }; Body: SnapshotManifest }>(
    PREFIX,
    {
      config: { auth: 'session', workspaceAction: 'snapshot' },
      schema: {
        summary: 'Start uploading a snapshot of the workspace (admin)',
        description:
          'The manifest of a snapshot a device wrote: every change with seq ≤ `seq` is in ' +
          'it, sealed under workspace key `keyVersion`, in `chunkCount` chunks of ' +
          '`byteLength` bytes in all. 201 when started, 200 when the same manifest was ' +
          'started before (upload its missing chunks). 400 SNAPSHOT_INVALID when `seq` is ' +
          'past the log or below what was pruned; 409 SNAPSHOT_ID_CONFLICT when another ' +
          'snapshot of the workspace has the id. Uploads not completed within 24 hours are ' +
          'dropped.',
        tags: ['snapshots'],
        params: workspaceParams,
        body: snapshotManifestSchema,
        response: { 200: snapshotManifestSchema, 201: snapshotManifestSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { userId } = authOf(request);
      const started = await snapshots.start(workspaceOf(request).id, userId, request.body);
      return reply.code(started.created ? 201 : 200).send(started.manifest);
    },
  );

  // Chunk bodies are raw bytes: in this scope octet-stream is the only media type parsed,
  // bounded by the chunk size rather than the server's JSON body limit.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      OCTET_STREAM,
      { parseAs: 'buffer', bodyLimit: SNAPSHOT_CHUNK_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.put<{ Params: ChunkParams }>(
      `${PREFIX}/:snapshotId/chunks/:index`,
      {
        config: { auth: 'session', workspaceAction: 'snapshot' },
        bodyLimit: SNAPSHOT_CHUNK_MAX_BYTES,
        // Fastify's own 413 and 415 name neither the limit nor the media type this takes.
        errorHandler: (error: FastifyError) => {
          if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw chunkTooLarge();
          if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw notOctets();
          throw error;
        },
        schema: {
          summary: 'Upload one chunk of a snapshot (admin)',
          description:
            `The body is the chunk's ciphertext as ${OCTET_STREAM}, 1–` +
            `${SNAPSHOT_CHUNK_MAX_BYTES} bytes (413 SNAPSHOT_CHUNK_TOO_LARGE). 204 when ` +
            'stored, and again for the same bytes. 400 SNAPSHOT_INVALID for an index past ' +
            'the manifest’s chunkCount, an empty chunk, or chunks adding up to more than its ' +
            'byteLength; 409 SNAPSHOT_CHUNK_CONFLICT when the index holds other bytes or the ' +
            'snapshot is complete; 404 SNAPSHOT_NOT_FOUND.',
          tags: ['snapshots'],
          consumes: [OCTET_STREAM],
          params: chunkParams,
          response: { 204: { type: 'null', description: 'Stored.' }, ...errors },
        },
      },
      async (request, reply) => {
        const body: unknown = request.body;
        if (body !== undefined && !Buffer.isBuffer(body)) throw notOctets();
        const { snapshotId, index } = request.params;
        await snapshots.putChunk(
          workspaceOf(request).id,
          snapshotId,
          index,
          body ?? Buffer.alloc(0),
        );
        return reply.code(204).send();
      },
    );
  });

  app.post<{ Params: { id: string; snapshotId: string } }>(
    `${PREFIX}/:snapshotId/complete`,
    {
      config: { auth: 'session', workspaceAction: 'snapshot' },
      schema: {
        summary: 'Complete a snapshot upload (admin)',
        description:
          'Once every chunk is there: the snapshot becomes the workspace’s newest unless a ' +
          'complete one of a higher seq exists, older complete ones are deleted (a ' +
          'workspace keeps one), and the log is pruned below it as far as every active ' +
          'device has pulled. Answers the completed snapshot. 409 SNAPSHOT_INCOMPLETE with ' +
          '`error.details.missing` (the chunk indexes still to upload); 400 SNAPSHOT_INVALID ' +
          'when the chunks add up to fewer bytes than the manifest said; 404 ' +
          'SNAPSHOT_NOT_FOUND.',
        tags: ['snapshots'],
        params: snapshotParams,
        response: { 200: snapshotInfoSchema, ...errors },
      },
    },
    async (request) => snapshots.complete(workspaceOf(request).id, request.params.snapshotId),
  );

  app.get<{ Params: { id: string } }>(
    `${PREFIX}/latest`,
    {
      config: { auth: 'session', workspaceAction: 'read' },
      schema: {
        summary: 'The workspace’s newest complete snapshot (every role)',
        description: `404 ${SNAPSHOT_ERROR_CODES.noSnapshot} when it has none yet: pull from seq 0.`,
        tags: ['snapshots'],
        params: workspaceParams,
        response: { 200: snapshotInfoSchema, ...errors },
      },
    },
    async (request) => {
      const newest = await snapshots.newest(workspaceOf(request).id);
      if (newest === null) throw noSnapshot();
      return newest;
    },
  );

  app.get<{ Params: ChunkParams }>(
    `${PREFIX}/:snapshotId/chunks/:index`,
    {
      config: { auth: 'session', workspaceAction: 'read' },
      schema: {
        summary: 'Download one chunk of a complete snapshot (every role)',
        description:
          `The chunk's ciphertext as ${OCTET_STREAM}. 404 SNAPSHOT_NOT_FOUND for an ` +
          'unknown snapshot, one still uploading, or one replaced by a newer one (ask for ' +
          'the latest again); 400 SNAPSHOT_INVALID for an index past its chunkCount.',
        tags: ['snapshots'],
        produces: [OCTET_STREAM],
        params: chunkParams,
        response: {
          200: { type: 'string', format: 'binary', description: 'The chunk’s ciphertext.' },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { snapshotId, index } = request.params;
      const bytes = await snapshots.readChunk(workspaceOf(request).id, snapshotId, index);
      return reply.type(OCTET_STREAM).send(bytes);
    },
  );
}
