import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { ConflictValueView, ConflictView } from '../../../../shared/api/conflicts.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { AmountTextSchema, readAmount } from '../../ui/amount-field.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { fieldName, formatConflictValue, kindName, takesTypedAmount } from './conflict-format.js';

type Keep = 'mine' | 'theirs' | { value: number };

/**
 * One money field two devices changed at once: both values side by side, where and when each
 * was written, and the choice of one (or, for an amount, another typed in). The choice syncs
 * to every device and clears the same conflict there.
 */
export function ConflictCard({ conflict }: { conflict: ConflictView }): React.JSX.Element {
  const resolve = useCofferMutation((keep: Keep) =>
    coffer().conflicts.resolve({ id: conflict.id, keep }),
  );
  const headingId = `conflict-${conflict.id}`;
  const what = fieldName(conflict.field);
  return (
    <article className="card review-card" aria-labelledby={headingId} data-testid="conflict-card">
      <h2 id={headingId}>
        {what} changed on two devices: {kindName(conflict.collection)}
        {conflict.label === null ? '' : ` ${conflict.label}`}
      </h2>
      {conflict.recordDeleted && <p className="muted">This record has since been deleted.</p>}
      <div className="review-pair">
        <KeptSide
          title="Shown now"
          conflict={conflict}
          kept={conflict.mine}
          action={`Keep ${formatConflictValue(conflict, conflict.mine.value)}`}
          pending={resolve.isPending}
          onKeep={() => resolve.mutate('mine')}
        />
        <KeptSide
          title="Also kept"
          conflict={conflict}
          kept={conflict.theirs}
          action={`Keep ${formatConflictValue(conflict, conflict.theirs.value)}`}
          pending={resolve.isPending}
          onKeep={() => resolve.mutate('theirs')}
        />
      </div>
      {takesTypedAmount(conflict) && (
        <OtherAmount
          conflict={conflict}
          pending={resolve.isPending}
          onKeep={(minor) => resolve.mutate({ value: minor })}
        />
      )}
      {resolve.isError && <ErrorMessage error={resolve.error} title="Not resolved" />}
    </article>
  );
}

function KeptSide({
  title,
  conflict,
  kept,
  action,
  pending,
  onKeep,
}: {
  title: string;
  conflict: ConflictView;
  kept: ConflictValueView;
  action: string;
  pending: boolean;
  onKeep: () => void;
}): React.JSX.Element {
  return (
    <section className="review-side" aria-label={title}>
      <h3>{title}</h3>
      <p className="conflict-value">{formatConflictValue(conflict, kept.value)}</p>
      <dl className="review-fields">
        <dt>Changed on</dt>
        <dd>{kept.thisDevice ? 'This device' : 'Another device'}</dd>
        <dt>When</dt>
        <dd>{kept.editedAt === null ? 'Unknown' : new Date(kept.editedAt).toLocaleString()}</dd>
      </dl>
      <Button isPending={pending} onPress={onKeep}>
        {action}
      </Button>
    </section>
  );
}

const OtherSchema = z.object({ amount: AmountTextSchema });

function OtherAmount({
  conflict,
  pending,
  onKeep,
}: {
  conflict: ConflictView & { currency: string };
  pending: boolean;
  onKeep: (minor: number) => void;
}): React.JSX.Element {
  const form = useForm<z.input<typeof OtherSchema>, unknown, z.output<typeof OtherSchema>>({
    resolver: zodResolver(OtherSchema),
    defaultValues: { amount: '' },
  });
  const submit = form.handleSubmit(({ amount }) => {
    const read = readAmount(amount, conflict.currency);
    if ('error' in read) form.setError('amount', { message: read.error });
    else onKeep(read.minor);
  });
  return (
    <form
      className="form conflict-other"
      aria-label={`Another ${fieldName(conflict.field).toLowerCase()}`}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <Controller
        control={form.control}
        name="amount"
        render={({ field, fieldState }) => (
          <TextInput
            label={`Or another amount (${conflict.currency})`}
            inputMode="decimal"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Button type="submit" isPending={pending}>
        Keep this amount
      </Button>
    </form>
  );
}
