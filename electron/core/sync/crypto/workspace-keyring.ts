import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { WorkspaceKey } from './workspace-key.js';

/**
 * The versions of one workspace's key that this device holds. Changes name the version they
 * were encrypted under, so every version stays: a rotation adds the next one and never
 * re-encrypts or drops history. New changes use the newest version.
 */
export class WorkspaceKeyring {
  readonly workspaceId: string;
  private readonly keys = new Map<number, WorkspaceKey>();

  constructor(workspaceId: string, keys: readonly WorkspaceKey[] = []) {
    this.workspaceId = workspaceId;
    for (const key of keys) this.add(key);
  }

  /** Adds a version; the same version twice must be the same key. */
  add(key: WorkspaceKey): void {
    if (key.workspaceId !== this.workspaceId) {
      throw new CofferError('INVALID_INPUT', 'That key belongs to another workspace.');
    }
    const held = this.keys.get(key.version);
    if (held !== undefined) {
      if (held.key.equals(key.key)) return;
      throw new CofferError(
        'CONFLICT',
        `This device already holds a different key for version ${key.version} of the workspace key.`,
      );
    }
    this.keys.set(key.version, { ...key, key: Buffer.from(key.key) });
  }

  /** KEY_VERSION_UNKNOWN when this device holds no such version (never had it, or joined later). */
  get(version: number): WorkspaceKey {
    const key = this.keys.get(version);
    if (key === undefined) {
      throw new CofferError(
        'KEY_VERSION_UNKNOWN',
        `This device holds no version ${version} of the workspace key.`,
        { workspaceId: this.workspaceId, keyVersion: version },
      );
    }
    return key;
  }

  has(version: number): boolean {
    return this.keys.has(version);
  }

  /** The newest version: what new changes are encrypted under. */
  current(): WorkspaceKey {
    const newest = Math.max(...this.keys.keys());
    if (!Number.isFinite(newest)) {
      throw new CofferError('KEY_VERSION_UNKNOWN', 'This device holds no key for the workspace.', {
        workspaceId: this.workspaceId,
      });
    }
    return this.get(newest);
  }

  versions(): number[] {
    return [...this.keys.keys()].sort((a, b) => a - b);
  }

  /** Wipes every key held, e.g. when the workspace is crypto-shredded. */
  wipe(): void {
    for (const key of this.keys.values()) key.key.fill(0);
    this.keys.clear();
  }
}
