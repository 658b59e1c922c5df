import type { PayeeRuleMatchKind } from '../../../../shared/domain/payee-rule.schema.js';

export const MATCH_LABELS: Record<PayeeRuleMatchKind, string> = {
  contains: 'contains',
  equals: 'is exactly',
  starts_with: 'starts with',
  regex: 'matches the pattern',
};
