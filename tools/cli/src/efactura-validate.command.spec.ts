import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT, type Finding } from '@cetate/invoicing-domain';
import { conformanceDir, readExpectedVerdicts } from '@cetate/platform-testing';
import type { CliIo } from './cli-io.js';
import { exitOf, formatFinding, formatVerdict, runValidate, VALIDATE_EXIT, verdictOf } from './efactura-validate.command.js';

/** ANAF's CIUS-RO 1.0.9 Schematron verdict of a corpus document (never our own validator's). */
const expected = readExpectedVerdicts('cius-ro-1.0.9');
const MUTANT = 'invoices/ro-mut/mut_BR-RO-030.xml';
const MALFORMED = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">\n  <cbc:ID>1</Invoice>';

describe('verdictOf / exitOf / formatVerdict', () => {
  it('a built CIUS-RO invoice is valid: exit 0, one VALID line and nothing else', () => {
    const v = verdictOf('demo.xml', buildCiusRoUbl(DEMO_INVOICE_DOCUMENT));
    expect(v).toMatchObject({ file: 'demo.xml', valid: true, documentType: 'Invoice', fatal: [], findings: [] });
    expect(exitOf(v)).toBe(VALIDATE_EXIT.VALID);
    expect(formatVerdict(v)).toEqual(['VALID       demo.xml (Invoice)']);
  });

  it("a ro-mut document: ANAF's fatal ids, exit 1, every finding printed with its severity, rule and xpath", () => {
    const v = verdictOf('mut.xml', readFileSync(join(conformanceDir(), MUTANT)));
    expect(v.fatal).toEqual(expected.get(MUTANT)!.fatal);
    expect(v.valid).toBe(false);
    expect(exitOf(v)).toBe(VALIDATE_EXIT.INVALID);
    const out = formatVerdict(v);
    expect(out[0]).toBe(`INVALID     mut.xml (Invoice)  fatal: ${v.fatal.join(', ')}`);
    expect(out.slice(1)).toEqual(v.findings.flatMap(formatFinding));
    for (const id of v.fatal) expect(out.some((l) => new RegExp(`^ {2}\\S+ +FATAL +${id} `).test(l))).toBe(true);
    expect(out.filter((l) => l.trimStart().startsWith('at /Invoice')).length).toBe(v.findings.length);
  });

  it('XML that is not UBL: invalid with the parser code (any UblParseError code), its position, exit 2, no throw', () => {
    const bad = verdictOf('a.xml', MALFORMED);
    expect(bad).toMatchObject({ valid: false, documentType: null, fatal: ['UBL_MALFORMED'], findings: [], error: { code: 'UBL_MALFORMED', line: 2 } });
    expect(exitOf(bad)).toBe(VALIDATE_EXIT.NOT_UBL);
    expect(formatVerdict(bad)).toEqual([`NOT UBL     a.xml  UBL_MALFORMED at 2:${bad.error!.column}: ${bad.error!.message}`]);
    expect(verdictOf('b.xml', '<Order xmlns="urn:x"/>')).toMatchObject({ fatal: ['UBL_UNKNOWN_ROOT'], error: { code: 'UBL_UNKNOWN_ROOT' } });
    const dtd = verdictOf('c.xml', '<!DOCTYPE Invoice [<!ENTITY e "x">]>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>');
    expect(dtd).toMatchObject({ fatal: ['XML_DTD_FORBIDDEN'], error: { code: 'XML_DTD_FORBIDDEN' } });
    expect(exitOf(dtd)).toBe(VALIDATE_EXIT.NOT_UBL);
  });
});

describe('formatFinding', () => {
  const f: Finding = {
    ruleId: 'BR-RO-030',
    flag: 'fatal',
    terms: ['BT-5', 'BT-6'],
    xpath: '/Invoice/cbc:DocumentCurrencyCode[1]',
    line: 12,
    column: 5,
    en: 'Set the VAT accounting currency (BT-6) to RON.',
    ro: 'Completați moneda de contabilizare a TVA (BT-6) cu RON.',
    message: '[BR-RO-030]-spec text',
    path: '/Invoice/cbc:DocumentCurrencyCode',
  };

  it('LINE:COL SEVERITY RULE terms and the Romanian text, then the English one, then the xpath', () => {
    expect(formatFinding(f)).toEqual([
      '  12:5      FATAL    BR-RO-030  BT-5,BT-6  Completați moneda de contabilizare a TVA (BT-6) cu RON.',
      '            Set the VAT accounting currency (BT-6) to RON.',
      '            at /Invoice/cbc:DocumentCurrencyCode[1]',
    ]);
  });

  it('no position and no terms print "-"; an English text equal to the Romanian one is printed once', () => {
    const g: Finding = { ...f, flag: 'warning', terms: [], line: undefined, column: undefined, en: f.ro };
    expect(formatFinding(g)).toEqual([
      '  -         WARNING  BR-RO-030  -  Completați moneda de contabilizare a TVA (BT-6) cu RON.',
      '            at /Invoice/cbc:DocumentCurrencyCode[1]',
    ]);
  });
});

describe('runValidate', () => {
  let tmp: string;
  const files: Record<string, string> = {};
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cetate-validate-'));
    const write = (name: string, content: string | Buffer) => {
      files[name] = join(tmp, name);
      writeFileSync(files[name], content);
    };
    write('valid.xml', buildCiusRoUbl(DEMO_INVOICE_DOCUMENT));
    write('invalid.xml', readFileSync(join(conformanceDir(), MUTANT)));
    write('broken.xml', MALFORMED);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    return { code: await runValidate(args, io), out, err };
  };

  it.each([
    [['valid.xml'], 0],
    [['valid.xml', 'invalid.xml'], 1],
    [['invalid.xml', 'broken.xml', 'valid.xml'], 2],
    [['valid.xml', 'missing.xml'], 2],
  ])('%j → exit %i (the worst file decides)', async (names, code) => {
    const r = await run(names.map((n) => files[n] ?? join(tmp, n)));
    expect(r.code).toBe(code);
  });

  it('--json: one report per line with the findings; the summary line only in readable mode', async () => {
    const r = await run(['--json', files['invalid.xml']!, files['broken.xml']!]);
    const [inv, broken] = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inv).toEqual(JSON.parse(JSON.stringify(verdictOf(files['invalid.xml']!, readFileSync(files['invalid.xml']!)))));
    expect((inv!.findings as Finding[]).length).toBeGreaterThan(0);
    expect(broken).toMatchObject({ valid: false, fatal: ['UBL_MALFORMED'], error: { code: 'UBL_MALFORMED', line: 2 } });
    expect(r.out).toHaveLength(2);
    const readable = await run([files['valid.xml']!, files['invalid.xml']!, files['broken.xml']!]);
    expect(readable.out.at(-1)).toBe('3 file(s): 1 valid, 1 invalid, 1 not UBL or unreadable');
  });
});
