import { useState } from 'react';
import type { ColumnUse } from '../../../../shared/domain/import-result.js';
import { Button } from '../../ui/Button.js';
import { SelectInput } from '../../ui/SelectInput.js';

/** The fields a CSV column can go to, as the CSV reader names them. */
const FIELDS: readonly { field: string; label: string }[] = [
  { field: 'date', label: 'Date' },
  { field: 'amount', label: 'Amount' },
  { field: 'debit', label: 'Debit (money out)' },
  { field: 'credit', label: 'Credit (money in)' },
  { field: 'indicator', label: 'Debit/credit indicator' },
  { field: 'payee', label: 'Payee' },
  { field: 'memo', label: 'Memo' },
  { field: 'category', label: 'Category' },
  { field: 'id', label: "Bank's transaction id" },
  { field: 'currency', label: 'Currency' },
  { field: 'status', label: 'Status (pending rows skipped)' },
];
const NONE = 'none';

/**
 * Which column holds which field, starting from what the preview used. Columns are sent by
 * position (from 1), which also names the columns of a file without a header row.
 */
export function ColumnMappingEditor({
  columns,
  onApply,
}: {
  columns: readonly ColumnUse[];
  onApply: (mapping: Record<string, number>) => void;
}): React.JSX.Element {
  const initial = Object.fromEntries(
    FIELDS.map(({ field }) => {
      const index = columns.findIndex((c) => c.field === field);
      return [field, index === -1 ? NONE : String(index + 1)];
    }),
  );
  const [chosen, setChosen] = useState<Record<string, string>>(initial);
  const options = [
    { id: NONE, label: 'Not used (kept in notes)' },
    ...columns.map((c, i) => ({ id: String(i + 1), label: `${i + 1}: ${c.column}` })),
  ];
  return (
    <section className="card" aria-labelledby="mapping-heading">
      <h3 id="mapping-heading">Column mapping</h3>
      <p>Change where a column goes and the preview is read again with it.</p>
      <div className="mapping-grid">
        {FIELDS.map(({ field, label }) => (
          <SelectInput
            key={field}
            label={label}
            value={chosen[field] ?? NONE}
            onChange={(value) => setChosen((current) => ({ ...current, [field]: value }))}
            options={options}
          />
        ))}
      </div>
      <Button
        onPress={() =>
          onApply(
            Object.fromEntries(
              Object.entries(chosen)
                .filter(([, v]) => v !== NONE)
                .map(([field, v]) => [field, Number(v)]),
            ),
          )
        }
      >
        Preview with this mapping
      </Button>
    </section>
  );
}
