/**
 * Fills a workspace's change log through the storage layer (`changeLog.append`), in big
 * batches: each batch is one transaction of the real repository, so the rows, seqs and
 * head are exactly what pushes would have left, without a million HTTP requests.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';
import type { Storage } from '../../sync-server/storage/storage.js';

/** Sealed bytes per change: a transaction's fields, padded, as the app seals them. */
export const FILL_CIPHERTEXT_BYTES = 160;

export async function fillChangeLog(
  storage: Storage,
  options: { workspaceId: string; changes: number; batch: number },
): Promise<void> {
  const [member] = await storage.workspaces.listMembers(options.workspaceId);
  if (member === undefined) throw new Error(`workspace ${options.workspaceId} has no member`);
  const [session] = await storage.sessions.listForUser(member.userId);
  if (session === undefined) throw new Error('the workspace owner has no session');
  for (let done = 0; done < options.changes; done += options.batch) {
    const size = Math.min(options.batch, options.changes - done);
    const outcomes = await storage.changeLog.append(
      options.workspaceId,
      Array.from({ length: size }, envelope),
      { userId: member.userId, sessionId: session.id, receivedAt: Date.now() },
    );
    if (outcomes.some((outcome) => outcome.status !== 'appended')) {
      throw new Error('a fill batch was not appended in full');
    }
  }
}

function envelope(): ChangeEnvelope {
  return {
    id: randomUUID(),
    collection: 'transactions',
    keyVersion: 1,
    nonce: randomBytes(12).toString('base64url'),
    ciphertext: randomBytes(FILL_CIPHERTEXT_BYTES).toString('base64url'),
  };
}
