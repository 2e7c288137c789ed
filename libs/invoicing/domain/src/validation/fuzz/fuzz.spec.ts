import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HANG_MS, HANG_WALL_MS, mergeStats, type FuzzOptions, type FuzzStats } from './fuzz-run.js';
import type { SeedSource } from './mutators.js';

/**
 * Fuzzing of `validateUbl` (issue 8): FUZZ_COUNT (default 10,000) mutated versions of the 78 whole
 * documents of the conformance corpus (elements dropped, duplicated, renamed, reordered, moved,
 * nested 10–200 deep; text and attributes retyped or made up to 1 MB long; entities, comments, CDATA
 * and PIs injected; sometimes truncated; handed over as a string or as UTF-8/UTF-16 bytes). Each
 * document must give a consistent report or a `UblParseError` with a contract code, the same verdict
 * on a second run, and no run may hang (more than HANG_MS of CPU time, or HANG_WALL_MS of wall
 * clock). The slowest run is printed, not asserted.
 *
 * The cases are split over worker threads (FUZZ_WORKERS, default: the cores, at most 2), each
 * running fuzz-run.ts through tsx. Reproduce a failure with the run seed it prints:
 * `FUZZ_SEED=<run seed> npx vitest run <this file>`; its document is saved in the OS temp folder.
 */
const conformanceDir = process.env['CONFORMANCE_DIR']
  ? resolve(process.env['CONFORMANCE_DIR'])
  : fileURLToPath(new URL('../../../../../../../shared/conformance/', import.meta.url));
const RUN_SEED = Number(process.env['FUZZ_SEED'] ?? 0x0c37a11e) >>> 0;
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 10_000);
const WORKERS = Number(process.env['FUZZ_WORKERS'] ?? Math.min(2, availableParallelism()));

/** The whole documents of the corpus: `en-examples`, `en-testfiles` and `ro-*` (78). */
function readSeeds(): SeedSource[] {
  const base = join(conformanceDir, 'invoices');
  const sets = readdirSync(base).filter((d) => d === 'en-examples' || d === 'en-testfiles' || d.startsWith('ro-')).sort();
  return sets.flatMap((set) =>
    readdirSync(join(base, set))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => ({ file: `${set}/${f}`, xml: readFileSync(join(base, set, f), 'utf8') })),
  );
}

/** The worker's script (CommonJS): imports fuzz-run.ts through tsx's API and runs its shard. */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { tsImport } = require('tsx/esm/api');
tsImport(workerData.runner, workerData.runner).then((m) => parentPort.postMessage(m.runFuzz(workerData.options)));
`;

function runShard(options: FuzzOptions): Promise<FuzzStats> {
  return new Promise((done, fail) => {
    const runner = new URL('./fuzz-run.ts', import.meta.url).href;
    const worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { runner, options } });
    let result: FuzzStats | undefined;
    worker.once('message', (m: FuzzStats) => (result = m));
    worker.once('error', fail);
    worker.once('exit', (code) => (result ? done(result) : fail(new Error(`fuzz worker ${options.shard} exited with ${code} and no result`))));
  });
}

describe('validateUbl fuzzing', () => {
  it(`${COUNT} mutated documents: a report or a UblParseError, the same verdict twice, none over ${HANG_MS} ms CPU / ${HANG_WALL_MS} ms wall`, async () => {
    const started = performance.now();
    const seeds = readSeeds();
    expect(seeds).toHaveLength(78);
    const shards = Array.from({ length: WORKERS }, (_, shard) =>
      runShard({ seeds, runSeed: RUN_SEED, count: COUNT, shard, shards: WORKERS }),
    );
    const stats = mergeStats(await Promise.all(shards));
    const seconds = (performance.now() - started) / 1000;
    const outcomes = Object.entries(stats.tally).sort().map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(
      `fuzz: ${stats.cases} documents (run seed ${RUN_SEED}, ${WORKERS} workers), ${(stats.inputSize / 1e6).toFixed(1)} M input units, ` +
        `${seconds.toFixed(1)} s\n  slowest run ${stats.maxMs.toFixed(0)} ms CPU: ${stats.slowest}\n  longest wall time of a run ${stats.maxWallMs.toFixed(0)} ms\n  outcomes: ${outcomes}`,
    );
    const saved = stats.failedInputs.map(({ caseSeed, input }) => {
      const file = join(tmpdir(), `cetate-fuzz-${RUN_SEED}-${caseSeed}.xml`);
      writeFileSync(file, input);
      return file;
    });
    expect(stats.failures, [...stats.failures, `documents: ${saved.join(' ')}`].join('\n\n')).toEqual([]);
    expect(stats.cases).toBe(COUNT);
    // The generator must reach both sides of the validator: rule evaluation and the parser's refusals.
    const reports = (stats.tally['report:valid'] ?? 0) + (stats.tally['report:invalid'] ?? 0);
    expect(reports).toBeGreaterThan(COUNT * 0.2);
    expect(COUNT - reports).toBeGreaterThan(COUNT * 0.05);
  }, 600_000);
});
