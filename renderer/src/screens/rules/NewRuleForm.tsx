import { useState } from 'react';
import { isApiError } from '../../../../shared/api/api-error.js';
import type { Category } from '../../../../shared/domain/ledger.schema.js';
import type {
  PayeeRuleCreateInput,
  PayeeRuleMatchKind,
} from '../../../../shared/domain/payee-rule.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import { MATCH_LABELS } from './match-labels.js';

const NO_CATEGORY = '';

/** Adds a rule at the end of the list; the core checks it (a regex for backtracking too). */
export function NewRuleForm({
  categories,
}: {
  categories: readonly Category[];
}): React.JSX.Element {
  const [matchKind, setMatchKind] = useState<PayeeRuleMatchKind>('contains');
  const [pattern, setPattern] = useState('');
  const [renameTo, setRenameTo] = useState('');
  const [category, setCategory] = useState(NO_CATEGORY);
  const add = useCofferMutation((input: PayeeRuleCreateInput) => coffer().rules.add(input), {
    onSuccess: () => {
      setPattern('');
      setRenameTo('');
      setCategory(NO_CATEGORY);
    },
  });
  const errors = isApiError(add.error) ? add.error.fieldErrors() : {};

  return (
    <form
      className="card form"
      aria-labelledby="new-rule-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({
          matchKind,
          pattern,
          ...(renameTo.trim() === '' ? {} : { renameTo }),
          ...(category === NO_CATEGORY ? {} : { category }),
        });
      }}
    >
      <h2 id="new-rule-heading">Add a rule</h2>
      <SelectInput
        label="When the payee"
        value={matchKind}
        onChange={(value) => setMatchKind(value as PayeeRuleMatchKind)}
        options={Object.entries(MATCH_LABELS).map(([id, label]) => ({ id, label }))}
      />
      <TextInput label="Text" value={pattern} onChange={setPattern} error={errors['pattern']} />
      <TextInput
        label="Rename to"
        value={renameTo}
        onChange={setRenameTo}
        error={errors['renameTo']}
        description="Leave empty to keep the bank's payee"
      />
      <SelectInput
        label="Set category"
        value={category}
        onChange={setCategory}
        options={[
          { id: NO_CATEGORY, label: 'Leave as it is' },
          ...categories.map((c) => ({ id: c.id, label: c.name })),
        ]}
      />
      <Button type="submit" variant="primary" isPending={add.isPending}>
        Add rule
      </Button>
      {add.isError && <ErrorMessage error={add.error} title="The rule was not added" />}
    </form>
  );
}
