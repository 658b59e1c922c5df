import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Cell, Checkbox, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { Link } from 'react-router';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { AccountActions } from './AccountActions.js';
import { AccountTotals } from './AccountTotals.js';
import { NewAccountForm } from './NewAccountForm.js';

/**
 * Every account with its balance in its own currency, totals per currency (never across
 * currencies), renaming and archiving, and a form to add one. An account's name opens its
 * ledger.
 */
export function AccountsScreen(): React.JSX.Element {
  const [showArchived, setShowArchived] = useState(false);
  const balances = useQuery({
    queryKey: ['balances', 'list', { includeArchived: showArchived }],
    queryFn: () => coffer().balances.list({ includeArchived: showArchived }),
  });
  return (
    <section aria-labelledby="accounts-heading" className="screen">
      <h1 id="accounts-heading">Accounts</h1>
      <Checkbox className="checkbox" isSelected={showArchived} onChange={setShowArchived}>
        <span className="checkbox-box" aria-hidden="true" />
        Show archived accounts
      </Checkbox>
      {balances.isPending && <Progress label="Loading accounts" />}
      {balances.isError && (
        <ErrorMessage error={balances.error} title="Accounts could not be loaded" />
      )}
      {balances.data !== undefined &&
        (balances.data.length === 0 ? (
          <p>No accounts yet. Add the first one below.</p>
        ) : (
          <>
            <Table aria-label="Accounts" className="table">
              <TableHeader>
                <Column isRowHeader>Name</Column>
                <Column>Currency</Column>
                <Column className="numeric">Balance</Column>
                <Column>Actions</Column>
              </TableHeader>
              <TableBody items={balances.data}>
                {(account) => (
                  <Row id={account.accountId}>
                    <Cell>
                      <Link
                        to={`/transactions?account=${encodeURIComponent(account.accountId)}`}
                        aria-label={`${account.name}: open its transactions`}
                      >
                        {account.name}
                      </Link>
                      {account.archived && <span className="tag"> (archived)</span>}
                    </Cell>
                    <Cell>{account.currency}</Cell>
                    <Cell className="numeric">
                      <Money minor={account.balanceMinor} currency={account.currency} />
                    </Cell>
                    <Cell>
                      <AccountActions account={account} />
                    </Cell>
                  </Row>
                )}
              </TableBody>
            </Table>
            <AccountTotals balances={balances.data.filter((b) => !b.archived)} />
          </>
        ))}
      <NewAccountForm />
    </section>
  );
}
