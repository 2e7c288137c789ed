import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared e-invoice conformance corpus (982 UBL documents with the verdicts of the official
 * validation artefacts; see its README.md): where it is and what it expects.
 */

/** The verdict sets of the corpus: `expected-<which>.tsv`. */
export type ConformanceVerdictSet = 'cius-ro-1.0.9' | 'en16931-1.3.16';

/** Expected verdict of one corpus document (one TSV row). */
export interface ExpectedVerdict {
  /** Document root: `Invoice` or `CreditNote`. */
  readonly root: string;
  /** Sorted distinct ids of the failed `fatal` asserts (empty = accepted). */
  readonly fatal: readonly string[];
  /** Sorted distinct ids of the failed non-fatal asserts. */
  readonly warnings: readonly string[];
}

/** The repository root: the nearest folder above this file holding `nx.json` (independent of the cwd). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no nx.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/**
 * Folder of the conformance corpus: `$CONFORMANCE_DIR` when set (resolved against the cwd), else
 * `<repository root>/../shared/conformance`, the repository root being found from this file's location
 * (so tests and tools find it whatever their working directory).
 */
export function conformanceDir(): string {
  const env = process.env['CONFORMANCE_DIR'];
  return env ? resolve(env) : resolve(repoRoot(), '..', 'shared', 'conformance');
}

/**
 * Reads `expected-<which>.tsv` of the corpus (columns `file root fatal warnings`, header line first,
 * ids comma-separated): document path relative to {@link conformanceDir} (`invoices/<set>/<name>.xml`)
 * -> expected verdict, in file order.
 * @throws Error (ENOENT) when the corpus or the TSV is missing; Error on a row without file/root.
 */
export function readExpectedVerdicts(
  which: ConformanceVerdictSet = 'cius-ro-1.0.9',
): Map<string, ExpectedVerdict> {
  const tsv = join(conformanceDir(), `expected-${which}.tsv`);
  const ids = (cell: string | undefined) => (cell ?? '').trim().split(',').filter(Boolean);
  const out = new Map<string, ExpectedVerdict>();
  for (const line of readFileSync(tsv, 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const [file = '', root = '', fatal, warnings] = line.replace(/\r$/, '').split('\t');
    if (!file || !root) throw new Error(`${tsv}: malformed row ${JSON.stringify(line)}`);
    out.set(file, { root, fatal: ids(fatal), warnings: ids(warnings) });
  }
  return out;
}
