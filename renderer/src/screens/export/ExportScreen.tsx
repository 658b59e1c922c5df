import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { coffer } from '../../api/coffer-client.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import { IsoMonthSchema } from '../../../../shared/dates/iso-date.js';
import { DownloadAction } from './DownloadAction.js';

const ALL = 'all';

/**
 * Take data out: a backup (encrypted, restorable on first run) and exports (plaintext, for
 * a spreadsheet or another app). Each arrives as a file the browser saves.
 */
export function ExportScreen(): React.JSX.Element {
  const accounts = useQuery({
    queryKey: ['accounts', 'list', {}],
    queryFn: () => coffer().accounts.list({}),
  });
  const [account, setAccount] = useState(ALL);
  const [month, setMonth] = useState('');
  const monthError =
    month.trim() === '' || IsoMonthSchema.safeParse(month.trim()).success
      ? undefined
      : 'Write the month as YYYY-MM, or leave it empty for every month';
  const csvFilter = {
    ...(account === ALL ? {} : { account }),
    ...(month.trim() === '' || monthError !== undefined ? {} : { month: month.trim() }),
  };

  return (
    <section aria-labelledby="export-heading" className="screen">
      <h1 id="export-heading">Export and backup</h1>
      <section className="card" aria-labelledby="backup-heading">
        <h2 id="backup-heading">Backup</h2>
        <p>
          A consistent copy of the whole vault, still encrypted. It opens on this computer, or
          anywhere with your Recovery Key: restore it from the first screen of a new Coffer.
        </p>
        <DownloadAction
          label="Download a backup"
          pendingLabel="Making the backup"
          fetch={() => coffer().exports.backup({})}
        />
      </section>
      <section className="card" aria-labelledby="json-heading">
        <h2 id="json-heading">Everything as JSON</h2>
        <p>
          Every record of the vault in Coffer&apos;s JSON export format.{' '}
          <strong>The file is not encrypted:</strong> keep it safe and delete it when done.
        </p>
        <DownloadAction
          label="Export as JSON"
          pendingLabel="Exporting the vault"
          fetch={() => coffer().exports.vaultJson({})}
        />
      </section>
      <section className="card form" aria-labelledby="csv-heading">
        <h2 id="csv-heading">Transactions as CSV</h2>
        <p>
          For a spreadsheet; Coffer imports it back. <strong>The file is not encrypted.</strong>
        </p>
        <SelectInput
          label="Account"
          value={account}
          onChange={setAccount}
          options={[
            { id: ALL, label: 'All accounts' },
            ...(accounts.data ?? []).map((a) => ({ id: a.id, label: `${a.name} (${a.currency})` })),
          ]}
        />
        <TextInput
          label="Month"
          description="YYYY-MM; empty for every month"
          value={month}
          onChange={setMonth}
          error={monthError}
        />
        <DownloadAction
          label="Export transactions as CSV"
          pendingLabel="Exporting transactions"
          isDisabled={monthError !== undefined}
          fetch={() => coffer().exports.transactionsCsv(csvFilter)}
        />
      </section>
    </section>
  );
}
