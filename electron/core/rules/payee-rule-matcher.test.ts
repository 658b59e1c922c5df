import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLedgerFixture, type LedgerFixture } from '../ledger/ledger-test-fixture.js';
import { PayeeRuleService } from './payee-rule.service.js';

let f: LedgerFixture;
let rules: PayeeRuleService;
const cleanups: Array<() => void> = [];
beforeEach(async () => {
  const fixture = await createLedgerFixture();
  cleanups.push(() => fixture.cleanup());
  f = fixture;
  rules = new PayeeRuleService(f.vault);
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

const row = (payee: string | null, memo: string | null = null) => ({ payee, memo });

describe('PayeeRuleService.matcher', () => {
  it('folds case, accents and spacing for contains, equals and starts_with', () => {
    rules.add({ matchKind: 'contains', pattern: 'Müller  GmbH', renameTo: 'Müller' });
    rules.add({ matchKind: 'equals', pattern: 'corner cafe', renameTo: 'Corner Café' });
    rules.add({ matchKind: 'starts_with', pattern: 'UBER', renameTo: 'Uber' });
    const m = rules.matcher();
    expect(m.match(row('SEPA MULLER gmbh, Berlin'))?.renameTo).toBe('Müller');
    expect(m.match(row('  CORNER   CAFÉ '))?.renameTo).toBe('Corner Café');
    expect(m.match(row('Corner Cafe 42'))).toBeNull(); // equals is the whole text
    expect(m.match(row('uber *trip help.uber.com'))?.renameTo).toBe('Uber');
    expect(m.match(row('PAYPAL *UBER'))).toBeNull(); // starts_with is the start
    expect(m.match(row('Landlord'))).toBeNull();
  });

  it('uses the memo only when the row has no payee, and says which it matched', () => {
    const rule = rules.add({ matchKind: 'contains', pattern: 'netflix', renameTo: 'Netflix' });
    const m = rules.matcher();
    expect(m.match(row(null, 'CARD 1234 NETFLIX.COM'))).toEqual({
      ruleId: rule.id,
      description: 'memo contains "netflix" → Netflix',
      renameTo: 'Netflix',
      categoryId: null,
    });
    expect(m.match(row('   ', 'NETFLIX.COM'))?.description).toMatch(/^memo contains/);
    // A payee that does not match wins over a memo that would.
    expect(m.match(row('Spotify', 'NETFLIX.COM'))).toBeNull();
    expect(m.match(row(null, null))).toBeNull();
  });

  it('answers a text seen before as it did the first time, payee and memo apart', () => {
    rules.add({ matchKind: 'contains', pattern: 'netflix', renameTo: 'Netflix' });
    rules.add({ matchKind: 'regex', pattern: '^spot', renameTo: 'Spotify' });
    const m = rules.matcher();
    for (let round = 0; round < 3; round++) {
      expect(m.match(row('NETFLIX.COM'))?.description).toBe('payee contains "netflix" → Netflix');
      expect(m.match(row(null, 'NETFLIX.COM'))?.description).toBe(
        'memo contains "netflix" → Netflix',
      );
      expect(m.match(row('Spotify AB'))?.renameTo).toBe('Spotify');
      expect(m.match(row('Landlord'))).toBeNull();
    }
    // Many different texts: past the remembered ones, each is still tested.
    for (let i = 0; i < 12_000; i++) {
      expect(m.match(row(`netflix ${i}`))?.renameTo).toBe('Netflix');
    }
    expect(m.match(row('Spotify 99'))?.renameTo).toBe('Spotify');
    expect(rules.matcher().match(row('Landlord'))).toBeNull();
  });

  it('matches nothing when there are no rules', () => {
    expect(rules.matcher().match(row('NETFLIX.COM', 'memo'))).toBeNull();
  });

  it('applies the first rule in order, and describes rename and category', () => {
    const shopping = f.categories.create({ name: 'Shopping' });
    const books = f.categories.create({ name: 'Books' });
    const general = rules.add({
      matchKind: 'contains',
      pattern: 'AMZN',
      renameTo: 'Amazon',
      category: 'Shopping',
    });
    const specific = rules.add({
      matchKind: 'contains',
      pattern: 'AMZN Kindle',
      category: 'Books',
      position: 1,
    });
    const m = rules.matcher();
    expect(m.match(row('AMZN KINDLE*2Y4'))).toEqual({
      ruleId: specific.id,
      description: 'payee contains "AMZN Kindle" → Books',
      renameTo: null,
      categoryId: books.id,
    });
    expect(m.match(row('AMZN Mktp US*1A2'))).toEqual({
      ruleId: general.id,
      description: 'payee contains "AMZN" → Amazon, Shopping',
      renameTo: 'Amazon',
      categoryId: shopping.id,
    });
  });

  it('skips the category of a rule whose category was deleted, and says so', () => {
    f.categories.create({ name: 'Travel' });
    const both = rules.add({
      matchKind: 'contains',
      pattern: 'Lufthansa',
      renameTo: 'Lufthansa',
      category: 'Travel',
    });
    rules.add({ matchKind: 'contains', pattern: 'Ryanair', category: 'Travel' });
    f.categories.delete('Travel');
    const m = rules.matcher();
    expect(m.match(row('LUFTHANSA 220-1234'))).toEqual({
      ruleId: both.id,
      description:
        'payee contains "Lufthansa" → Lufthansa, (its category was deleted: category not set)',
      renameTo: 'Lufthansa',
      categoryId: null,
    });
    // A rule left with nothing to do does not apply.
    expect(m.match(row('RYANAIR FR1234'))).toBeNull();
  });

  it('is compiled once: rules added later need a new matcher', () => {
    const m = rules.matcher();
    rules.add({ matchKind: 'contains', pattern: 'Shell', renameTo: 'Shell' });
    expect(m.match(row('SHELL 123'))).toBeNull();
    expect(rules.matcher().match(row('SHELL 123'))?.renameTo).toBe('Shell');
  });

  it('matches regex rules on the bank text, case-insensitively', () => {
    rules.add({
      matchKind: 'regex',
      pattern: '^(SQ|TST)\\s*\\*\\s*Blue Bottle',
      renameTo: 'Blue Bottle',
    });
    const m = rules.matcher();
    expect(m.match(row('SQ *BLUE BOTTLE COFFEE'))?.description).toBe(
      'payee matches /^(SQ|TST)\\s*\\*\\s*Blue Bottle/ → Blue Bottle',
    );
    expect(m.match(row('tst* blue bottle'))?.renameTo).toBe('Blue Bottle');
    expect(m.match(row('BLUE BOTTLE'))).toBeNull();
  });
});
