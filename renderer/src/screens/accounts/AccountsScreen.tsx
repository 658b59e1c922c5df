import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { NewAccountForm } from './NewAccountForm.js';

/** Every account with its balance in its own currency, and a form to add one. */
export function AccountsScreen(): React.JSX.Element {
  const balances = useQuery({
    queryKey: ['balances', 'list'],
    queryFn: () => coffer().balances.list({}),
  });
  return (
    <section aria-labelledby="accounts-heading" className="screen">
      <h1 id="accounts-heading">Accounts</h1>
      {balances.isPending && <Progress label="Loading accounts" />}
      {balances.isError && (
        <ErrorMessage error={balances.error} title="Accounts could not be loaded" />
      )}
      {balances.data !== undefined &&
        (balances.data.length === 0 ? (
          <p>No accounts yet. Add the first one below.</p>
        ) : (
          <Table aria-label="Accounts" className="table">
            <TableHeader>
              <Column isRowHeader>Name</Column>
              <Column>Currency</Column>
              <Column className="numeric">Balance</Column>
            </TableHeader>
            <TableBody items={balances.data}>
              {(account) => (
                <Row id={account.accountId}>
                  <Cell>{account.name}</Cell>
                  <Cell>{account.currency}</Cell>
                  <Cell className="numeric">
                    <Money minor={account.balanceMinor} currency={account.currency} />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
      <NewAccountForm />
    </section>
  );
}
