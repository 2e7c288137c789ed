import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the closing line CI reads: `N passed, N failed` (plus `, N skipped` when any), counting every
 * test case of the whole run. Failed test files that never ran their cases count as one failure each.
 */
export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      let cases = 0;
      for (const t of mod.children.allTests()) {
        cases++;
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (cases === 0 && mod.state() === 'failed') failed++;
      else if (mod.errors().length > 0 && cases > 0 && mod.state() === 'failed') {
        // errors outside test cases (e.g. in afterAll) without a failing case
        let anyFailed = false;
        for (const t of mod.children.allTests()) if (t.result().state === 'failed') anyFailed = true;
        if (!anyFailed) failed++;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
