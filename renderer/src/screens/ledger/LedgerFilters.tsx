import { useEffect, useRef, useState } from 'react';
import { Input, Label, SearchField } from 'react-aria-components';
import { isIsoDate, isIsoMonth } from '../../../../shared/dates/iso-date.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import type { FilterParam } from './ledger-filter.js';
import type { LedgerRefs } from './use-ledger-refs.js';

const ALL = 'all';
/** Typing in the search box waits this long for a pause before asking the core. */
const SEARCH_PAUSE_MS = 250;

export function LedgerFilters({
  params,
  onChange,
  refs,
}: {
  params: URLSearchParams;
  onChange: (name: FilterParam, value: string) => void;
  refs: LedgerRefs;
}): React.JSX.Element {
  return (
    <div className="ledger-filters" role="search" aria-label="Filter transactions">
      <SearchBox initial={params.get('q') ?? ''} onSearch={(text) => onChange('q', text)} />
      <SelectInput
        label="Account"
        value={params.get('account') || ALL}
        onChange={(value) => onChange('account', value === ALL ? '' : value)}
        options={[
          { id: ALL, label: 'All accounts' },
          ...refs.accounts.map((a) => ({
            id: a.id,
            label: a.archived ? `${a.name} (archived)` : a.name,
          })),
        ]}
      />
      <SelectInput
        label="Category"
        value={params.get('category') || ALL}
        onChange={(value) => onChange('category', value === ALL ? '' : value)}
        options={[
          { id: ALL, label: 'All categories' },
          ...refs.categories.map((c) => ({ id: c.id, label: c.name })),
        ]}
      />
      <CheckedField
        label="Month"
        format="YYYY-MM"
        value={params.get('month') ?? ''}
        isValid={isIsoMonth}
        problem="Write the month as YYYY-MM"
        onValid={(value) => onChange('month', value)}
      />
      <CheckedField
        label="From"
        format="YYYY-MM-DD"
        value={params.get('from') ?? ''}
        isValid={isIsoDate}
        problem="Write a date as YYYY-MM-DD"
        onValid={(value) => onChange('from', value)}
      />
      <CheckedField
        label="To"
        format="YYYY-MM-DD"
        value={params.get('to') ?? ''}
        isValid={isIsoDate}
        problem="Write a date as YYYY-MM-DD"
        onValid={(value) => onChange('to', value)}
      />
    </div>
  );
}

function SearchBox({
  initial,
  onSearch,
}: {
  initial: string;
  onSearch: (text: string) => void;
}): React.JSX.Element {
  const [text, setText] = useState(initial);
  // The latest callback, read when the pause ends: a re-render must not restart the wait.
  const latest = useRef(onSearch);
  latest.current = onSearch;
  useEffect(() => {
    if (text.trim() === initial.trim()) return undefined;
    const timer = setTimeout(() => latest.current(text.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, initial]);
  return (
    <SearchField
      className="field ledger-search"
      value={text}
      onChange={setText}
      onSubmit={(value) => onSearch(value.trim())}
      maxLength={200}
    >
      <Label className="label">Search</Label>
      <Input placeholder="Payee, notes or memo" />
    </SearchField>
  );
}

/** A filter field applied once what is typed is valid (or empty); otherwise it says why. */
function CheckedField({
  label,
  format,
  value,
  isValid,
  problem,
  onValid,
}: {
  label: string;
  format: string;
  value: string;
  isValid: (text: string) => boolean;
  problem: string;
  onValid: (value: string) => void;
}): React.JSX.Element {
  const [text, setText] = useState(value);
  const trimmed = text.trim();
  const ok = trimmed === '' || isValid(trimmed);
  return (
    <TextInput
      label={label}
      description={format}
      value={text}
      onChange={(next) => {
        setText(next);
        const t = next.trim();
        if (t === '' || isValid(t)) onValid(t);
      }}
      error={ok ? undefined : problem}
    />
  );
}
