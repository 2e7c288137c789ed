import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';

/** Counts of one Vitest run, as written to `CETATE_COUNTS_FILE`. */
export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Vitest's own verdict: `passed`, `failed` or `interrupted`. */
  reason: TestRunEndReason;
}

/**
 * Counts every test case of the whole run: a failed test file that never ran its cases counts as one
 * failure, and so does an error outside any case (e.g. in `afterAll`) of a file whose cases all passed;
 * errors outside any file (unhandled rejections) count one each.
 *
 * - Without `CETATE_COUNTS_FILE`: prints the closing line CI reads, `N passed, N failed` (plus
 *   `, N skipped` when any).
 * - With `CETATE_COUNTS_FILE=<path>` (set by `tools/scripts/test.sh`): writes {@link RunCounts} as JSON
 *   to that file and prints nothing; test.sh adds lint and typecheck and prints the closing line.
 */
export default class CountReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      let casesFailed = 0;
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') {
          failed++;
          casesFailed++;
        } else skipped++;
      }
      // a file that failed without a failing case: import error, or an error in a hook
      if (mod.state() === 'failed' && casesFailed === 0) failed++;
    }
    const file = process.env.CETATE_COUNTS_FILE;
    if (file) {
      const counts: RunCounts = { passed, failed, skipped, reason };
      writeFileSync(file, JSON.stringify(counts) + '\n');
      return;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
