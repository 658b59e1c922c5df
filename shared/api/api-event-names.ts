/** The events the core sends windows unasked; apart from the envelope's schemas, no zod. */
export const API_EVENT_NAMES = [
  /** The app lock engaged or released; data: { locked: boolean }. */
  'lock.changed',
  /** Progress of a long call; data: { task: string, done: number, total: number | null }. */
  'progress',
  /** Records changed; data: { collections: string[] } so screens refetch. */
  'data.changed',
  /** The vault's sync changed (signed in or out, the loop's state); data: SyncAccountStatus. */
  'sync.status',
  /** Another device's changes were applied here; data: { applied, conflicts } so screens refetch. */
  'sync.applied',
  /**
   * The core crypto-shredded the open vault (its session revoked, or its account removed
   * from the workspace) and closed it; data: { code, message } saying why.
   */
  'vault.removed',
] as const;
export type ApiEventName = (typeof API_EVENT_NAMES)[number];
