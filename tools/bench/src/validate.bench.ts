import { DOMParser } from '@xmldom/xmldom';
import { buildCiusRoUbl, parseUblDocument, validateUbl } from '@cetate/invoicing-domain';
import { invoiceWithLines } from './builder.bench.js';
import { median, percentile, perSecond, type BenchRow } from './stats.js';
import { loadCorpus } from './validator.bench.js';

/** The whole documents of the conformance corpus the issue names: `en-examples`, `en-testfiles`, `ro-*`. */
export function wholeDocuments(conformanceDir: string): { file: string; xml: Buffer }[] {
  return loadCorpus(conformanceDir).filter((d) => /^invoices\/(en-examples|en-testfiles|ro-[^/]+)\//.test(d.file));
}

const verdict = (met: boolean) => (met ? 'target met' : 'target MISSED');

/**
 * `npm run bench -- validate` (issue 8): `validateUbl` (parse + every EN 16931 1.3.8 / CIUS-RO 1.0.9
 * rule) against the reference of only parsing the same bytes with the same parser
 * (`parseUblDocument`: decode, saxes, tree), in one process, warm.
 *
 * 1. The 78 whole documents (`en-examples`, `en-testfiles`, `ro-*`), bytes in memory: `warmup` passes,
 *    then `passes` passes in which each document is parsed, then validated (interleaved, so that
 *    machine noise hits both alike), and parsed with the previous parser (xmldom) for reference. Prints the median and p95 ms per document of each, documents/s,
 *    and validation ÷ parse-only (ratio of the totals, and the median of per-document ratios).
 * 2. Invoices of 10, 100, 1,000 and 10,000 lines built by `buildCiusRoUbl` (the demo lines repeated):
 *    median of `reps` parse-only and validate times, and ms per line.
 * Targets (issue 8, 2 cores): median <= 0.5 ms and p95 <= 2 ms per document, validation <= 3x
 * parse-only, 1,000 lines <= 20 ms. Rows say whether each is met; nothing fails.
 */
export function benchValidate(conformanceDir: string, { warmup = 20, passes = 50, lines = [10, 100, 1000, 10000], reps = 7 } = {}): BenchRow[] {
  const S = 'validate';
  const docs = wholeDocuments(conformanceDir);
  for (let p = 0; p < warmup; p++) for (const d of docs) validateUbl(d.xml);
  const parse: number[] = [];
  const previous: number[] = [];
  const validate: number[] = [];
  const ratios: number[] = [];
  let parseTotal = 0;
  let validateTotal = 0;
  let invalid = 0;
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) {
    invalid = 0;
    for (const d of docs) {
      let t = performance.now();
      parseUblDocument(d.xml);
      const tp = performance.now() - t;
      t = performance.now();
      new DOMParser().parseFromString(d.xml.toString('utf8'), 'text/xml');
      previous.push(performance.now() - t);
      t = performance.now();
      if (!validateUbl(d.xml).valid) invalid++;
      const tv = performance.now() - t;
      parse.push(tp);
      validate.push(tv);
      ratios.push(tv / tp);
      parseTotal += tp;
      validateTotal += tv;
    }
  }
  const wall = performance.now() - t0;
  const med = median(validate);
  const p95 = percentile(validate, 95);
  const note = `${docs.length} documents × ${passes} passes, ${invalid} invalid`;
  const rows: BenchRow[] = [
    { section: S, metric: 'validate median', value: med, unit: 'ms/doc', note: `${note}; ${verdict(med <= 0.5)} (<= 0.5)` },
    { section: S, metric: 'validate p95', value: p95, unit: 'ms/doc', note: verdict(p95 <= 2) + ' (<= 2)' },
    { section: S, metric: 'parse-only median', value: median(parse), unit: 'ms/doc', note: 'same bytes, same parser (decode + saxes + tree)' },
    { section: S, metric: 'parse-only p95', value: percentile(parse, 95), unit: 'ms/doc' },
    { section: S, metric: 'previous parser (xmldom) median', value: median(previous), unit: 'ms/doc', note: `parse only; p95 ${percentile(previous, 95).toFixed(2)} ms (the validator's parser until issue 8)` },
    {
      section: S,
      metric: 'validate throughput',
      value: perSecond(validate.length, validateTotal),
      unit: 'doc/s',
      note: `one core; wall incl. parse-only runs ${(wall / 1000).toFixed(1)} s`,
    },
    { section: S, metric: 'validate ÷ parse-only (totals)', value: validateTotal / parseTotal, unit: '×', note: verdict(validateTotal / parseTotal <= 3) + ' (<= 3)' },
    { section: S, metric: 'validate ÷ parse-only (median/doc)', value: median(ratios), unit: '×' },
  ];

  for (const n of lines) {
    const xml = buildCiusRoUbl(invoiceWithLines(n));
    const r = validateUbl(xml);
    if (!r.valid) throw new Error(`the ${n}-line invoice is invalid: ${r.fatal.join(',')}`);
    const k = n >= 10000 ? Math.min(reps, 3) : reps;
    const tp: number[] = [];
    const tv: number[] = [];
    for (let i = 0; i < k; i++) {
      let t = performance.now();
      parseUblDocument(xml);
      tp.push(performance.now() - t);
      t = performance.now();
      validateUbl(xml);
      tv.push(performance.now() - t);
    }
    const v = median(tv);
    rows.push({
      section: S,
      metric: `${n} lines: validate`,
      value: v,
      unit: 'ms',
      note: `parse-only ${median(tp).toFixed(1)} ms, ${(v / n * 1000).toFixed(1)} µs/line, ${(xml.length / 1024).toFixed(0)} KiB${n === 1000 ? `; ${verdict(v <= 20)} (<= 20 ms)` : ''}`,
    });
  }
  return rows;
}
