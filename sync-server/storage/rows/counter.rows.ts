import type { CounterRecord } from '../counter.repository.js';

/** A row of counters (migrations/005-counters.ts) as both storage backends read it. */
export interface CounterRow {
  state: string;
  version: number;
  expires_at: number;
}

export const toCounter = (row: CounterRow): CounterRecord => ({
  state: row.state,
  version: row.version,
  expiresAt: row.expires_at,
});
