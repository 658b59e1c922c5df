import { useState } from 'react';
import { FieldError, Input, Label, TextField } from 'react-aria-components';
import type { BudgetSetInput } from '../../../../shared/domain/ledger.schema.js';
import { minorToDecimalString } from '../../../../shared/money/format-money.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { readAmount } from '../../ui/amount-field.js';

/**
 * A category's budget typed in place: Enter (or leaving the field) saves it, an empty
 * field removes it, and what is wrong is said beside it.
 */
export function BudgetAmountField({
  categoryId,
  categoryName,
  month,
  currency,
  budgetedMinor,
}: {
  categoryId: string;
  categoryName: string;
  month: string;
  currency: string;
  budgetedMinor: number;
}): React.JSX.Element {
  const shown = budgetedMinor === 0 ? '' : minorToDecimalString(budgetedMinor, currency);
  const [text, setText] = useState(shown);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const save = useCofferMutation((input: BudgetSetInput | null) =>
    input === null
      ? coffer().budgets.remove({ month, category: categoryId })
      : coffer().budgets.set(input),
  );

  const commit = (): void => {
    const typed = text.trim();
    if (typed === shown) return;
    if (typed === '') {
      if (budgetedMinor !== 0) save.mutate(null, { onError: (e) => setProblem(e.message) });
      return;
    }
    const amount = readAmount(typed, currency);
    if ('error' in amount) {
      setProblem(amount.error);
      return;
    }
    if (amount.minor < 0) {
      setProblem('A budget cannot be negative');
      return;
    }
    setProblem(undefined);
    save.mutate(
      { month, categoryId, amountMinor: amount.minor, currency },
      { onError: (error) => setProblem(error.message) },
    );
  };

  return (
    <TextField
      className="budget-field"
      value={text}
      onChange={(next) => {
        setText(next);
        setProblem(undefined);
      }}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
        if (event.key === 'Escape') {
          setText(shown);
          setProblem(undefined);
        }
      }}
      isInvalid={problem !== undefined}
      validationBehavior="aria"
      aria-busy={save.isPending}
    >
      <Label className="visually-hidden">Budget for {categoryName}</Label>
      <Input inputMode="decimal" placeholder="No budget" />
      <FieldError className="field-error">{problem}</FieldError>
    </TextField>
  );
}
