import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { PayeeRule } from '../../../../shared/domain/payee-rule.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { NewRuleForm } from './NewRuleForm.js';
import { MATCH_LABELS } from './match-labels.js';

/** Payee rules, in the order an import applies them, and a form to add one. */
export function RulesScreen(): React.JSX.Element {
  const rules = useQuery({ queryKey: ['rules', 'list'], queryFn: () => coffer().rules.list({}) });
  const categories = useQuery({
    queryKey: ['categories', 'list', {}],
    queryFn: () => coffer().categories.list({}),
  });
  const remove = useCofferMutation((rule: PayeeRule) => coffer().rules.remove({ ref: rule.id }));
  const categoryName = (id: string | null) =>
    id === null ? '' : (categories.data?.find((c) => c.id === id)?.name ?? '');

  return (
    <section aria-labelledby="rules-heading" className="screen">
      <h1 id="rules-heading">Payee rules</h1>
      <p>
        An import applies these to each row, first to last: when a bank&apos;s payee text matches,
        the payee is renamed and the category set. The import&apos;s preview shows what they did.
      </p>
      {rules.isPending && <Progress label="Loading the rules" />}
      {rules.isError && <ErrorMessage error={rules.error} title="The rules could not be loaded" />}
      {rules.data !== undefined &&
        (rules.data.length === 0 ? (
          <p>No rules yet.</p>
        ) : (
          <Table aria-label="Payee rules" className="table">
            <TableHeader>
              <Column>Order</Column>
              <Column isRowHeader>When the payee</Column>
              <Column>Rename to</Column>
              <Column>Category</Column>
              <Column>
                <span className="visually-hidden">Actions</span>
              </Column>
            </TableHeader>
            <TableBody items={rules.data}>
              {(rule) => (
                <Row id={rule.id}>
                  <Cell>{rule.position}</Cell>
                  <Cell>
                    {MATCH_LABELS[rule.matchKind]} <code>{rule.pattern}</code>
                  </Cell>
                  <Cell>{rule.renameTo ?? ''}</Cell>
                  <Cell>{categoryName(rule.categoryId)}</Cell>
                  <Cell>
                    <Button
                      variant="danger"
                      aria-label={`Remove the rule for ${rule.pattern}`}
                      onPress={() => remove.mutate(rule)}
                    >
                      Remove
                    </Button>
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
      {remove.isError && <ErrorMessage error={remove.error} title="The rule was not removed" />}
      <NewRuleForm categories={categories.data ?? []} />
    </section>
  );
}
