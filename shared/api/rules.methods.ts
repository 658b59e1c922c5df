/** Payee rules an import applies: rename the payee, set a category. */
import * as z from 'zod';
import { RefSchema } from '../domain/ledger.schema.js';
import { PayeeRuleCreateInputSchema, type PayeeRule } from '../domain/payee-rule.schema.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';

export const RULE_METHODS = {
  list: apiMethod<PayeeRule[]>()(EmptyInputSchema),
  add: apiMethod<PayeeRule>()(PayeeRuleCreateInputSchema),
  remove: apiMethod<PayeeRule>()(z.strictObject({ ref: RefSchema })),
} as const;
