import {
  PayeeRuleCreateInputSchema,
  type PayeeRule,
  type PayeeRuleCreateInput,
} from '../../../shared/domain/payee-rule.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { CategoryService } from '../ledger/category.service.js';
import { IdGenerator } from '../ledger/id-generator.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { compilePayeeRules } from './compile-payee-rules.js';
import { foldText } from './fold-text.js';
import { payeeRuleFields } from './payee-rule-fields.js';
import type { PayeeRuleMatcher } from './payee-rule-matcher.js';
import { PayeeRuleRepository } from './payee-rule.repository.js';
import { compileSafeRegex } from './safe-regex.js';

/**
 * Payee rules, kept in the order they apply. A rule is named by its id or by its number in
 * that order (1 = first), as `rule list` shows it. Two rules with the same kind and
 * pattern would make the second one dead, so they are refused.
 */
export class PayeeRuleService {
  private readonly repo: PayeeRuleRepository;
  private readonly ids: IdGenerator;
  private readonly categories: CategoryService;

  constructor(private readonly vault: Vault) {
    this.repo = new PayeeRuleRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
    this.categories = new CategoryService(vault);
  }

  add(input: PayeeRuleCreateInput): PayeeRule {
    const data = parseInput(PayeeRuleCreateInputSchema, input, 'payee rule');
    if (data.matchKind === 'regex') compileSafeRegex(data.pattern);
    else if (foldText(data.pattern) === '') {
      throw new CofferError(
        'INVALID_INPUT',
        'Invalid payee rule: pattern: must hold a letter or digit (spacing and punctuation are ignored)',
      );
    }
    return this.vault.transaction(() => {
      const rules = this.repo.listAll();
      const same = rules.find(
        (r) => r.matchKind === data.matchKind && patternKey(r) === patternKey(data),
      );
      if (same !== undefined) {
        throw new CofferError(
          'DUPLICATE',
          `Rule ${rules.indexOf(same) + 1} already matches payees that ${describeKind(data.matchKind)} "${same.pattern}"`,
          { id: same.id },
        );
      }
      const categoryId =
        data.category === undefined ? null : this.categories.resolveCategory(data.category).id;
      const now = this.vault.now();
      const last = rules[rules.length - 1];
      const at =
        data.position !== undefined && data.position <= rules.length ? data.position : null;
      const rule: PayeeRule = {
        id: this.ids.next(),
        position: at ?? (last === undefined ? 1 : last.position + 1),
        matchKind: data.matchKind,
        pattern: data.pattern,
        renameTo: data.renameTo ?? null,
        categoryId,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(rule);
      this.vault.changes.record('payee_rules', rule.id, 'upsert', payeeRuleFields(rule));
      if (at !== null) {
        const ordered = [...rules];
        ordered.splice(at - 1, 0, rule);
        this.renumber(ordered, now);
      }
      return rule;
    });
  }

  /** Live rules in the order they apply: position, then id. */
  list(): PayeeRule[] {
    return this.repo.listAll();
  }

  get(ref: string): PayeeRule {
    return this.resolve(this.repo.listAll(), ref);
  }

  /** Tombstones a rule named by id or by its number in `list()`. */
  remove(ref: string): PayeeRule {
    return this.vault.transaction(() => {
      const rule = this.resolve(this.repo.listAll(), ref);
      const now = this.vault.now();
      this.repo.tombstone(rule.id, now);
      this.vault.changes.record('payee_rules', rule.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
      return rule;
    });
  }

  /** Moves a rule to the 1-based place `to` in the order (the end when past it). */
  move(ref: string, to: number): PayeeRule {
    if (!Number.isInteger(to) || to < 1) {
      throw new CofferError('INVALID_INPUT', 'Invalid payee rule: position: must be 1 or more');
    }
    return this.vault.transaction(() => {
      const rules = this.repo.listAll();
      const rule = this.resolve(rules, ref);
      const ordered = rules.filter((r) => r.id !== rule.id);
      ordered.splice(Math.min(to, rules.length) - 1, 0, rule);
      return this.renumber(ordered, this.vault.now()).find((r) => r.id === rule.id) ?? rule;
    });
  }

  /** The rules as they are now, compiled once, for one import. */
  matcher(): PayeeRuleMatcher {
    return compilePayeeRules(this.repo.listAll(), this.repo.liveCategoryNames());
  }

  /**
   * Gives the rules positions 1..n in the given order, writing (and recording) only those
   * whose position changes.
   */
  private renumber(ordered: readonly PayeeRule[], now: number): PayeeRule[] {
    return ordered.map((rule, index) => {
      const position = index + 1;
      if (rule.position === position) return rule;
      this.repo.setPosition(rule.id, position, now);
      this.vault.changes.record('payee_rules', rule.id, 'upsert', { position, updatedAt: now });
      return { ...rule, position, updatedAt: now };
    });
  }

  private resolve(rules: readonly PayeeRule[], ref: string): PayeeRule {
    const wanted = ref.trim();
    if (UUID_PATTERN.test(wanted)) {
      const byId = rules.find((r) => r.id === wanted);
      if (byId !== undefined) return byId;
      throw new CofferError('NOT_FOUND', `No payee rule with id ${wanted}`);
    }
    if (/^\d{1,9}$/.test(wanted)) {
      const byNumber = rules[Number(wanted) - 1];
      if (byNumber !== undefined) return byNumber;
      throw new CofferError(
        'NOT_FOUND',
        `No payee rule number ${wanted}; there are ${rules.length} rule(s)`,
      );
    }
    throw new CofferError(
      'INVALID_INPUT',
      `Invalid payee rule reference "${wanted}": give its id or its number in the rule list`,
    );
  }
}

/** Two patterns of one kind are the same rule when they match the same texts. */
function patternKey(rule: { matchKind: string; pattern: string }): string {
  return rule.matchKind === 'regex' ? rule.pattern : foldText(rule.pattern);
}

export function describeKind(kind: PayeeRule['matchKind']): string {
  switch (kind) {
    case 'contains':
      return 'contain';
    case 'equals':
      return 'equal';
    case 'starts_with':
      return 'start with';
    case 'regex':
      return 'match';
  }
}
