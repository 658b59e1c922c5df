import { queryOptions } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { SERVER_QUERY } from '../../api/query-sources.js';

/** The members list; on an admin's device, reading it also shares the key with new members. */
export const membersQuery = queryOptions({
  queryKey: ['workspace', 'members'],
  meta: SERVER_QUERY,
  queryFn: () => coffer().workspace.members({}),
});

export const policyQuery = queryOptions({
  queryKey: ['workspace', 'policy'],
  meta: SERVER_QUERY,
  queryFn: () => coffer().workspace.policy({}),
});

export const sessionsQuery = queryOptions({
  queryKey: ['workspace', 'sessions'],
  meta: SERVER_QUERY,
  queryFn: () => coffer().workspace.sessions({}),
});

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A server time (ISO 8601) for people. */
export function formatServerTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateTime.format(ms);
}
