/** Small statistics helpers of the bench (pure; times in milliseconds). */

/** Summary of a list of durations (ms): count, total, median, 95th percentile (nearest rank), min, max. */
export interface DurationSummary {
  n: number;
  totalMs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

/**
 * Nearest-rank percentile (`p` in 0..100) of `values`: the smallest value with at least p % of the
 * values ≤ it. @throws RangeError on an empty list or p outside 0..100.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} outside 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Median: mean of the two middle values for an even count. @throws RangeError on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** {@link DurationSummary} of `samples` (ms). @throws RangeError on an empty list. */
export function summarize(samples: readonly number[]): DurationSummary {
  return {
    n: samples.length,
    totalMs: samples.reduce((a, b) => a + b, 0),
    medianMs: median(samples),
    p95Ms: percentile(samples, 95),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
  };
}

/** Rate per second of `count` events in `ms` milliseconds. */
export const perSecond = (count: number, ms: number): number => (ms > 0 ? (count * 1000) / ms : Infinity);

/** One row of the printed table: section, metric, value, unit, optional note. */
export interface BenchRow {
  section: string;
  metric: string;
  value: number | string;
  unit: string;
  note?: string;
}

/** Formats a number for the table: 3 significant digits below 100, integers above (thin grouping). */
export function fmt(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

/** Renders rows as an aligned text table (value column right-aligned). */
export function renderTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [r.section, r.metric, fmt(r.value), r.unit, r.note ?? '']);
  const head = ['section', 'metric', 'value', 'unit', 'note'];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 2 ? x.padStart(w[i]!) : x.padEnd(w[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...cells.map(line)].join('\n');
}
