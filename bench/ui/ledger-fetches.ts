/**
 * How many ledger pages a scroll made the page fetch, read from the WebSocket frames of
 * web mode's `/api`: the calls to the `transactions` service the page sent, and how many
 * transactions their answers carried (an array result, or an array under `items`).
 */
import { ApiRequestSchema, ApiServerMessageSchema } from '../../shared/api/api-envelope.js';

export const LEDGER_SERVICE = 'transactions';

export interface LedgerFetches {
  /** `transactions.*` calls sent. */
  calls: number;
  /** Of those, the answered ones that carried a list of transactions. */
  lists: number;
  /** Transactions in those lists. */
  rows: number;
}

export function countLedgerFetches(
  sent: readonly string[],
  received: readonly string[],
): LedgerFetches {
  const ledgerIds = new Set<number>();
  for (const text of sent) {
    const request = ApiRequestSchema.safeParse(parseJson(text));
    if (request.success && request.data.service === LEDGER_SERVICE) ledgerIds.add(request.data.id);
  }
  let lists = 0;
  let rows = 0;
  for (const text of received) {
    const message = ApiServerMessageSchema.safeParse(parseJson(text));
    if (!message.success || message.data.type !== 'result') continue;
    if (!ledgerIds.has(message.data.id) || !message.data.result.ok) continue;
    const listed = listLength(message.data.result.value);
    if (listed === null) continue;
    lists += 1;
    rows += listed;
  }
  return { calls: ledgerIds.size, lists, rows };
}

function listLength(value: unknown): number | null {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) {
    const items = (value as Record<string, unknown>)['items'];
    if (Array.isArray(items)) return items.length;
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
