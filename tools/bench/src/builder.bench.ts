import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT, validateUbl } from '@cetate/invoicing-domain';
import type { InvoiceDocument } from '@cetate/invoicing-contracts';
import { median, perSecond, type BenchRow } from './stats.js';

/** The demo invoice with `n` lines (the 3 demo lines repeated, ids 1..n); totals follow from the lines. */
export function invoiceWithLines(n: number): InvoiceDocument {
  const src = DEMO_INVOICE_DOCUMENT.lines;
  return { ...DEMO_INVOICE_DOCUMENT, number: `BENCH-${n}`, lines: Array.from({ length: n }, (_, i) => ({ ...src[i % src.length]!, id: String(i + 1) })) };
}

/**
 * (b) UBL builder: `buildCiusRoUbl(DEMO_INVOICE_DOCUMENT)` ops/s over ~`durationMs` after 200 warm-up
 * builds; then a `lines`-line invoice: median of `reps` build times, XML size, median of `reps`
 * `validateUbl` times of it, and its verdict (must be valid: the builder emits CIUS-RO-conformant UBL).
 */
export function benchBuilder({ durationMs = 1500, lines = 500, reps = 5 } = {}): BenchRow[] {
  const S = 'builder';
  for (let i = 0; i < 200; i++) buildCiusRoUbl(DEMO_INVOICE_DOCUMENT);
  let ops = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < durationMs) {
    for (let i = 0; i < 50; i++) buildCiusRoUbl(DEMO_INVOICE_DOCUMENT);
    ops += 50;
    now = performance.now();
  }
  const demoXml = buildCiusRoUbl(DEMO_INVOICE_DOCUMENT);
  const rows: BenchRow[] = [
    { section: S, metric: 'build demo invoice (3 lines)', value: perSecond(ops, now - t0), unit: 'ops/s', note: `${(demoXml.length / 1024).toFixed(1)} KiB XML` },
  ];

  const doc = invoiceWithLines(lines);
  const builds: number[] = [];
  const validations: number[] = [];
  let xml = '';
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    xml = buildCiusRoUbl(doc);
    builds.push(performance.now() - t);
    t = performance.now();
    const r = validateUbl(xml);
    validations.push(performance.now() - t);
    if (!r.valid) throw new Error(`the ${lines}-line invoice built by buildCiusRoUbl is invalid: ${r.fatal.join(',')}`);
  }
  rows.push(
    { section: S, metric: `build ${lines}-line invoice`, value: median(builds), unit: 'ms', note: `median of ${reps}; ${(xml.length / 1024).toFixed(0)} KiB XML` },
    { section: S, metric: `validate ${lines}-line invoice`, value: median(validations), unit: 'ms', note: `median of ${reps}; valid` },
    { section: S, metric: `build+validate ${lines} lines`, value: median(builds) + median(validations), unit: 'ms', note: `${((median(builds) + median(validations)) / lines).toFixed(2)} ms per line` },
  );
  return rows;
}
