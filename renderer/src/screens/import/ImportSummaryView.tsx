import type { ImportStatementFileResult } from '../../../../shared/domain/import-result.js';
import { Button } from '../../ui/Button.js';
import { skippedByReason } from './import-text.js';

/** What the import did, and why rows were not added. */
export function ImportSummaryView({
  result,
  onAnother,
}: {
  result: ImportStatementFileResult;
  onAnother: () => void;
}): React.JSX.Element {
  return (
    <section className="card" aria-labelledby="summary-heading" data-testid="import-summary">
      <h2 id="summary-heading">Import finished</h2>
      <dl className="import-counts">
        <dt>Added</dt>
        <dd data-testid="summary-added">{result.created}</dd>
        <dt>Skipped as already imported</dt>
        <dd data-testid="summary-duplicates">{result.skippedAsImported}</dd>
        <dt>Flagged for review</dt>
        <dd data-testid="summary-flagged">{result.flaggedForReview}</dd>
        <dt>Lines skipped</dt>
        <dd data-testid="summary-skipped">{result.skippedLines.total}</dd>
      </dl>
      {result.statements.map((s) => (
        <p key={`${s.line}-${s.accountId}`}>
          {s.accountName}: {s.created} added of {s.rows}
          {s.bankAccountId !== null && ` (bank account ${s.bankAccountId})`}
        </p>
      ))}
      {result.skippedLines.total > 0 && <p>Skipped lines: {skippedByReason(result).join('; ')}.</p>}
      {result.flagged.length > 0 && (
        <>
          <p>
            These rows look like transactions already in Coffer from elsewhere. They were added and
            wait for you under Needs review:
          </p>
          <ul>
            {result.flagged.slice(0, 20).map((f) => (
              <li key={f.transactionId}>
                Line {f.line}: {f.detail}
              </li>
            ))}
          </ul>
        </>
      )}
      {result.categoriesCreated.length > 0 && (
        <p>Categories created: {result.categoriesCreated.join(', ')}</p>
      )}
      {result.categoriesLeft.length > 0 && (
        <p>Left uncategorised (unknown categories): {result.categoriesLeft.join(', ')}</p>
      )}
      {result.profile !== null && (
        <p data-testid="summary-profile">
          The way this file was read is saved as a profile for files with the same columns: next
          time a statement from this bank is read the same way, with no questions.
        </p>
      )}
      {result.remembered.length > 0 && (
        <p>
          Remembered bank account {result.remembered.map((r) => r.bankAccountId).join(', ')} for
          this account: its next statements go there by themselves.
        </p>
      )}
      <Button onPress={onAnother}>Import another file</Button>
    </section>
  );
}
