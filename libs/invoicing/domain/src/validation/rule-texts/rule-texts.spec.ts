import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RuleDeclaration } from '../rule.js';
import { UBL_FORBIDDEN_PATHS } from '../rules/ubl-forbidden-paths.js';
import { ALL_RULES, RULE_CATALOGUE, validateUbl } from '../validate-ubl.js';
import { BUSINESS_TERMS } from './business-terms.js';
import { forbiddenPathText, RULE_TEXT_TABLES, RULE_TEXTS, withRuleTexts } from './index.js';

/**
 * Rule ids of ANAF's CIUS-RO 1.0.9 artefact that have a catalogue text but no rule declaration yet.
 * Some never will: BR-CO-05..08 always hold (`true()`), BR-DEC-RO-13/15/23 and BR-RO-L1019 are shadowed
 * by an earlier rule with the same context, BR-RO-A051/A052 can never fire (see cius-ro.rules.ts).
 * The others are being declared by the issue 8 work (code lists, UBL syntax rules, VAT families).
 */
const NOT_YET_DECLARED: readonly string[] = [
  ...['BR-CO-05', 'BR-CO-06', 'BR-CO-07', 'BR-CO-08', 'BR-DEC-RO-13', 'BR-DEC-RO-15', 'BR-DEC-RO-23', 'BR-RO-L1019'],
  ...['BR-RO-A051', 'BR-RO-A052', 'BR-DEC-13', 'BR-DEC-15', 'BR-17', 'BR-B-01', 'BR-B-02', 'BR-CO-09'],
  ...['BR-IC-11', 'BR-IC-12', 'BR-IG-01', 'BR-IP-01', 'BR-O-01', 'BR-O-02', 'BR-O-03', 'BR-O-04'],
  ...['BR-O-11', 'BR-O-12', 'BR-O-13', 'BR-O-14'],
  ...[1, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26].map((n) => `BR-CL-${String(n).padStart(2, '0')}`),
  ...['UBL-CR-002', 'UBL-CR-412', 'UBL-CR-420', 'UBL-CR-665', 'UBL-CR-666', 'UBL-CR-673'],
  ...['UBL-DT-01', 'UBL-DT-06', 'UBL-DT-07', 'UBL-DT-18'],
  ...[1, 2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29, 30, 31, 32, 33, 35, 36, 37, 39, 40]
    .concat([42, 43, 44, 45, 46, 47, 49])
    .map((n) => `UBL-SR-${String(n).padStart(2, '0')}`),
];

const TERM = /^B[TG]-\d+$/;
/** Business rules (not UBL syntax): BR-01.., BR-CO-*, BR-DEC-*, BR-CL-*, BR-<VAT>-*, BR-RO-*, BR-DEC-RO-*. */
const isBusinessRule = (id: string) => id.startsWith('BR-');
const CEDILLA = /[\u015E\u015F\u0162\u0163]/; // Ş ş Ţ ţ (the comma-below ș ț are U+0218..U+021B)

const dir = process.env['CONFORMANCE_DIR']
  ? resolve(process.env['CONFORMANCE_DIR'])
  : fileURLToPath(new URL('../../../../../../../shared/conformance/', import.meta.url));
const corpus = (file: string) => readFileSync(join(dir, 'invoices', file), 'utf8');

describe('rule catalogue texts', () => {
  const entries = [...RULE_TEXTS.entries()];

  it('every rule the validator applies has en, ro and meaning, from the catalogue', () => {
    const missing = ALL_RULES.filter((r) => !r.en?.trim() || !r.ro?.trim() || !r.meaning?.trim()).map((r) => r.id);
    expect(missing).toEqual([]);
    const notInCatalogue = ALL_RULES.filter((r) => !RULE_TEXTS.has(r.id)).map((r) => r.id);
    expect(notInCatalogue).toEqual([]);
  });

  it('terms are well-formed BT/BG ids, and every BR-* business rule names at least one', () => {
    for (const [id, t] of entries) {
      for (const term of t.terms) expect(term, id).toMatch(TERM);
      if (isBusinessRule(id)) expect(t.terms.length, id).toBeGreaterThan(0);
    }
    for (const r of ALL_RULES) {
      for (const term of r.terms ?? []) expect(term, r.id).toMatch(TERM);
      if (isBusinessRule(r.id)) expect(r.terms?.length ?? 0, r.id).toBeGreaterThan(0);
    }
  });

  it('every BT/BG placeholder resolved to a known term and its UBL path', () => {
    for (const [id, t] of entries) {
      expect(`${t.en} ${t.ro} ${t.meaning}`, id).not.toMatch(/\{B[TG]-\d+\}/);
      // a term named with its path in `en` carries the path of the dictionary (the credit note form aside)
      for (const m of t.en.matchAll(/\((B[TG]-\d+), ((?:cac|cbc):[^;),\s]+)/g))
        if (!m[2]!.includes('CreditNote')) expect(m[2], id).toBe(BUSINESS_TERMS[m[1]!]![0]);
    }
  });

  it('Romanian texts use comma-below ș/ț, never the cedilla ş/ţ, and differ from the English ones', () => {
    for (const [id, t] of entries) {
      expect(CEDILLA.test(t.ro), `${id}: ${t.ro}`).toBe(false);
      expect(t.ro, id).not.toBe(t.en);
    }
    expect(entries.filter(([, t]) => /[șțăâî]/.test(t.ro)).length).toBeGreaterThan(entries.length * 0.95);
  });

  it('an id appears in one table only', () => {
    const seen = new Map<string, string>();
    const dups: string[] = [];
    for (const [table, t] of Object.entries(RULE_TEXT_TABLES))
      for (const id of Object.keys(t)) {
        if (seen.has(id)) dups.push(`${id} in ${seen.get(id)} and ${table}`);
        seen.set(id, table);
      }
    expect(dups).toEqual([]);
  });

  it('has no entry for an id no rule declares, except the ids listed as not yet declared', () => {
    const declared = new Set(ALL_RULES.map((r) => r.id));
    const undeclared = [...RULE_TEXTS.keys()].filter((id) => !declared.has(id));
    expect(undeclared.filter((id) => !NOT_YET_DECLARED.includes(id))).toEqual([]);
    expect(NOT_YET_DECLARED.filter((id) => !RULE_TEXTS.has(id))).toEqual([]);
  });

  it('covers every forbidden path rule with a generated text naming the path', () => {
    for (const [id, flag, path] of UBL_FORBIDDEN_PATHS) {
      const t = RULE_TEXTS.get(id);
      expect(t, id).toBeDefined();
      expect(t!.terms).toEqual([]);
      const last = path.split('/').pop()!.replace(/^@/, '');
      expect(t!.en, id).toContain(last.replace(/^\(|\)$/g, '').split('|')[0]!);
      expect(t!.ro, id).toContain(last.replace(/^\(|\)$/g, '').split('|')[0]!);
      expect(t!.en.includes('rejects'), id).toBe(flag === 'fatal');
    }
  });
});

describe('forbiddenPathText', () => {
  it('names the element, with union steps expanded', () => {
    const t = forbiddenPathText('(cac:InvoiceLine|cac:CreditNoteLine)/cbc:UUID', 'warning');
    expect(t.en).toMatch(/^Remove cac:InvoiceLine\/cbc:UUID or cac:CreditNoteLine\/cbc:UUID: /);
    expect(t.ro).toMatch(/^Eliminați cac:InvoiceLine\/cbc:UUID sau cac:CreditNoteLine\/cbc:UUID: /);
    expect(t.meaning).toMatch(/^Warns when/);
  });

  it('names the attribute and its element, anywhere in the document', () => {
    const t = forbiddenPathText('//cac:TaxCategory/cbc:ID/@schemeID', 'warning');
    expect(t.en).toMatch(/^Remove the schemeID attribute from cac:TaxCategory\/cbc:ID wherever it appears: /);
    expect(t.ro).toMatch(/^Eliminați atributul schemeID din cac:TaxCategory\/cbc:ID oriunde apare: /);
    expect(forbiddenPathText('//@listName', 'warning').en).toMatch(/^Remove the listName attribute from every element: /);
  });

  it('says the invoice is rejected for a fatal rule', () => {
    const t = forbiddenPathText('cac:Foo', 'fatal');
    expect(t.en).toContain('rejects the invoice');
    expect(t.ro).toContain('respinge factura');
    expect(t.meaning).toMatch(/^Fails when/);
  });
});

describe('withRuleTexts', () => {
  const rule = (id: string, own: Partial<RuleDeclaration> = {}): RuleDeclaration => ({
    id,
    flag: 'fatal',
    source: 'CIUS-RO-1.0.9',
    message: 'spec message',
    context: () => [],
    test: () => true,
    ...own,
  });

  it('fills terms/en/ro/meaning from the catalogue without mutating the input', () => {
    const input = [rule('BR-RO-010')];
    const [out] = withRuleTexts(input);
    expect(out).toMatchObject(RULE_TEXTS.get('BR-RO-010')!);
    expect(input[0]!.en).toBeUndefined();
  });

  it("keeps the declaration's own values", () => {
    const [out] = withRuleTexts([rule('BR-RO-010', { en: 'own en', terms: ['BT-999'] })]);
    expect(out).toMatchObject({ en: 'own en', terms: ['BT-999'], ro: RULE_TEXTS.get('BR-RO-010')!.ro });
  });

  it('returns a rule without catalogue entry unchanged', () => {
    const r = rule('X-UNKNOWN-1');
    expect(withRuleTexts([r])[0]).toBe(r);
  });

  it('RULE_CATALOGUE lists terms, en, ro and meaning', () => {
    const e = RULE_CATALOGUE.find((x) => x.id === 'BR-RO-010')!;
    expect(e).toMatchObject(RULE_TEXTS.get('BR-RO-010')!);
    expect(RULE_CATALOGUE.every((x) => x.en !== x.message && x.ro !== x.message && x.meaning !== x.message)).toBe(true);
  });
});

describe('findings carry the catalogue texts (corpus documents)', () => {
  const finding = (xml: string, id: string) => {
    const f = validateUbl(xml).messages.filter((m) => m.ruleId === id);
    expect(f.length, id).toBeGreaterThan(0);
    return f[0]!;
  };

  it('BR-RO-010 (invoice number without a digit): terms BT-1, ro/en name cbc:ID', () => {
    const f = finding(corpus('ro-mut/mut_BR-RO-010.xml'), 'BR-RO-010');
    expect(f.terms).toEqual(['BT-1']);
    expect(f.ro).toContain('numărul facturii (BT-1, cbc:ID)');
    expect(f.en).toContain('Invoice number (BT-1, cbc:ID)');
    expect(f.message).toMatch(/^\[BR-RO-010\]-/);
    expect(f.en).not.toBe(f.message);
  });

  it('BR-RO-100 (Bucharest seller without sector): terms BT-37/39/40, the fix names SECTOR1..SECTOR6', () => {
    const f = finding(corpus('ro-mut/mut_BR-RO-100.xml'), 'BR-RO-100');
    expect(f.terms).toEqual(['BT-37', 'BT-39', 'BT-40']);
    expect(f.ro).toContain('localitatea vânzătorului (BT-37, cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CityName)');
    expect(f.ro).toContain('SECTOR1');
    expect(f.en).toContain('SECTOR1');
  });

  it('BR-CO-15 (EN 16931 rule) and a UBL-CR warning carry their texts too', () => {
    const f = finding(corpus('ro-mut/mut_BR-RO-030.xml'), 'BR-CO-15');
    expect(f.terms).toEqual(RULE_TEXTS.get('BR-CO-15')!.terms);
    expect(f.terms).toContain('BT-112');
    expect(f.ro).toBe(RULE_TEXTS.get('BR-CO-15')!.ro);
    const withUuid = corpus('ro-mut/mut_BR-RO-010.xml').replace(/(<cbc:ID>[^<]*<\/cbc:ID>)/, '$1<cbc:UUID>x</cbc:UUID>');
    const w = finding(withUuid, 'UBL-CR-005');
    expect(w).toMatchObject({ flag: 'warning', terms: [] });
    expect(w.en).toMatch(/^Remove cbc:UUID: /);
    expect(w.ro).toMatch(/^Eliminați cbc:UUID: /);
  });
});
