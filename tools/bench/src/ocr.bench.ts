/**
 * `npm run bench -- ocr [--invoices N] [--concurrency C] [--languages L] [--engine E]` (issue 9): the whole OCR chain
 * (`extractInvoiceFromDocument` = `readDocument` + `extractInvoice`, the worker's function) over the
 * project's generated test set, and its speed.
 *
 * 1. Generates (or reuses, same seed and count) the test set in `$CETATE_DATA_DIR/ocr-test-set`
 *    (default `<repo>/.cetate/ocr-test-set`, ignored by git): N invoices, each as a text-layer PDF,
 *    clean scans (PNG, TIFF, PDF without text layer) and degraded scans (scaled to 150-180 dpi, rotated
 *    1-2°, blurred, noisy, JPEG quality 20-40, a degraded scan in a PDF).
 * 2. Text-layer PDFs one at a time, `reps` times each: median and p95 ms per page (target <= 50 ms).
 * 3. Scanned files through a pool of C documents at a time (default 2: one per core), each document
 *    read with concurrency 1: wall time ÷ pages = seconds per scanned page on the machine (target
 *    <= 1.5 s on 2 cores), and the median latency of one page.
 * 4. Field-level accuracy (13 fields per invoice, see `scoreExtraction`) per group — text layer, clean
 *    scans, degraded scans (targets >= 95% clean, >= 85% degraded) — per field and per variant.
 * `--engine` (ADR 0028): `tesseract-cli` (default, the production engine), `tesseract.js` (WebAssembly,
 * C worker threads, the same traineddata from Debian's tessdata folder, nothing downloaded) or `both`
 * (the same scanned files read by each engine in turn, in the same run; rows prefixed by the engine).
 * Writes every wrong field to `<dir>/report.json` (`report-tesseract.js.json` for tesseract.js; paths
 * printed). Nothing fails on a missed target.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTesseractJsEngine, extractInvoiceFromDocument, type DocumentExtraction, type ReadDocumentOptions } from '@cetate/documents-ocr';
import {
  SCORED_FIELDS,
  generateOcrTestSet,
  readTruth,
  scoreExtraction,
  type FieldScore,
  type TestSetGroup,
  type TestSetItem,
} from '@cetate/documents-ocr/test-set';
import { median, percentile, type BenchRow } from './stats.js';

/** Engines the bench can read scans with: the Tesseract CLI, tesseract.js, or both in turn. */
export type OcrBenchEngine = 'tesseract-cli' | 'tesseract.js' | 'both';

/** Options of {@link benchOcr}. */
export interface OcrBenchOptions {
  invoices: number;
  /** Scanned documents read at the same time (default 2). */
  concurrency?: number;
  /** Tesseract languages (default: the engine's, `ron+eng`). */
  languages?: string;
  /** Tesseract threads per process (default: the engine's, 1). */
  threads?: number;
  /** Engine(s) for the scanned files (default `tesseract-cli`); see the module comment. */
  engine?: OcrBenchEngine;
  /** Repetitions of each text-layer PDF for its timing (default 5). */
  reps?: number;
  seed?: string;
  /** Test set folder (default `$CETATE_DATA_DIR/ocr-test-set`). */
  dir?: string;
  log?: (line: string) => void;
}

interface ItemResult {
  item: TestSetItem;
  scores: FieldScore[];
  ms: number;
  pages: number;
  error?: string;
}

/** Default folder of the generated test set: `$CETATE_DATA_DIR/ocr-test-set` or `<repo>/.cetate/ocr-test-set`. */
export function defaultOcrTestSetDir(): string {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  return join(resolve(repo, process.env.CETATE_DATA_DIR ?? '.cetate'), 'ocr-test-set');
}

/**
 * CPU seconds used so far by this process and its finished children (user + system): `process.cpuUsage`
 * for this process, `cutime + cstime` of `/proc/self/stat` (clock ticks of 1/100 s, Linux) for the
 * pdftoppm/Tesseract processes. Unlike wall time it does not grow when other programs share the cores.
 */
export function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100; // fields 16 and 17 of proc(5), counted after the name
  } catch {
    // not Linux: children not counted
  }
  return (own.user + own.system) / 1e6 + children;
}

const pct = (ok: number, n: number) => (n ? (100 * ok) / n : 0);
const verdict = (met: boolean) => (met ? 'target met' : 'target MISSED');

/** Runs the OCR bench; see the module comment. Rows in section `ocr`. */
export async function benchOcr(opts: OcrBenchOptions): Promise<BenchRow[]> {
  const S = 'ocr';
  const log = opts.log ?? (() => {});
  const dir = opts.dir ?? defaultOcrTestSetDir();
  // 4 pages in flight, as worker-ocr runs them by default (2 documents × 2 pages): a page waits about half its time
  const concurrency = opts.concurrency ?? 4;
  const reps = opts.reps ?? 5;
  const engine = { ...(opts.languages ? { ocrLanguages: opts.languages } : {}), ...(opts.threads ? { ocrThreads: opts.threads } : {}) };
  const t0 = performance.now();
  const manifest = await generateOcrTestSet(dir, {
    invoices: opts.invoices,
    ...(opts.seed ? { seed: opts.seed } : {}),
    onInvoice: (done, total) => {
      if (done % 5 === 0 || done === total) log(`test set: ${done}/${total} invoices (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    },
  });
  const textResults: ItemResult[] = [];
  const score = async (into: ItemResult[], item: TestSetItem, r: DocumentExtraction, ms: number) =>
    into.push({ item, scores: scoreExtraction(r.invoice, await readTruth(dir, item)), ms, pages: r.document.pageCount });
  const failed = async (into: ItemResult[], item: TestSetItem, err: unknown, ms: number) => {
    const truth = await readTruth(dir, item);
    const none = scoreExtraction({ supplier: {}, buyer: {}, vat: [], warnings: [] }, truth);
    into.push({ item, scores: none, ms, pages: 1, error: (err as Error).message });
  };

  // text-layer PDFs, one at a time, timed `reps` times (the first run warms the code up and is scored)
  const textMs: number[] = [];
  for (const item of manifest.items.filter((i) => i.group === 'text-layer')) {
    const bytes = await readFile(join(dir, item.file));
    for (let rep = 0; rep <= reps; rep++) {
      const t = performance.now();
      try {
        const r = await extractInvoiceFromDocument(bytes, engine);
        const ms = performance.now() - t;
        if (rep === 0) await score(textResults, item, r, ms);
        else textMs.push(ms / r.document.pageCount);
      } catch (err) {
        if (rep === 0) await failed(textResults, item, err, performance.now() - t);
        break;
      }
    }
  }

  const rows: BenchRow[] = [];
  const cpu = cpus().length;
  rows.push({ section: S, metric: 'test set', value: manifest.items.length, unit: 'files', note: `${manifest.invoices} invoices × ${manifest.variants.length} variants, seed ${manifest.seed}, ${dir}` });
  if (textMs.length) {
    const med = median(textMs);
    rows.push({ section: S, metric: 'text-layer PDF page, median', value: med, unit: 'ms', note: `${verdict(med <= 50)} (<= 50 ms); p95 ${percentile(textMs, 95).toFixed(1)} ms, read + extract` });
  }
  const groups: TestSetGroup[] = ['text-layer', 'clean', 'degraded'];
  const target: Record<TestSetGroup, number> = { 'text-layer': 95, clean: 95, degraded: 85 };
  const engines: Exclude<OcrBenchEngine, 'both'>[] = opts.engine === 'both' ? ['tesseract-cli', 'tesseract.js'] : [opts.engine ?? 'tesseract-cli'];
  const scans = manifest.items.filter((i) => i.group !== 'text-layer');

  for (const which of engines) {
    const P = engines.length > 1 ? `${which}: ` : '';
    const results: ItemResult[] = [...textResults];
    let readOpts: ReadDocumentOptions = { ...engine, concurrency: 1 };
    let engineNote = `tesseract CLI ${opts.threads ?? 1} thread(s) per process`;
    const js = which === 'tesseract.js' ? await createTesseractJsEngine({ workers: concurrency, ...(opts.languages ? { languages: opts.languages } : {}) }) : undefined;
    if (js) {
      readOpts = { ...readOpts, ocrEngine: js };
      engineNote = `${js.name}, traineddata from /usr/share/tesseract-ocr/5/tessdata, started in ${(js.startMs / 1000).toFixed(1)} s (not counted below)`;
    }
    log(`scans with ${which} ...`);
    try {
      // scanned files: C documents at a time
      let next = 0;
      let done = 0;
      const load0 = loadavg()[0]!;
      const cpu0 = cpuSeconds();
      const tScan = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < scans.length) {
            const item = scans[next++]!;
            const t = performance.now();
            try {
              const r = await extractInvoiceFromDocument(await readFile(join(dir, item.file)), readOpts);
              await score(results, item, r, performance.now() - t);
            } catch (err) {
              await failed(results, item, err, performance.now() - t);
            }
            if (++done % 10 === 0) log(`scans (${which}): ${done}/${scans.length}`);
          }
        }),
      );
      const scanWall = performance.now() - tScan;
      const scanCpu = cpuSeconds() - cpu0;
      const load1 = loadavg()[0]!;
      const scanned = results.filter((r) => r.item.group !== 'text-layer');
      const scanPages = scanned.reduce((s, r) => s + r.pages, 0);
      const scanLatency = scanned.map((r) => r.ms / r.pages);

      rows.push({ section: S, metric: `${P}engine`, value: which, unit: '', note: `${engineNote}; languages ${opts.languages ?? 'ron+eng (default)'}, ${concurrency} documents at a time` });
      if (scanPages) {
        const perPage = scanWall / scanPages / 1000;
        rows.push({
          section: S,
          metric: `${P}scanned page, wall ÷ pages (${concurrency} at a time)`,
          value: perPage,
          unit: 's',
          note: `${verdict(perPage <= 1.5)} (<= 1.5 s on 2 cores; ${cpu} cores here); ${scanPages} pages in ${(scanWall / 1000).toFixed(0)} s`,
        });
        rows.push({
          section: S,
          metric: `${P}scanned page, CPU time (all processes)`,
          value: scanCpu / scanPages,
          unit: 's',
          note: `÷ ${Math.min(cpu, concurrency)} cores = ${(scanCpu / scanPages / Math.min(cpu, concurrency)).toFixed(2)} s per page on idle cores; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} during the run`,
        });
        rows.push({ section: S, metric: `${P}scanned page latency, median`, value: median(scanLatency) / 1000, unit: 's', note: `p95 ${(percentile(scanLatency, 95) / 1000).toFixed(2)} s, one document alone would take about this` });
      }
      for (const g of groups) {
        const rs = results.filter((r) => r.item.group === g);
        if (!rs.length || (g === 'text-layer' && P)) continue;
        const all = rs.flatMap((r) => r.scores);
        const a = pct(all.filter((s) => s.ok).length, all.length);
        const errors = rs.filter((r) => r.error).length;
        rows.push({
          section: S,
          metric: `${P}accuracy ${g}, all fields`,
          value: a,
          unit: '%',
          note: `${verdict(a >= target[g])} (>= ${target[g]}%); ${rs.length} files${errors ? `, ${errors} unreadable` : ''}`,
        });
      }
      const cleanAll = results.filter((r) => r.item.group !== 'degraded').flatMap((r) => r.scores);
      rows.push({ section: S, metric: `${P}accuracy clean (text layer + clean scans)`, value: pct(cleanAll.filter((s) => s.ok).length, cleanAll.length), unit: '%', note: 'the issue\'s "clean pages" figure' });
      for (const field of SCORED_FIELDS) {
        const cell = (g: TestSetGroup) => {
          const s = results.filter((r) => r.item.group === g).map((r) => r.scores.find((x) => x.field === field)!);
          return s.length ? `${g} ${pct(s.filter((x) => x.ok).length, s.length).toFixed(0)}%` : '';
        };
        const deg = results.filter((r) => r.item.group === 'degraded').map((r) => r.scores.find((x) => x.field === field)!);
        rows.push({ section: S, metric: `${P}field ${field}`, value: pct(deg.filter((x) => x.ok).length, deg.length), unit: '% degr.', note: groups.map(cell).filter(Boolean).join(', ') });
      }
      for (const variant of manifest.variants) {
        const rs = results.filter((r) => r.item.variant === variant);
        const all = rs.flatMap((r) => r.scores);
        if (!all.length) continue;
        rows.push({
          section: S,
          metric: `${P}variant ${variant}`,
          value: pct(all.filter((s) => s.ok).length, all.length),
          unit: '%',
          note: `median ${(median(rs.map((r) => r.ms)) / 1000).toFixed(2)} s per file`,
        });
      }
      const report = join(dir, which === 'tesseract-cli' ? 'report.json' : `report-${which}.json`);
      await writeFile(
        report,
        JSON.stringify(
          results.map((r) => ({ file: r.item.file, description: r.item.description, ms: Math.round(r.ms), error: r.error, wrong: r.scores.filter((s) => !s.ok) })),
          null,
          1,
        ),
      );
      rows.push({ section: S, metric: `${P}wrong fields listed in`, value: report, unit: '' });
    } finally {
      await js?.terminate();
    }
  }
  return rows;
}
