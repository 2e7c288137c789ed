import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateUbl } from './validate-ubl.js';

/**
 * Parity with ANAF's CIUS-RO 1.0.9 Schematron verdicts (Saxon-HE 9.9; EN 16931 1.3.8 embedded) on
 * every document of the shared conformance corpus (`expected-cius-ro-1.0.9.tsv`, 982 documents: the
 * EN 16931 examples, test files and unit-test fragments, and the CIUS-RO examples and mutations):
 * our sorted distinct fatal rule ids and warning ids must equal ANAF's, document by document.
 *
 * Local copy of `conformanceDir()`/`readExpectedVerdicts()` of `@cetate/platform-testing`: the module
 * boundary rule keeps a domain (even its specs) off platform libraries. The TSV is read once.
 */
const dir = process.env['CONFORMANCE_DIR']
  ? resolve(process.env['CONFORMANCE_DIR'])
  : fileURLToPath(new URL('../../../../../../shared/conformance/', import.meta.url));
const ids = (cell: string | undefined) => (cell ?? '').trim().split(',').filter(Boolean);
const lines = readFileSync(join(dir, 'expected-cius-ro-1.0.9.tsv'), 'utf8').split('\n');
const header = lines[0]!.split('\t');
const rows = lines
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const [file = '', root = '', fatal, warnings] = l.split('\t');
    return { file, root, fatal: ids(fatal), warnings: ids(warnings) };
  });

describe('CIUS-RO 1.0.9 conformance (all documents of the corpus)', () => {
  it('reads the 982 documents of the corpus (file, root, fatal, warnings)', () => {
    expect(header.slice(0, 4)).toEqual(['file', 'root', 'fatal', 'warnings']);
    expect(rows).toHaveLength(982);
    expect(new Set(rows.map((r) => r.file.split('/')[1])).size).toBe(8);
    for (const r of rows) expect(existsSync(join(dir, r.file))).toBe(true);
  });

  it.each(rows.map((r) => [r.file, r] as const))('%s', (_file, r) => {
    const report = validateUbl(readFileSync(join(dir, r.file)));
    expect(report.documentType).toBe(r.root);
    expect({ fatal: report.fatal, warnings: report.warnings }).toEqual({ fatal: r.fatal, warnings: r.warnings });
    expect(report.valid).toBe(r.fatal.length === 0);
  });
});
