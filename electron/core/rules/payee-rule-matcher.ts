/**
 * What an import asks of the payee rules: given a row's bank text, the first rule (in rule
 * order) that applies, if any. `PayeeRuleService.matcher()` builds one from the vault's
 * rules, compiled once per import rather than per row.
 */
export interface PayeeRuleMatch {
  ruleId: string;
  /** The rule in words, for the dry run: 'payee contains "AMZN" → Amazon, Shopping'. */
  description: string;
  /** New payee name, or null to keep the bank's. */
  renameTo: string | null;
  /** Category id to set, or null to leave the row's category alone. */
  categoryId: string | null;
}

export interface PayeeRuleMatcher {
  match(text: { payee: string | null; memo: string | null }): PayeeRuleMatch | null;
}
