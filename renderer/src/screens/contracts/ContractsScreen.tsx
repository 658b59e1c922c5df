import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { Link, useSearchParams } from 'react-router';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { CONTRACT_STATUS_LABELS, StatusBadge } from '../invoicing/status-labels.js';
import { ContractDetail } from './ContractDetail.js';
import { ContractForm } from './ContractForm.js';
import '../invoicing/invoicing.css';

/** Contracts with clients, each with its document kept inside the vault. */
export function ContractsScreen(): React.JSX.Element {
  const [params, setParams] = useSearchParams();
  const contracts = useQuery({
    queryKey: ['contracts', 'list', {}],
    queryFn: () => coffer().contracts.list({}),
  });
  const selected = contracts.data?.find((c) => c.id === params.get('id'));
  return (
    <section aria-labelledby="contracts-heading" className="screen">
      <h1 id="contracts-heading">Contracts</h1>
      {contracts.isPending && <Progress label="Loading contracts" />}
      {contracts.isError && (
        <ErrorMessage error={contracts.error} title="Contracts could not be loaded" />
      )}
      {contracts.data !== undefined &&
        (contracts.data.length === 0 ? (
          <p>No contracts yet. Add the first one below.</p>
        ) : (
          <Table aria-label="Contracts" className="table">
            <TableHeader>
              <Column isRowHeader>Title</Column>
              <Column>Client</Column>
              <Column>Status</Column>
              <Column>Document</Column>
            </TableHeader>
            <TableBody items={contracts.data}>
              {(contract) => (
                <Row id={contract.id}>
                  <Cell>
                    <Link to={`/contracts?id=${contract.id}`}>{contract.title}</Link>
                  </Cell>
                  <Cell>{contract.clientName}</Cell>
                  <Cell>
                    <StatusBadge
                      status={contract.status}
                      label={CONTRACT_STATUS_LABELS[contract.status]}
                    />
                  </Cell>
                  <Cell>{contract.attachment?.fileName ?? 'None'}</Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
      {selected !== undefined && <ContractDetail key={selected.id} contract={selected} />}
      <ContractForm onCreated={(id) => setParams({ id })} />
    </section>
  );
}
