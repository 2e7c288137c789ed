import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateUbl } from './validate-ubl.js';

/**
 * Parity with ANAF's CIUS-RO 1.0.9 Schematron verdicts (Saxon-HE 9.9) for the CIUS-RO documents of
 * the shared conformance corpus (`invoices/ro-*`, 30 documents).
 *
 * Local copy of `conformanceDir()`/`readExpectedVerdicts()` of `@cetate/platform-testing`: the module
 * boundary rule keeps a domain (even its specs) off platform libraries.
 */
const dir = process.env['CONFORMANCE_DIR']
  ? resolve(process.env['CONFORMANCE_DIR'])
  : fileURLToPath(new URL('../../../../../../shared/conformance/', import.meta.url));
const ids = (cell: string | undefined) => (cell ?? '').trim().split(',').filter(Boolean);
const rows = readFileSync(join(dir, 'expected-cius-ro-1.0.9.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.startsWith('invoices/ro-'))
  .map((l) => {
    const [file = '', root = '', fatal, warnings] = l.split('\t');
    return { file, root, fatal: ids(fatal), warnings: ids(warnings) };
  });

describe('CIUS-RO 1.0.9 conformance (ro-* documents)', () => {
  it('has the 30 ro-* documents of the corpus', () => {
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(existsSync(join(dir, r.file))).toBe(true);
  });

  it.each(rows.map((r) => [r.file, r] as const))('%s', (_file, r) => {
    const report = validateUbl(readFileSync(join(dir, r.file)));
    expect(report.documentType).toBe(r.root);
    expect(report.fatal).toEqual(r.fatal);
    expect(report.warnings).toEqual(r.warnings);
    expect(report.valid).toBe(r.fatal.length === 0);
  });
});
