/**
 * `npm run bench`: prints performance numbers of the e-Factura path (no pass/fail, nothing written):
 * (a) validator on the conformance corpus, (b) UBL builder, (c) RabbitMQ publish-with-confirm and the
 * outbox relay in a throwaway vhost/database. See tools/bench/README.md for what each number means.
 *
 * Options: --messages N (default 2000), --skip-messaging, --help. Environment: CONFORMANCE_DIR
 * (default <repo>/../shared/conformance), AMQP_URL, DATABASE_URL (see @cetate/platform-testing).
 *
 * `npm run bench -- tenants [--tenants N] [--concurrency C] [--requests R] [--pg-max-connections M]` runs only
 * the tenants section (issue 5: provisioning time, request latency across random tenants, peak connections,
 * disk per tenant; everything it creates is deleted at the end). It takes minutes for 1,000 tenants.
 * `npm run bench -- ui [--invoices N] [--runs R]` runs only the UI section (issue 6: gzipped first-load JavaScript of
 * the shell and each remote, navigation to an interactive list of N (default 1,000) invoices in Chromium).
 * `npm run bench -- efactura [--invoices N] [--rate R] [--workers W] [--prefetch P] [--delay-ms D] [--slow-invoices S]` (issue 7):
 * N invoices sent at R/s through the API to W worker processes and the simulator (delay D ms): offered and achieved
 * rate, send → submitted p50/p95/p99, send → accepted p50/p99, uploads per invoice; then S invoices with a 10 min
 * processing delay and one worker with prefetch 4: the time until all are uploaded.
 * `npm run bench -- validate [--passes P]` (issue 8): the validator on the whole corpus documents (median/p95 ms per
 * document, documents/s, ratio to parse-only with the same parser) and on invoices of 10..10,000 lines.
 * `npm run bench -- ocr [--invoices N] [--concurrency C] [--languages L] [--threads T] [--engine E]` (issue 9): the OCR chain over the
 * generated test set (N invoices, default 20): field accuracy on text-layer, clean and degraded pages, seconds per
 * scanned page with C documents at a time (default 2), ms per text-layer page (see ocr.bench.ts).
 * `npm run bench -- inbox [--messages N] [--no-supplier-check] [--cpu-prof DIR]` (issue 10): an inbox of N (default 5,000)
 * received invoices synced by one worker-anaf child process through the API: messages synced per second, the phases,
 * ANAF calls, the purchase invoices end to end, a no-op second sync, and the raw ANAF calls of the same inbox size
 * as the reference (see inbox.bench.ts).
 * Exit: 0 done, 1 a section failed (its error is printed; the other sections still run), 2 usage.
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { conformanceDir } from '@cetate/platform-testing';
import { benchBuilder } from './builder.bench.js';
import { benchMessaging } from './messaging.bench.js';
import { renderTable, type BenchRow } from './stats.js';
import { benchValidator } from './validator.bench.js';

const USAGE =
  'usage: npm run bench -- [--messages N] [--skip-messaging]\n       npm run bench -- tenants [--tenants N] [--concurrency C] [--requests R] [--pg-max-connections M]\n       npm run bench -- ui [--invoices N] [--runs R]\n       npm run bench -- efactura [--invoices N] [--rate R] [--workers W] [--prefetch P] [--delay-ms D] [--slow-invoices S]\n       npm run bench -- validate [--passes P]\n       npm run bench -- ocr [--invoices N] [--concurrency C] [--languages L] [--threads T] [--engine tesseract-cli|tesseract.js|both]\n       npm run bench -- inbox [--messages N] [--no-supplier-check] [--cpu-prof DIR]';

function options() {
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        messages: { type: 'string' },
        'skip-messaging': { type: 'boolean' },
        tenants: { type: 'string' },
        concurrency: { type: 'string' },
        requests: { type: 'string' },
        'pg-max-connections': { type: 'string' },
        invoices: { type: 'string' },
        runs: { type: 'string' },
        rate: { type: 'string' },
        workers: { type: 'string' },
        prefetch: { type: 'string' },
        'delay-ms': { type: 'string' },
        'slow-invoices': { type: 'string' },
        passes: { type: 'string' },
        languages: { type: 'string' },
        threads: { type: 'string' },
        engine: { type: 'string' },
        'no-supplier-check': { type: 'boolean' },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const int = (name: string, v: string | undefined, dflt: number, max: number, min = 1) => {
      const n = v === undefined ? dflt : Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer ${min}..${max}`);
      return n;
    };
    const messages = int('messages', values.messages, positionals[0] === 'inbox' ? 5000 : 2000, 100_000);
    if (positionals.length > 1 || (positionals[0] !== undefined && !['tenants', 'ui', 'efactura', 'validate', 'ocr', 'inbox'].includes(positionals[0]))) throw new Error(`unknown section ${positionals.join(' ')}`);
    return {
      messages,
      skipMessaging: values['skip-messaging'] ?? false,
      help: values.help ?? false,
      tenantsOnly: positionals[0] === 'tenants',
      uiOnly: positionals[0] === 'ui',
      efacturaOnly: positionals[0] === 'efactura',
      validateOnly: positionals[0] === 'validate',
      ocrOnly: positionals[0] === 'ocr',
      inboxOnly: positionals[0] === 'inbox',
      supplierCheck: !(values['no-supplier-check'] ?? false),
      cpuProf: values['cpu-prof'],
      languages: values.languages,
      engine: ((e) => {
        if (!['tesseract-cli', 'tesseract.js', 'both'].includes(e)) throw new Error('--engine must be tesseract-cli, tesseract.js or both');
        return e as 'tesseract-cli' | 'tesseract.js' | 'both';
      })(values.engine ?? 'tesseract-cli'),
      threads: int('threads', values.threads, 1, 16),
      passes: int('passes', values.passes, 50, 10_000),
      invoices: int('invoices', values.invoices, positionals[0] === 'efactura' ? 3000 : positionals[0] === 'ocr' ? 20 : 1000, 100_000),
      rate: int('rate', values.rate, 100, 10_000),
      workers: int('workers', values.workers, 2, 16),
      prefetch: int('prefetch', values.prefetch, 4, 1000),
      delayMs: int('delay-ms', values['delay-ms'], 1500, 3_600_000, 0),
      slowInvoices: int('slow-invoices', values['slow-invoices'], 1000, 100_000, 0),
      runs: int('runs', values.runs, 5, 100),
      tenants: int('tenants', values.tenants, 1000, 100_000),
      concurrency: int('concurrency', values.concurrency, positionals[0] === 'ocr' ? 2 : 4, 64),
      requests: int('requests', values.requests, 5000, 1_000_000),
      pgMaxConnections: int('pg-max-connections', values['pg-max-connections'], 50, 1000),
    };
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const opts = options();
if (opts.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}

const rows: BenchRow[] = [];
let failed = 0;
const t0 = performance.now();

async function section(name: string, run: () => BenchRow[] | Promise<BenchRow[]>): Promise<void> {
  const t = performance.now();
  process.stderr.write(`bench: ${name} ...`);
  try {
    rows.push(...(await run()));
    process.stderr.write(` ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  } catch (err) {
    failed++;
    process.stderr.write(` FAILED: ${(err as Error).message}\n`);
    rows.push({ section: name, metric: 'error', value: '-', unit: '', note: (err as Error).message.split('\n')[0]!.slice(0, 120) });
  }
}

if (opts.inboxOnly) {
  await section('inbox', async () =>
    (await import('./inbox.bench.js')).benchInbox({
      messages: opts.messages,
      supplierCheck: opts.supplierCheck,
      ...(opts.cpuProf ? { cpuProfDir: resolve(opts.cpuProf) } : {}),
      log: (line) => process.stderr.write(`\n${line}`),
    }),
  );
} else if (opts.tenantsOnly) {
  await section('tenants', async () =>
    (await import('./tenants.bench.js')).benchTenants({
      tenants: opts.tenants,
      concurrency: opts.concurrency,
      requests: opts.requests,
      requestConcurrency: [1, 4, 16],
      pgMaxConnections: opts.pgMaxConnections,
      log: (line) => process.stderr.write(`\n${line}`),
    }),
  );
} else if (opts.ocrOnly) {
  await section('ocr', async () =>
    (await import('./ocr.bench.js')).benchOcr({
      invoices: opts.invoices,
      concurrency: opts.concurrency,
      threads: opts.threads,
      engine: opts.engine,
      ...(opts.languages ? { languages: opts.languages } : {}),
      log: (line) => process.stderr.write(`\n${line}`),
    }),
  );
} else if (opts.validateOnly) {
  await section('validate', async () => (await import('./validate.bench.js')).benchValidate(conformanceDir(), { passes: opts.passes }));
} else if (opts.efacturaOnly) {
  await section('efactura', async () =>
    (await import('./efactura.bench.js')).benchEfactura({
      invoices: opts.invoices,
      rate: opts.rate,
      workers: opts.workers,
      prefetch: opts.prefetch,
      delayMs: opts.delayMs,
      slowInvoices: opts.slowInvoices,
      log: (line) => process.stderr.write(`\n${line}`),
    }),
  );
} else if (opts.uiOnly) {
  await section('ui', async () =>
    (await import('./ui.bench.js')).benchUi({ invoices: opts.invoices, runs: opts.runs, log: (line) => process.stderr.write(`\n${line}`) }),
  );
} else {
  await section('validator', () => benchValidator(conformanceDir()));
  await section('builder', () => benchBuilder());
  if (!opts.skipMessaging) await section('messaging', () => benchMessaging({ count: opts.messages }));
}

const cpu = cpus();
process.stdout.write(
  `Cetate bench — node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${new Date().toISOString()}\n\n` +
    renderTable(rows) +
    `\n\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
process.exitCode = failed ? 1 : 0;
