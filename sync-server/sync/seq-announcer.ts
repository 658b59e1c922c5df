/** Called with the newest seq of a workspace after a push committed changes there. */
export type SeqListener = (seq: number) => void;

/**
 * Tells whoever listens on a workspace that its change log grew. Only the seq travels,
 * never a change: the server has no content to give, and a client pulls what it lacks.
 * One process fans out in memory (InProcessSeqAnnouncer); several server processes over
 * one PostgreSQL database use LISTEN/NOTIFY (storage/postgres/pg-seq-announcer.ts).
 */
export interface SeqAnnouncer {
  publish(workspaceId: string, seq: number): void;
  /** Returns the call that stops listening. */
  subscribe(workspaceId: string, listener: SeqListener): () => void;
  /**
   * False while announcements from elsewhere cannot arrive (the connection they come on is
   * down); readiness reports it. An in-process announcer has no such connection.
   */
  readonly listening?: boolean;
  /** Lets go of whatever the announcer holds open. */
  stop?(): Promise<void>;
}

export class InProcessSeqAnnouncer implements SeqAnnouncer {
  private readonly listeners = new Map<string, Set<SeqListener>>();

  publish(workspaceId: string, seq: number): void {
    // A copy: a listener that unsubscribes while being told must not skip its neighbour.
    for (const listener of [...(this.listeners.get(workspaceId) ?? [])]) listener(seq);
  }

  subscribe(workspaceId: string, listener: SeqListener): () => void {
    let set = this.listeners.get(workspaceId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(workspaceId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(workspaceId);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(workspaceId);
    };
  }

  /** The workspaces someone listens on now. */
  watched(): string[] {
    return [...this.listeners.keys()];
  }
}
