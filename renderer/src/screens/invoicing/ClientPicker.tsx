import { useQuery } from '@tanstack/react-query';
import type { Client } from '../../../../shared/domain/invoicing.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';

export const CLIENTS_KEY = ['clients', 'list', {}] as const;

export function useClients(): ReturnType<typeof useQuery<Client[]>> {
  return useQuery({ queryKey: CLIENTS_KEY, queryFn: () => coffer().clients.list({}) });
}

/** Choose one of the vault's clients; `onChange` gets the client so a form can take its defaults. */
export function ClientPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (client: Client) => void;
  error?: string | undefined;
}): React.JSX.Element {
  const clients = useClients();
  if (clients.isPending) return <Progress label="Loading clients" />;
  if (clients.isError)
    return <ErrorMessage error={clients.error} title="Clients could not be loaded" />;
  if (clients.data.length === 0) {
    return (
      <p className="field-error">
        No clients yet: <a href="#/clients">add a client</a> first.
      </p>
    );
  }
  return (
    <div>
      <SelectInput
        label="Client"
        value={value}
        onChange={(id) => {
          const client = clients.data.find((c) => c.id === id);
          if (client !== undefined) onChange(client);
        }}
        options={clients.data.map((c) => ({ id: c.id, label: c.name }))}
      />
      {error !== undefined && <p className="field-error">{error}</p>}
    </div>
  );
}
