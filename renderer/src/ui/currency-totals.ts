import { sumMinor } from '../../../shared/money/money.js';

export interface CurrencyTotal {
  currency: string;
  totalMinor: number;
}

/**
 * Sums amounts per currency, sorted by code: amounts in two currencies are never added,
 * so a screen shows one total for each currency it holds.
 */
export function totalsByCurrency<T>(
  items: readonly T[],
  currencyOf: (item: T) => string,
  minorOf: (item: T) => number,
): CurrencyTotal[] {
  const groups = new Map<string, number[]>();
  for (const item of items) {
    const currency = currencyOf(item);
    const list = groups.get(currency);
    if (list === undefined) groups.set(currency, [minorOf(item)]);
    else list.push(minorOf(item));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, values]) => ({ currency, totalMinor: sumMinor(values) }));
}
