import { describe, expect, it } from 'vitest';
import {
  formatPercentPpm,
  formatQuantityMilli,
  parsePercentPpm,
  parseQuantityMilli,
} from './parse-line-values.js';

describe('parseQuantityMilli', () => {
  it('reads decimal quantities exactly', () => {
    expect(parseQuantityMilli('1.5')).toBe(1500);
    expect(parseQuantityMilli('2')).toBe(2000);
    expect(parseQuantityMilli('0.001')).toBe(1);
    expect(parseQuantityMilli('.25')).toBe(250);
    expect(parseQuantityMilli(' 3.10 ')).toBe(3100);
    expect(parseQuantityMilli('1.5000')).toBe(1500);
  });

  it('rejects zero, too many decimals and non-numbers with specific codes', () => {
    expect(() => parseQuantityMilli('0')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => parseQuantityMilli('1.0005')).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_DECIMALS' }),
    );
    expect(() => parseQuantityMilli('1,5')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => parseQuantityMilli('-1')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => parseQuantityMilli('1e3')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => parseQuantityMilli('99999999999999999')).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OUT_OF_RANGE' }),
    );
  });
});

describe('parsePercentPpm', () => {
  it('turns percentages into parts per million exactly', () => {
    expect(parsePercentPpm('8.875')).toBe(88_750);
    expect(parsePercentPpm('20')).toBe(200_000);
    expect(parsePercentPpm('20%')).toBe(200_000);
    expect(parsePercentPpm('0')).toBe(0);
    expect(parsePercentPpm('100')).toBe(1_000_000);
  });

  it('rejects over 100 % and more than 4 decimals', () => {
    expect(() => parsePercentPpm('100.01')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => parsePercentPpm('8.87501')).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_DECIMALS' }),
    );
  });
});

describe('formatting', () => {
  it('round-trips', () => {
    expect(formatQuantityMilli(1500)).toBe('1.5');
    expect(formatQuantityMilli(2000)).toBe('2');
    expect(formatQuantityMilli(1)).toBe('0.001');
    expect(formatPercentPpm(88_750)).toBe('8.875');
    expect(formatPercentPpm(200_000)).toBe('20');
    expect(parseQuantityMilli(formatQuantityMilli(123_456))).toBe(123_456);
  });
});
