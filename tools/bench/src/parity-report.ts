/**
 * Parity report: compares validateUbl with ANAF's CIUS-RO 1.0.9 verdicts
 * (`expected-cius-ro-1.0.9.tsv` of the shared conformance corpus, see `conformanceDir()` of
 * @cetate/platform-testing: $CONFORMANCE_DIR or <repo root>/../shared/conformance).
 * Usage: npx tsx tools/bench/src/parity-report.ts [--all] [--diff]
 * Without --all only the `ro-*` sets are checked. Prints per-set exact matches and median ms/document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateUbl } from '@cetate/invoicing-domain';
import { conformanceDir, readExpectedVerdicts } from '@cetate/platform-testing';
import { median } from './stats.js';

const dir = conformanceDir();
const all = process.argv.includes('--all');
const showDiff = process.argv.includes('--diff');
const expected = [...readExpectedVerdicts('cius-ro-1.0.9')];
// warm up the JIT so the median reflects steady state
for (const [file] of expected.slice(0, 20)) try { validateUbl(readFileSync(join(dir, file))); } catch { /* counted below */ }
const sets = new Map<string, { n: number; ok: number }>();
const times: number[] = [];
for (const [file, want] of expected) {
  const set = file.split('/')[1]!;
  if (!all && !set.startsWith('ro-')) continue;
  const fatal = want.fatal.join(','), warn = want.warnings.join(',');
  const xml = readFileSync(join(dir, file));
  const t0 = performance.now();
  let got: { fatal: string; warn: string };
  try {
    const r = validateUbl(xml);
    got = { fatal: r.fatal.join(','), warn: r.warnings.join(',') };
  } catch (e) {
    got = { fatal: `ERROR ${(e as Error).message}`, warn: '' };
  }
  times.push(performance.now() - t0);
  const s = sets.get(set) ?? { n: 0, ok: 0 };
  s.n++;
  if (got.fatal === fatal && got.warn === warn) s.ok++;
  else if (showDiff) console.log(`${file}\n  expected F=${fatal} W=${warn}\n  got      F=${got.fatal} W=${got.warn}`);
  sets.set(set, s);
}
let n = 0, ok = 0;
for (const [set, s] of [...sets].sort()) {
  console.log(`${set.padEnd(14)} ${String(s.ok).padStart(4)}/${s.n}`);
  n += s.n;
  ok += s.ok;
}
console.log(`${'total'.padEnd(14)} ${String(ok).padStart(4)}/${n}`);
console.log(`median ms/document: ${(times.length ? median(times) : 0).toFixed(2)}`);
