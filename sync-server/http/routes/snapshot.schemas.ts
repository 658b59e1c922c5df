/**
 * JSON Schemas of the snapshot routes. Manifest and info are derived from the zod schemas
 * of shared/sync/snapshot.ts, so the wire shape is defined once.
 */
import * as z from 'zod';

import {
  SNAPSHOT_MAX_CHUNKS,
  SnapshotInfoSchema,
  SnapshotManifestSchema,
} from '../../../shared/sync/snapshot.js';
import { errorResponseSchema } from '../schemas.js';
import { workspaceParams } from './workspace.schemas.js';

const jsonSchemaOf = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' });
  return rest;
};

export const snapshotManifestSchema = jsonSchemaOf(SnapshotManifestSchema);
export const snapshotInfoSchema = jsonSchemaOf(SnapshotInfoSchema);

const snapshotIdSchema = {
  type: 'string',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'The snapshot id its manifest gave (a lowercase UUID).',
} as const;

export const snapshotParams = {
  type: 'object',
  required: ['id', 'snapshotId'],
  additionalProperties: false,
  properties: { ...workspaceParams.properties, snapshotId: snapshotIdSchema },
} as const;

export const chunkParams = {
  type: 'object',
  required: ['id', 'snapshotId', 'index'],
  additionalProperties: false,
  properties: {
    ...snapshotParams.properties,
    index: {
      type: 'integer',
      minimum: 0,
      maximum: SNAPSHOT_MAX_CHUNKS - 1,
      description: 'The chunk’s place, from 0.',
    },
  },
} as const;

export const snapshotErrors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  413: errorResponseSchema,
  415: errorResponseSchema,
  429: errorResponseSchema,
} as const;
