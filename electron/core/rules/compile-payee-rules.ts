import type { PayeeRule } from '../../../shared/domain/payee-rule.schema.js';
import { foldText } from './fold-text.js';
import type { PayeeRuleMatch, PayeeRuleMatcher } from './payee-rule-matcher.js';
import { compileSafeRegex, REGEX_TEXT_MAX } from './safe-regex.js';

interface CompiledRule {
  test(folded: string, raw: string): boolean;
  /** The match to return, by which text matched. */
  onPayee: PayeeRuleMatch;
  onMemo: PayeeRuleMatch;
}

const KIND_WORDS: Record<PayeeRule['matchKind'], string> = {
  contains: 'contains',
  equals: 'equals',
  starts_with: 'starts with',
  regex: 'matches',
};

/**
 * Builds the matcher an import uses: every pattern folded or compiled here, once, so a row
 * costs one folding of its text and a string test per rule. A rule whose category has been
 * deleted still renames, says in its description that the category is not set, and is
 * skipped when renaming was all it had left to do.
 */
export function compilePayeeRules(
  rules: readonly PayeeRule[],
  liveCategories: ReadonlyMap<string, string>,
): PayeeRuleMatcher {
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    const categoryName = rule.categoryId === null ? null : liveCategories.get(rule.categoryId);
    const categoryId = categoryName === undefined ? null : rule.categoryId;
    if (rule.renameTo === null && categoryId === null) continue;
    const outcome = [
      ...(rule.renameTo === null ? [] : [rule.renameTo]),
      ...(categoryName === undefined
        ? ['(its category was deleted: category not set)']
        : categoryName === null
          ? []
          : [categoryName]),
    ].join(', ');
    const shown = rule.matchKind === 'regex' ? `/${rule.pattern}/` : `"${rule.pattern}"`;
    const match = (field: string): PayeeRuleMatch => ({
      ruleId: rule.id,
      description: `${field} ${KIND_WORDS[rule.matchKind]} ${shown} → ${outcome}`,
      renameTo: rule.renameTo,
      categoryId,
    });
    compiled.push({ test: tester(rule), onPayee: match('payee'), onMemo: match('memo') });
  }
  if (compiled.length === 0) return { match: () => null };
  // A statement repeats a few hundred payee texts over thousands of rows: each text is
  // folded and tested once. Bounded, so a file of all-different texts does not grow it.
  const seen = new Map<string, PayeeRuleMatch | null>();
  return {
    match({ payee, memo }) {
      const usePayee = payee !== null && payee.trim() !== '';
      const raw = usePayee ? payee : memo;
      if (raw === null || raw.trim() === '') return null;
      const key = `${usePayee ? 'p' : 'm'}${raw}`;
      const known = seen.get(key);
      if (known !== undefined) return known;
      let found: PayeeRuleMatch | null = null;
      const folded = foldText(raw);
      for (const rule of compiled) {
        if (rule.test(folded, raw)) {
          found = usePayee ? rule.onPayee : rule.onMemo;
          break;
        }
      }
      if (seen.size < MAX_REMEMBERED_TEXTS) seen.set(key, found);
      return found;
    },
  };
}

const MAX_REMEMBERED_TEXTS = 10_000;

function tester(rule: PayeeRule): (folded: string, raw: string) => boolean {
  if (rule.matchKind === 'regex') {
    // Checked again here: a rule may arrive by sync from a device with other limits; one
    // refused here never matches rather than risking a stalled import.
    let regex: RegExp;
    try {
      regex = compileSafeRegex(rule.pattern);
    } catch {
      return () => false;
    }
    return (_folded, raw) => regex.test(raw.slice(0, REGEX_TEXT_MAX));
  }
  const pattern = foldText(rule.pattern);
  if (pattern === '') return () => false;
  switch (rule.matchKind) {
    case 'contains':
      return (folded) => folded.includes(pattern);
    case 'equals':
      return (folded) => folded === pattern;
    case 'starts_with':
      return (folded) => folded.startsWith(pattern);
  }
}
