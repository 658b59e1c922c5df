import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Transaction } from '../../../../shared/domain/ledger.schema.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { filterFromParams, withParam, type FilterParam } from './ledger-filter.js';
import { LedgerFilters } from './LedgerFilters.js';
import { LedgerList } from './LedgerList.js';
import { QuickEntryRow } from './QuickEntryRow.js';
import { TransactionDialog } from './TransactionDialog.js';
import { useLedgerRefs } from './use-ledger-refs.js';
import { useWorkspaceCan } from '../workspace/use-workspace-can.js';
import './ledger.css';

/** Every transaction, newest first: type new ones at the top, filter, search and edit. */
export function LedgerScreen(): React.JSX.Element {
  const [params, setParams] = useSearchParams();
  const refs = useLedgerRefs();
  const [editing, setEditing] = useState<Transaction | null>(null);
  // A workspace role that may not push money changes gets no way to make one here.
  const edit = useWorkspaceCan('push_data');
  const filter = filterFromParams(params);
  const onFilter = useCallback(
    (name: FilterParam, value: string) => setParams((now) => withParam(now, name, value)),
    [setParams],
  );

  return (
    <section aria-labelledby="ledger-heading" className="screen ledger">
      <h1 id="ledger-heading">Transactions</h1>
      {refs.isPending && <Progress label="Loading accounts and categories" />}
      {refs.error !== null && (
        <ErrorMessage error={refs.error} title="Accounts and categories could not be loaded" />
      )}
      {!refs.isPending && refs.accounts.length === 0 && (
        <p>Add an account on the Accounts screen before entering transactions.</p>
      )}
      {edit.allowed && !refs.isPending && refs.accounts.length > 0 && (
        <QuickEntryRow refs={refs} defaultAccountId={filter.accountId} />
      )}
      <LedgerFilters params={params} onChange={onFilter} refs={refs} />
      <LedgerList filter={filter} refs={refs} onOpen={setEditing} />
      {editing !== null && edit.allowed && (
        <TransactionDialog
          key={editing.id}
          transaction={editing}
          refs={refs}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}
