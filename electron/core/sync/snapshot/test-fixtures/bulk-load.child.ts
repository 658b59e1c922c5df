/**
 * Child process for the bulk load's crash proofs: `node --import tsx bulk-load.child.ts DIR
 * KEY_FILE SNAPSHOT_FILE`, SNAPSHOT_FILE a JSON `{ workspaceId, key (hex), manifest, chunks
 * (base64) }` written by the test. Opens the vault, keeps its page cache small so the load
 * writes pages into the database file before its commit, and loads the snapshot; with
 * COFFER_FAULT_INJECT set it is killed at that point of the load. Before the last chunk is
 * read it prints `{"grewBy":N}`, how far the file has grown in the load so far.
 */
import * as fs from 'node:fs';
import type { SnapshotManifest } from '../../../../../shared/sync/snapshot.js';
import { KeyFileKeyStore } from '../../../vault/key-file.key-store.js';
import { openVault } from '../../../vault/vault.js';
import { vaultDbPath } from '../../../vault/vault-files.js';
import { WorkspaceKeyring } from '../../crypto/workspace-keyring.js';
import { bulkLoadSnapshot } from '../snapshot-bulk-load.js';
import { snapshotEntries } from '../snapshot-codec.js';

/** Pages: far fewer than the load writes, so most are written before the commit. */
const SMALL_CACHE_PAGES = 32;

const [dir, keyFile, snapshotFile] = process.argv.slice(2);
if (dir === undefined || keyFile === undefined || snapshotFile === undefined) {
  throw new Error('usage: bulk-load.child.ts DIR KEY_FILE SNAPSHOT_FILE');
}
const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as {
  workspaceId: string;
  key: string;
  manifest: SnapshotManifest;
  chunks: string[];
};
const keyring = new WorkspaceKeyring(snapshot.workspaceId, [
  { workspaceId: snapshot.workspaceId, version: 1, key: Buffer.from(snapshot.key, 'hex') },
]);
const vault = await openVault({ dir, keyStore: new KeyFileKeyStore(keyFile) });
vault.db.pragma(`cache_size = ${SMALL_CACHE_PAGES}`);
const sizeBefore = fs.statSync(vaultDbPath(dir)).size;
const { manifest } = snapshot;
const result = bulkLoadSnapshot(
  vault,
  manifest.seq,
  snapshotEntries(manifest, keyring, (index) => {
    if (index === manifest.chunkCount - 1) {
      const grewBy = fs.statSync(vaultDbPath(dir)).size - sizeBefore;
      process.stdout.write(`${JSON.stringify({ grewBy })}\n`);
    }
    return Buffer.from(snapshot.chunks[index]!, 'base64');
  }),
);
vault.close();
process.stdout.write(`${JSON.stringify({ loaded: result.records })}\n`);
