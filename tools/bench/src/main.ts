/**
 * `npm run bench`: prints performance numbers of the e-Factura path (no pass/fail, nothing written):
 * (a) validator on the conformance corpus, (b) UBL builder, (c) RabbitMQ publish-with-confirm and the
 * outbox relay in a throwaway vhost/database. See tools/bench/README.md for what each number means.
 *
 * Options: --messages N (default 2000), --skip-messaging, --help. Environment: CONFORMANCE_DIR
 * (default <repo>/../shared/conformance), AMQP_URL, DATABASE_URL (see @cetate/platform-testing).
 * Exit: 0 done, 1 a section failed (its error is printed; the other sections still run), 2 usage.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { conformanceDir } from '@cetate/platform-testing';
import { benchBuilder } from './builder.bench.js';
import { benchMessaging } from './messaging.bench.js';
import { renderTable, type BenchRow } from './stats.js';
import { benchValidator } from './validator.bench.js';

const USAGE = 'usage: npm run bench -- [--messages N] [--skip-messaging]';

function options() {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { messages: { type: 'string' }, 'skip-messaging': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    const messages = values.messages === undefined ? 2000 : Number(values.messages);
    if (!Number.isInteger(messages) || messages < 1 || messages > 100_000) throw new Error(`--messages must be an integer 1..100000`);
    return { messages, skipMessaging: values['skip-messaging'] ?? false, help: values.help ?? false };
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

await section('validator', () => benchValidator(conformanceDir()));
await section('builder', () => benchBuilder());
if (!opts.skipMessaging) await section('messaging', () => benchMessaging({ count: opts.messages }));

const cpu = cpus();
process.stdout.write(
  `Cetate bench — node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${new Date().toISOString()}\n\n` +
    renderTable(rows) +
    `\n\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
process.exitCode = failed ? 1 : 0;
