import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { ImportPreview } from '../../../../shared/domain/import-result.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { settingOverride, settingSource, skippedByReason, skipReason } from './import-text.js';

const OUTCOME_TEXT = { new: 'New', already_imported: 'Already imported', flagged: 'New, flagged' };

/** Everything the preview returned: the same facts the CLI's --dry-run prints. */
export function ImportPreviewView({ preview }: { preview: ImportPreview }): React.JSX.Element {
  return (
    <section
      aria-labelledby="preview-heading"
      className="import-preview"
      data-testid="import-preview"
    >
      <h2 id="preview-heading">Preview: nothing is written yet</h2>
      <p data-testid="preview-counts">
        Would import {preview.created} of {preview.rows} row(s)
        {preview.statements.length > 0 &&
          ` into ${preview.statements.map((s) => s.accountName).join(', ')}`}
        ; {preview.skippedAsImported} already imported; {preview.flaggedForReview} to be flagged for
        review.
      </p>
      {preview.warnings.length > 0 && (
        <ul className="import-warnings" aria-label="Warnings">
          {preview.warnings.map((w) => (
            <li key={w}>Warning: {w}</li>
          ))}
        </ul>
      )}
      {preview.settings.length > 0 && (
        <>
          <h3>How the file was read</h3>
          <Table aria-label="Settings" className="table">
            <TableHeader>
              <Column isRowHeader>Setting</Column>
              <Column>Value</Column>
              <Column>Source</Column>
              <Column>Change with</Column>
            </TableHeader>
            <TableBody items={preview.settings.map((s, i) => ({ ...s, key: i }))}>
              {(s) => (
                <Row id={s.key}>
                  <Cell>{s.name}</Cell>
                  <Cell>{s.value}</Cell>
                  <Cell>{settingSource(s)}</Cell>
                  <Cell>{settingOverride(s)}</Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        </>
      )}
      {preview.columns.length > 0 && (
        <>
          <h3>Columns</h3>
          <Table aria-label="Columns" className="table" data-testid="preview-columns">
            <TableHeader>
              <Column isRowHeader>Column</Column>
              <Column>Goes to</Column>
            </TableHeader>
            <TableBody items={preview.columns.map((c, i) => ({ ...c, key: i }))}>
              {(c) => (
                <Row id={c.key}>
                  <Cell>{c.column}</Cell>
                  <Cell>{c.field === 'notes' ? 'notes (kept, not mapped)' : c.field}</Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        </>
      )}
      <h3>First {preview.firstRows.length} row(s) as they would be stored</h3>
      {preview.firstRows.length === 0 ? (
        <p>No rows.</p>
      ) : (
        <Table aria-label="First rows" className="table" data-testid="preview-rows">
          <TableHeader>
            <Column isRowHeader>Line</Column>
            <Column>Date</Column>
            <Column className="numeric">Amount</Column>
            <Column>Payee</Column>
            <Column>Category</Column>
            <Column>Notes</Column>
            <Column>Outcome</Column>
          </TableHeader>
          <TableBody items={preview.firstRows}>
            {(r) => (
              <Row id={r.line}>
                <Cell>{r.line}</Cell>
                <Cell>{formatIsoDate(r.date)}</Cell>
                <Cell className="numeric">
                  <Money minor={r.amountMinor} currency={r.currency} />
                </Cell>
                <Cell>{r.payee ?? '—'}</Cell>
                <Cell>
                  {r.category ??
                    (r.splits.length > 0
                      ? r.splits.map((s) => s.category).join(', ')
                      : 'Uncategorised')}
                </Cell>
                <Cell className="import-notes">{r.notes}</Cell>
                <Cell>
                  {OUTCOME_TEXT[r.outcome]}
                  {r.review !== null && `: ${r.review.detail}`}
                </Cell>
              </Row>
            )}
          </TableBody>
        </Table>
      )}
      {preview.skippedLines.total > 0 && (
        <>
          <h3>Lines that would be skipped</h3>
          <p>{skippedByReason(preview).join('; ')}</p>
          <ul className="import-skips" aria-label="Skipped lines">
            {preview.skippedLines.lines.slice(0, 20).map((l) => (
              <li key={l.line}>
                Line {l.line}: {skipReason(l.reason)} — <code>{l.text}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.categoriesCreated.length > 0 && (
        <p>Categories to create: {preview.categoriesCreated.join(', ')}</p>
      )}
      {preview.categoriesLeft.length > 0 && (
        <p>
          Unknown categories, rows left uncategorised (named in the notes):{' '}
          {preview.categoriesLeft.join(', ')}
        </p>
      )}
      {preview.rulesApplied.length > 0 && (
        <ul aria-label="Payee rules applied">
          {preview.rulesApplied.map((r) => (
            <li key={r.ruleId}>
              Rule {r.description}: {r.rows} row(s)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
