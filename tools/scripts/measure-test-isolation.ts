/**
 * Measures what per-file test isolation costs (docs/adr/0004): `createTestDatabase()` and
 * `createTestVhost()` from `@cetate/platform-testing`, their drops, and both created in parallel
 * (what a test file's `beforeAll` does). Prints median/min/max in ms over N rounds.
 *
 *   bash tools/scripts/run-tool.sh tools/scripts/measure-test-isolation.ts [rounds=5]
 */
import { createTestDatabase, createTestVhost } from '@cetate/platform-testing';
const N = Number(process.argv[2] ?? 5);
const t = { db: [] as number[], dbDrop: [] as number[], vh: [] as number[], vhDrop: [] as number[], both: [] as number[] };
for (let i = 0; i < N; i++) {
  let s = performance.now();
  const db = await createTestDatabase('cetate_measure');
  t.db.push(performance.now() - s);
  s = performance.now();
  const vh = await createTestVhost('cetate_measure');
  t.vh.push(performance.now() - s);
  s = performance.now(); await db.drop(); t.dbDrop.push(performance.now() - s);
  s = performance.now(); await vh.drop(); t.vhDrop.push(performance.now() - s);
  s = performance.now();
  const [d2, v2] = await Promise.all([createTestDatabase('cetate_measure'), createTestVhost('cetate_measure')]);
  t.both.push(performance.now() - s);
  await Promise.all([d2.drop(), v2.drop()]);
}
const med = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return Math.round(b[Math.floor(b.length / 2)]!); };
for (const [k, v] of Object.entries(t)) console.log(k.padEnd(7), 'median', med(v), 'ms  min', Math.round(Math.min(...v)), 'max', Math.round(Math.max(...v)));
