/**
 * Payee rules: "payee contains AMZN → rename to Amazon, set category Shopping", applied in
 * order to each imported row. `category` in the create input is an id or a name, resolved
 * by the service like every other reference.
 */
import * as z from 'zod';
import { IdSchema, NameSchema, RefSchema } from './ledger.schema.js';

export const PAYEE_RULE_MATCH_KINDS = ['contains', 'equals', 'starts_with', 'regex'] as const;
export const PayeeRuleMatchKindSchema = z.enum(PAYEE_RULE_MATCH_KINDS);
export type PayeeRuleMatchKind = z.infer<typeof PayeeRuleMatchKindSchema>;

/** Longer patterns are refused: a regex is checked for backtracking, and that check is bounded. */
export const PAYEE_RULE_PATTERN_MAX = 200;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const PayeeRulePatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(PAYEE_RULE_PATTERN_MAX, `must be at most ${PAYEE_RULE_PATTERN_MAX} characters`)
  .refine((s) => s.trim().length > 0, 'must not be blank')
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

const TimestampSchema = z.number().int().nonnegative();

export const PayeeRuleSchema = z.object({
  id: IdSchema,
  /** Rules apply in position order, then id order (two devices may pick one position). */
  position: z.number().int(),
  matchKind: PayeeRuleMatchKindSchema,
  pattern: PayeeRulePatternSchema,
  renameTo: NameSchema.nullable(),
  categoryId: IdSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type PayeeRule = z.infer<typeof PayeeRuleSchema>;

export const PayeeRuleCreateInputSchema = z
  .strictObject({
    matchKind: PayeeRuleMatchKindSchema,
    pattern: PayeeRulePatternSchema,
    renameTo: NameSchema.optional(),
    category: RefSchema.optional(),
    /** 1-based place in the rule list; the end when omitted. */
    position: z.number().int().min(1, 'must be 1 or more').max(1_000_000).optional(),
  })
  .refine((r) => r.renameTo !== undefined || r.category !== undefined, {
    message: 'a rule must rename the payee or set a category (or both)',
    path: ['renameTo'],
  });
export type PayeeRuleCreateInput = z.input<typeof PayeeRuleCreateInputSchema>;
