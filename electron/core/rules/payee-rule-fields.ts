import type { PayeeRule } from '../../../shared/domain/payee-rule.schema.js';
import type { Fields } from '../sync/edited-fields.js';

/** What a payee_rules change carries: the rule's fields (camelCase) minus its id. */
export function payeeRuleFields(rule: PayeeRule): Fields {
  const fields: Fields = { ...rule };
  delete fields.id;
  return fields;
}
