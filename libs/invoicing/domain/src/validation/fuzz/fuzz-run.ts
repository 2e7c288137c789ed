import { CetateError } from '@cetate/shared-errors';
import { UblParseError } from '../../ubl/ubl-parse-error.js';
import { validateUbl } from '../validate-ubl.js';
import { caseSeedOf, fuzzCase, seedsFrom, type FuzzCase, type SeedSource } from './mutators.js';

/*
 * The fuzz loop of the validator (issue 8), run by fuzz.spec.ts in worker threads (no I/O here):
 * generate case i of a run seed, run `validateUbl` twice, classify each outcome, compare the two
 * verdicts, and time each run.
 */

/** The UblParseError codes of the parser contract (issue 8); any other code is a bug. */
export const CONTRACT_CODES: ReadonlySet<string> = new Set([
  'UBL_MALFORMED',
  'UBL_UNKNOWN_ROOT',
  'XML_TOO_LARGE',
  'XML_DTD_FORBIDDEN',
  'XML_TOO_DEEP',
  'XML_TOO_MANY_ELEMENTS',
  'XML_ENCODING_UNSUPPORTED',
]);

/**
 * A run using more than this much CPU time (ms, of the calling thread) counts as a hang. CPU time, not
 * wall time, so that a loaded machine (the test suite runs files in parallel) does not fail the test;
 * a run that waits without computing (a network fetch) is caught by {@link HANG_WALL_MS}. Not a speed
 * target (those are in `npm run bench -- validate`): the largest legitimate input (500,000 elements)
 * takes about 1.3 s of CPU, a hang (an unbounded loop, quadratic work on a large document) far more.
 */
export const HANG_MS = 10_000;
/** A run taking longer than this (ms, wall clock) counts as a hang whatever its CPU time. */
export const HANG_WALL_MS = 60_000;

/** Wall-clock and CPU time (ms, this thread: user + system) that `fn` took, with its result. */
export function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.threadCpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const c = process.threadCpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** What one `validateUbl` call did: a consistent report, a contract error, or a bug. */
export type Outcome =
  | { kind: 'report'; verdict: string; valid: boolean }
  | { kind: 'error'; code: string; verdict: string }
  | { kind: 'bug'; what: string };

const sortedDistinct = (a: readonly string[]) => a.every((x, i) => i === 0 || (a[i - 1] as string) < x);

/**
 * Runs `validateUbl` once and classifies the result. A bug is: an exception that is not a
 * `UblParseError` (a CetateError), a code outside {@link CONTRACT_CODES}, a non-integer or negative
 * `line`/`column`, or a report whose parts disagree (`valid` vs `fatal`, unsorted ids, ids that no
 * message carries or messages whose id is missing from `fatal`/`warnings`). `verdict` is what two
 * runs must agree on: documentType, fatal, warnings and the messages' rule ids; or the error's code,
 * position and message.
 */
export function classify(input: string | Uint8Array): Outcome {
  let report;
  try {
    report = validateUbl(input);
  } catch (e) {
    if (!(e instanceof UblParseError) || !(e instanceof CetateError)) {
      const err = e as Error | undefined;
      return { kind: 'bug', what: `threw ${err?.name}: ${err?.message}\n${err?.stack ?? ''}` };
    }
    if (!CONTRACT_CODES.has(e.code)) return { kind: 'bug', what: `UblParseError with unknown code ${e.code}` };
    const pos = e as unknown as { line?: unknown; column?: unknown };
    for (const k of ['line', 'column'] as const) {
      const v = pos[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
        return { kind: 'bug', what: `UblParseError ${e.code} has ${k} ${String(v)}` };
    }
    return { kind: 'error', code: e.code, verdict: JSON.stringify([e.code, pos.line, pos.column, e.message]) };
  }
  const { valid, documentType, fatal, warnings, messages } = report;
  if (documentType !== 'Invoice' && documentType !== 'CreditNote') return { kind: 'bug', what: `documentType ${String(documentType)}` };
  if (valid !== (fatal.length === 0)) return { kind: 'bug', what: `valid=${valid} with fatal [${fatal.join(',')}]` };
  if (!sortedDistinct(fatal) || !sortedDistinct(warnings)) return { kind: 'bug', what: 'fatal/warnings are not sorted distinct ids' };
  const idsOf = (flag: string) => JSON.stringify([...new Set(messages.filter((m) => m.flag === flag).map((m) => m.ruleId))].sort());
  if (idsOf('fatal') !== JSON.stringify(fatal) || idsOf('warning') !== JSON.stringify(warnings))
    return { kind: 'bug', what: 'the messages disagree with fatal/warnings' };
  return { kind: 'report', valid, verdict: JSON.stringify([documentType, fatal, warnings, messages.map((m) => m.ruleId)]) };
}

/** Totals of a fuzz run (or of one shard of it). */
export interface FuzzStats {
  /** Cases run. */
  cases: number;
  /** Input size of all cases (bytes, or UTF-16 code units for text inputs). */
  inputSize: number;
  /** Outcome counts: `report:valid`, `report:invalid` or the error code. */
  tally: Record<string, number>;
  /** Most CPU time (ms) one `validateUbl` call took, and the case it was. */
  maxMs: number;
  slowest: string;
  /** Longest wall-clock time (ms) of one call (inflated when the machine is busy). */
  maxWallMs: number;
  /** Failures, each with its case seed, seed document and mutations. */
  failures: string[];
  /** The documents of the failures, to save for reproduction. */
  failedInputs: { caseSeed: number; input: string | Uint8Array }[];
}

function describeCase(stats: FuzzStats, runSeed: number, c: FuzzCase, problem: string): void {
  stats.failures.push(
    [`case seed ${c.caseSeed} (run seed ${runSeed}) on ${c.seedFile}: ${problem}`, ...c.mutations.map((m) => `  - ${m}`)].join('\n'),
  );
  stats.failedInputs.push({ caseSeed: c.caseSeed, input: c.input });
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** The seed documents (the whole documents of the conformance corpus). */
  seeds: readonly SeedSource[];
  /** Seed of the run; case i uses `caseSeedOf(runSeed, i)`. */
  runSeed: number;
  /** Number of cases of the whole run. */
  count: number;
  /** This shard runs the cases i with `i % shards === shard` (default: all). */
  shard?: number;
  shards?: number;
  /** Stop after this many failures (default 20). */
  maxFailures?: number;
}

/**
 * Runs the cases of one shard: each case's document goes through `validateUbl` twice
 * ({@link classify}); a bug, two different verdicts, or a hang ({@link HANG_MS} of CPU or
 * {@link HANG_WALL_MS} of wall clock) is a failure.
 */
export function runFuzz(opts: FuzzOptions): FuzzStats {
  const { runSeed, count, shard = 0, shards = 1, maxFailures = 20 } = opts;
  const seeds = seedsFrom(opts.seeds);
  const stats: FuzzStats = { cases: 0, inputSize: 0, tally: {}, maxMs: 0, slowest: '', maxWallMs: 0, failures: [], failedInputs: [] };
  for (let i = shard; i < count && stats.failures.length < maxFailures; i += shards) {
    const c = fuzzCase(seeds, caseSeedOf(runSeed, i));
    stats.cases++;
    stats.inputSize += c.input.length;
    const outcomes: Outcome[] = [];
    for (let r = 1; r <= 2; r++) {
      const { value, wallMs, cpuMs } = timed(() => classify(c.input));
      outcomes.push(value);
      stats.maxWallMs = Math.max(stats.maxWallMs, wallMs);
      if (cpuMs > stats.maxMs) {
        stats.maxMs = cpuMs;
        const unit = typeof c.input === 'string' ? 'chars' : 'bytes';
        stats.slowest = `case seed ${c.caseSeed} on ${c.seedFile} (${c.input.length} ${unit}): ${c.mutations.join('; ')}`;
      }
      if (cpuMs > HANG_MS || wallMs > HANG_WALL_MS)
        describeCase(
          stats,
          runSeed,
          c,
          `run ${r} took ${cpuMs.toFixed(0)} ms CPU, ${wallMs.toFixed(0)} ms wall (a hang: > ${HANG_MS} ms CPU or > ${HANG_WALL_MS} ms wall)`,
        );
    }
    const [a, b] = outcomes as [Outcome, Outcome];
    if (a.kind === 'bug') describeCase(stats, runSeed, c, a.what);
    else if (b.kind === 'bug') describeCase(stats, runSeed, c, `second run: ${b.what}`);
    else if (a.verdict !== b.verdict)
      describeCase(stats, runSeed, c, `the two runs differ:\n    ${a.verdict.slice(0, 500)}\n    ${b.verdict.slice(0, 500)}`);
    else {
      const key = a.kind === 'report' ? (a.valid ? 'report:valid' : 'report:invalid') : a.code;
      stats.tally[key] = (stats.tally[key] ?? 0) + 1;
    }
  }
  return stats;
}

/** Adds the totals of several shards. */
export function mergeStats(parts: readonly FuzzStats[]): FuzzStats {
  const out: FuzzStats = { cases: 0, inputSize: 0, tally: {}, maxMs: 0, slowest: '', maxWallMs: 0, failures: [], failedInputs: [] };
  for (const p of parts) {
    out.cases += p.cases;
    out.inputSize += p.inputSize;
    for (const [k, n] of Object.entries(p.tally)) out.tally[k] = (out.tally[k] ?? 0) + n;
    if (p.maxMs > out.maxMs) {
      out.maxMs = p.maxMs;
      out.slowest = p.slowest;
    }
    out.maxWallMs = Math.max(out.maxWallMs, p.maxWallMs);
    out.failures.push(...p.failures);
    out.failedInputs.push(...p.failedInputs);
  }
  return out;
}
