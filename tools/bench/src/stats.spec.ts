import { describe, expect, it } from 'vitest';
import { fmt, median, percentile, perSecond, renderTable, summarize } from './stats.js';

describe('bench stats', () => {
  it('nearest-rank percentile and median', () => {
    const v = Array.from({ length: 20 }, (_, i) => 20 - i); // 20..1, unsorted
    expect(percentile(v, 95)).toBe(19);
    expect(percentile(v, 100)).toBe(20);
    expect(percentile(v, 0)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarize and rates', () => {
    expect(summarize([1, 2, 3, 10])).toEqual({ n: 4, totalMs: 16, medianMs: 2.5, p95Ms: 10, minMs: 1, maxMs: 10 });
    expect(perSecond(500, 250)).toBe(2000);
  });

  it('formats and aligns the table', () => {
    expect([fmt(1234.6), fmt(12.34), fmt(1.234), fmt(0.01234), fmt('x')]).toEqual(['1,235', '12.3', '1.23', '0.012', 'x']);
    const t = renderTable([
      { section: 'a', metric: 'm', value: 5, unit: 'ms' },
      { section: 'bb', metric: 'mm', value: 1500, unit: 'doc/s', note: 'n' },
    ]).split('\n');
    expect(t).toHaveLength(4);
    expect(t[2]).toBe('a        m        5.00  ms');
    expect(t[3]).toBe('bb       mm      1,500  doc/s  n');
  });
});
