import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UblParseError, validateUbl } from '@cetate/invoicing-domain';
import { memory } from './memory.js';
import { perSecond, summarize, type BenchRow } from './stats.js';

/** A corpus document loaded in memory (file I/O is not part of the measurement). */
interface Doc {
  file: string;
  xml: Buffer;
}

/** Every `invoices/<group>/*.xml` of the conformance corpus, sorted by path. */
export function loadCorpus(conformanceDir: string): Doc[] {
  const base = join(conformanceDir, 'invoices');
  return readdirSync(base)
    .sort()
    .flatMap((g) =>
      readdirSync(join(base, g))
        .filter((f) => f.endsWith('.xml'))
        .sort()
        .map((f) => ({ file: `invoices/${g}/${f}`, xml: readFileSync(join(base, g, f)) })),
    );
}

/** Validates each document `passes` times; returns every per-document time (ms) and the counts of the last pass. */
function timePasses(docs: readonly Doc[], passes: number): { samples: number[]; wallMs: number; invalid: number; parseErrors: number } {
  const samples: number[] = [];
  let invalid = 0;
  let parseErrors = 0;
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) {
    invalid = 0;
    parseErrors = 0;
    for (const d of docs) {
      const t = performance.now();
      try {
        if (!validateUbl(d.xml).valid) invalid++;
      } catch (err) {
        if (!(err instanceof UblParseError)) throw err;
        parseErrors++;
      }
      samples.push(performance.now() - t);
    }
  }
  return { samples, wallMs: performance.now() - t0, invalid, parseErrors };
}

/**
 * (a) `validateUbl` (EN 16931 1.3.8 + CIUS-RO 1.0.9) on the conformance corpus, bytes already in memory:
 * after a warm-up (JIT), per-document median/p95 and docs/s for the ro-* documents (`roPasses` passes)
 * and for the whole corpus (`allPasses` passes), then memory: RSS and retained heap before vs after the
 * whole-corpus passes, and the peak RSS.
 */
export function benchValidator(conformanceDir: string, { roPasses = 20, allPasses = 3 } = {}): BenchRow[] {
  const all = loadCorpus(conformanceDir);
  const ro = all.filter((d) => d.file.startsWith('invoices/ro-'));
  const rows: BenchRow[] = [];
  const S = 'validator';

  const cold = performance.now();
  timePasses(ro.slice(0, 1), 1);
  rows.push({ section: S, metric: 'first document (cold)', value: performance.now() - cold, unit: 'ms', note: 'JIT + lazy rule set-up' });
  timePasses(all, 1); // warm-up over every shape of document

  const r = timePasses(ro, roPasses);
  const rs = summarize(r.samples);
  const roNote = `${ro.length} docs × ${roPasses} passes`;
  rows.push(
    { section: S, metric: 'ro-* median', value: rs.medianMs, unit: 'ms/doc', note: roNote },
    { section: S, metric: 'ro-* p95', value: rs.p95Ms, unit: 'ms/doc' },
    { section: S, metric: 'ro-* max', value: rs.maxMs, unit: 'ms/doc' },
    { section: S, metric: 'ro-* throughput', value: perSecond(r.samples.length, r.wallMs), unit: 'doc/s', note: `${r.invalid} invalid of ${ro.length}` },
  );

  const before = memory(true);
  const a = timePasses(all, allPasses);
  const afterNoGc = memory(false);
  const after = memory(true);
  const as = summarize(a.samples);
  rows.push(
    { section: S, metric: 'all median', value: as.medianMs, unit: 'ms/doc', note: `${all.length} docs × ${allPasses} passes` },
    { section: S, metric: 'all p95', value: as.p95Ms, unit: 'ms/doc' },
    { section: S, metric: 'all max', value: as.maxMs, unit: 'ms/doc' },
    {
      section: S,
      metric: 'all throughput',
      value: perSecond(a.samples.length, a.wallMs),
      unit: 'doc/s',
      note: `${a.invalid} invalid, ${a.parseErrors} not parseable of ${all.length}`,
    },
    { section: S, metric: 'RSS delta (all passes)', value: afterNoGc.rssMiB - before.rssMiB, unit: 'MiB', note: `RSS ${before.rssMiB.toFixed(0)} → ${afterNoGc.rssMiB.toFixed(0)} MiB` },
    { section: S, metric: 'heap delta, no GC', value: afterNoGc.heapUsedMiB - before.heapUsedMiB, unit: 'MiB', note: 'garbage + retained at the end' },
    { section: S, metric: 'heap retained after GC', value: after.heapUsedMiB - before.heapUsedMiB, unit: 'MiB', note: '≈0 = no leak across passes' },
    { section: S, metric: 'peak RSS so far', value: after.peakRssMiB, unit: 'MiB', note: 'whole process (tsx + corpus in memory)' },
  );
  return rows;
}
