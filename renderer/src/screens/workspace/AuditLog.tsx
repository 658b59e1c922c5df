import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { workspaceAuditActionWords } from '../../../../shared/api/workspace-audit-actions.js';
import type { WorkspaceMember } from '../../../../shared/api/workspace.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import {
  AUDIT_EVENT_TYPES,
  AUDIT_OUTCOME_WORDS,
  NO_FILTERS,
  auditQuery,
  type AuditFilters,
} from './audit-filters.js';
import { formatServerTime } from './workspace-queries.js';
import { SERVER_QUERY } from '../../api/query-sources.js';

const PAGE = 10;

/** The workspace's audit log, newest first, filtered and paged by the server's cursor. */
export function AuditLog({ members }: { members: WorkspaceMember[] }): React.JSX.Element {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  // The cursors of the pages seen so far: the last is the page shown (null: the first).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const page = useQuery({
    queryKey: ['workspace', 'audit', filters, cursor],
    meta: SERVER_QUERY,
    queryFn: () => coffer().workspace.audit(auditQuery(filters, cursor, PAGE)),
    placeholderData: keepPreviousData,
  });
  const filter = (patch: Partial<AuditFilters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setCursors([null]);
  };
  const memberOptions = [
    { id: '', label: 'All members' },
    ...members.map((m) => ({ id: m.userId, label: m.email })),
  ];
  return (
    <>
      <div className="filter-row" role="group" aria-label="Audit log filters">
        <SelectInput
          label="Event type"
          value={filters.action}
          onChange={(action) => filter({ action })}
          options={AUDIT_EVENT_TYPES}
        />
        <SelectInput
          label="Member"
          value={filters.userId}
          onChange={(userId) => filter({ userId })}
          options={memberOptions}
        />
        <TextInput
          label="From"
          type="date"
          value={filters.from}
          onChange={(from) => filter({ from })}
        />
        <TextInput label="To" type="date" value={filters.to} onChange={(to) => filter({ to })} />
        <Checkbox
          className="checkbox"
          isSelected={filters.includeReads}
          onChange={(includeReads) => filter({ includeReads })}
        >
          <span className="checkbox-box" aria-hidden="true" />
          Show reads too (devices fetching keys, members and changes)
        </Checkbox>
      </div>
      {page.isPending ? (
        <Progress label="Reading the audit log" />
      ) : page.isError ? (
        <ErrorMessage error={page.error} title="Audit log not read" />
      ) : (
        <>
          <table className="table" aria-busy={page.isFetching}>
            <caption className="visually-hidden">Audit log</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Member</th>
                <th scope="col">Event</th>
                <th scope="col">Outcome</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {page.data.entries.length === 0 && (
                <tr>
                  <td colSpan={5}>No events match.</td>
                </tr>
              )}
              {page.data.entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatServerTime(entry.at)}</td>
                  <td>
                    <AuditMember email={entry.email} userId={entry.userId} />
                  </td>
                  <td>
                    <AuditEvent action={entry.action} />
                    {entry.repeats > 1 && ` ×${entry.repeats}`}
                  </td>
                  <td>
                    {AUDIT_OUTCOME_WORDS[entry.outcome]}
                    {entry.errorCode !== null && (
                      <code className="audit-detail">{entry.errorCode}</code>
                    )}
                  </td>
                  <td>{entry.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="button-row">
            <Button
              isDisabled={cursors.length < 2 || page.isFetching}
              onPress={() => setCursors((seen) => seen.slice(0, -1))}
            >
              Newer events
            </Button>
            <Button
              isDisabled={page.data.nextCursor === null || page.isFetching}
              onPress={() => setCursors((seen) => [...seen, page.data.nextCursor])}
            >
              Older events
            </Button>
            <p role="status" className="status-line">
              Page {cursors.length}
              {page.isFetching ? ', loading…' : ''}
            </p>
          </div>
        </>
      )}
    </>
  );
}

/** What the request did, in words when this version knows them, and the route it was. */
function AuditEvent({ action }: { action: string }): React.JSX.Element {
  const words = workspaceAuditActionWords(action);
  if (words === null) return <code>{action}</code>;
  return (
    <>
      {words}
      <code className="audit-detail">{action}</code>
    </>
  );
}

/**
 * Who made the request: a member by their address; someone who is no longer a member by
 * the account id the server kept (their address left with them); a deleted account by
 * nothing (the server keeps only a pseudonym). Every workspace route needs a session.
 */
function AuditMember({
  email,
  userId,
}: {
  email: string | null;
  userId: string | null;
}): React.JSX.Element {
  if (email !== null) return <>{email}</>;
  if (userId === null) return <>A deleted account</>;
  return (
    <>
      Not a member now
      <code className="audit-detail">{userId}</code>
    </>
  );
}
