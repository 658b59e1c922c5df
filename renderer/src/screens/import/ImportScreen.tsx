import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import type { StatementFileInput } from '../../../../shared/api/import.methods.js';
import type {
  ImportStatementFileResult,
  StatementFormat,
} from '../../../../shared/domain/import-result.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { ColumnMappingEditor } from './ColumnMappingEditor.js';
import { neededChoice } from './import-choice.js';
import { ImportPreviewView } from './ImportPreviewView.js';
import { ImportSummaryView } from './ImportSummaryView.js';
import { NeedsChoice } from './NeedsChoice.js';
import { ReadingSettingsEditor } from './ReadingSettingsEditor.js';
import {
  FORMAT_LABELS,
  guessFormat,
  namesItsAccount,
  type PickedStatement,
} from './statement-file.js';
import { StatementFilePicker } from './StatementFilePicker.js';
import { useImportProgress } from './use-import-progress.js';
import './import.css';

const BY_BANK_ID = 'by-bank-id';

/**
 * Import a bank statement: pick the file and the account, look at the preview (the same
 * code as the CLI's --dry-run), answer what the file leaves open, fix the column mapping,
 * then import and read what was added and skipped.
 */
export function ImportScreen(): React.JSX.Element {
  const [picked, setPicked] = useState<PickedStatement | null>(null);
  const [format, setFormat] = useState<StatementFormat>('csv');
  const [account, setAccount] = useState<string>('');
  const [readerOptions, setReaderOptions] = useState<Record<string, unknown>>({});
  const [createCategories, setCreateCategories] = useState(false);
  const [result, setResult] = useState<ImportStatementFileResult | null>(null);

  const accounts = useQuery({
    queryKey: ['accounts', 'list', {}],
    queryFn: () => coffer().accounts.list({}),
  });
  const accountRef = account === BY_BANK_ID ? '' : account || (accounts.data?.[0]?.id ?? '');

  const input: StatementFileInput | null =
    picked === null
      ? null
      : {
          fileName: picked.name,
          contentBase64: picked.contentBase64,
          format,
          ...(accountRef === '' ? {} : { account: accountRef }),
          createCategories,
          readerOptions,
        };
  const preview = useQuery({
    // The file is named by its pick id, not its bytes: the key stays small.
    queryKey: [
      'imports',
      'preview',
      { file: picked?.id, format, account: accountRef, readerOptions, createCategories },
    ],
    queryFn: () => coffer().imports.preview(input as StatementFileInput),
    enabled: input !== null && result === null,
  });
  const run = useCofferMutation((i: StatementFileInput) => coffer().imports.run(i), {
    onSuccess: setResult,
  });
  const done = useImportProgress(run.isPending);

  const reset = (): void => {
    setPicked(null);
    setReaderOptions({});
    setResult(null);
    run.reset();
  };
  const choice = preview.isError ? neededChoice(preview.error) : null;

  return (
    <section aria-labelledby="import-heading" className="screen">
      <h1 id="import-heading">Import a statement</h1>
      {result !== null ? (
        <ImportSummaryView result={result} onAnother={reset} />
      ) : (
        <>
          <div className="card form">
            <StatementFilePicker
              picked={picked}
              onPick={(file) => {
                setPicked(file);
                setFormat(guessFormat(file.name));
                setReaderOptions({});
              }}
            />
            <SelectInput
              label="Format"
              value={format}
              onChange={(value) => {
                setFormat(value as StatementFormat);
                setReaderOptions({});
              }}
              options={Object.entries(FORMAT_LABELS).map(([id, label]) => ({ id, label }))}
            />
            {accounts.isError && (
              <ErrorMessage error={accounts.error} title="Accounts could not be loaded" />
            )}
            {accounts.data !== undefined && accounts.data.length === 0 && (
              <p>Add an account first (Accounts): statements are imported into one.</p>
            )}
            {accounts.data !== undefined && accounts.data.length > 0 && (
              <SelectInput
                label="Into account"
                value={account || (accounts.data[0]?.id ?? '')}
                onChange={setAccount}
                options={[
                  ...accounts.data.map((a) => ({ id: a.id, label: `${a.name} (${a.currency})` })),
                  ...(namesItsAccount(format)
                    ? [{ id: BY_BANK_ID, label: 'The account remembered for its bank id' }]
                    : []),
                ]}
              />
            )}
            <Checkbox
              className="checkbox"
              isSelected={createCategories}
              onChange={setCreateCategories}
            >
              <span className="checkbox-box" aria-hidden="true" />
              Create the categories the file names that Coffer does not have yet
            </Checkbox>
          </div>
          {preview.isFetching && <Progress label="Reading the statement" />}
          {choice !== null && (
            <NeedsChoice
              key={choice.setting}
              choice={choice}
              onChoose={(option, value) =>
                setReaderOptions((current) => ({ ...current, [option]: value }))
              }
            />
          )}
          {preview.isError && choice === null && (
            <ErrorMessage error={preview.error} title="The statement cannot be imported as it is" />
          )}
          {preview.data !== undefined && !preview.isError && (
            <>
              <ImportPreviewView preview={preview.data} />
              <ReadingSettingsEditor
                key={JSON.stringify(preview.data.settings)}
                settings={preview.data.settings}
                onApply={(options) => setReaderOptions((current) => ({ ...current, ...options }))}
              />
              {format === 'csv' && preview.data.columns.length > 0 && (
                <ColumnMappingEditor
                  key={JSON.stringify(preview.data.columns)}
                  columns={preview.data.columns}
                  onApply={(mapping) => setReaderOptions((current) => ({ ...current, mapping }))}
                />
              )}
              <div className="card">
                <Button
                  variant="primary"
                  isPending={run.isPending}
                  isDisabled={input === null || preview.isFetching}
                  onPress={() => {
                    if (input !== null) run.mutate(input);
                  }}
                >
                  Import {preview.data.created} row(s)
                </Button>
                {run.isPending && (
                  <Progress
                    label={
                      done === null
                        ? 'Importing (the count shows as the core reports it)'
                        : `Importing: ${done} of ${preview.data.rows} rows`
                    }
                    {...(done === null ? {} : { value: done, total: preview.data.rows })}
                  />
                )}
                {run.isError && <ErrorMessage error={run.error} title="Nothing was imported" />}
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
