import { useState } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { Client } from '../../../../shared/domain/invoicing.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { useClients } from '../invoicing/ClientPicker.js';
import { ConfirmButton } from '../invoicing/ConfirmButton.js';
import { ClientForm } from './ClientForm.js';
import '../invoicing/invoicing.css';

/** The people and companies invoiced: list, add, edit, and delete one no document names. */
export function ClientsScreen(): React.JSX.Element {
  const clients = useClients();
  const [editing, setEditing] = useState<Client | null>(null);
  const remove = useCofferMutation((client: Client) => coffer().clients.delete({ ref: client.id }));

  return (
    <section aria-labelledby="clients-heading" className="screen">
      <h1 id="clients-heading">Clients</h1>
      {clients.isPending && <Progress label="Loading clients" />}
      {clients.isError && (
        <ErrorMessage error={clients.error} title="Clients could not be loaded" />
      )}
      {remove.isError && <ErrorMessage error={remove.error} title="The client was not deleted" />}
      {remove.isPending && <Progress label="Deleting the client" />}
      {clients.data !== undefined &&
        (clients.data.length === 0 ? (
          <p>No clients yet. Add the first one below.</p>
        ) : (
          <Table aria-label="Clients" className="table">
            <TableHeader>
              <Column isRowHeader>Name</Column>
              <Column>Email</Column>
              <Column>Currency</Column>
              <Column>Actions</Column>
            </TableHeader>
            <TableBody items={clients.data}>
              {(client) => (
                <Row id={client.id}>
                  <Cell>{client.name}</Cell>
                  <Cell>{client.email ?? ''}</Cell>
                  <Cell>{client.defaultCurrency ?? ''}</Cell>
                  <Cell>
                    <div className="button-row">
                      <Button aria-label={`Edit ${client.name}`} onPress={() => setEditing(client)}>
                        Edit
                      </Button>
                      <ConfirmButton
                        label="Delete"
                        ariaLabel={`Delete ${client.name}`}
                        title={`Delete ${client.name}?`}
                        body="The client goes from every list. A client with invoices, quotes, payments, schedules or contracts cannot be deleted."
                        confirmLabel="Delete client"
                        onConfirm={() => remove.mutate(client)}
                      />
                    </div>
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
      {editing !== null ? (
        <ClientForm key={editing.id} client={editing} onDone={() => setEditing(null)} />
      ) : (
        <ClientForm />
      )}
    </section>
  );
}
