/**
 * Property-based round trip of the UBL builder (issue 8 item 7): for random business-valid invoice documents
 * (invoice-arbitraries.ts: every VAT profile, type codes 380/384/389/751 and 381 credit notes, RON and foreign
 * currencies with BT-6 = RON, allowances and charges, B2C buyers...)
 * - `buildCiusRoUbl(x)` has no fatal finding of `validateUbl` (EN 16931 1.3.8 + CIUS-RO 1.0.9);
 * - `invoiceDocumentFromUbl(parse(buildCiusRoUbl(x)))` deep-equals `x` (documents in the form the UBL keeps), and for
 *   any document equals `ublRoundTripForm(x)` and builds the same XML again.
 * fast-check prints the seed and the shrunk counter-example of a failure; rerun it with `{ seed, path }`.
 */
import fc from 'fast-check';
import { InvoiceDocumentSchema, type InvoiceDocument } from '@cetate/invoicing-contracts';
import { describe, expect, it } from 'vitest';
import { validateUbl } from '../validation/validate-ubl.js';
import { buildCiusRoUbl } from './build-ubl.js';
import { INVOICE_PROFILES, invoiceDocumentArbitrary, roStandardRates, ublRoundTripForm } from './invoice-arbitraries.js';
import { invoiceDocumentFromUblXml } from './parse-ubl-invoice.js';

/** Runs per property: enough to meet every profile × type code many times, within ~20 s for the file. */
const RUNS = 300;
/** Room for shrinking a failure (the passing properties take 3-6 s each on the 2-core machine, under load). */
const TIMEOUT_MS = 120_000;

/** Fails with the schema issues when the generator made a document the schema rejects. */
function expectSchemaValid(doc: InvoiceDocument): void {
  const r = InvoiceDocumentSchema.safeParse(doc);
  expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), 'generated document accepted by the schema').toEqual([]);
}

/** Fails with the fatal findings (rule, xpath, message) of the built XML. */
function expectNoFatal(xml: string): void {
  const report = validateUbl(xml);
  const fatal = report.messages.filter((m) => m.flag === 'fatal').map((m) => `${m.ruleId} at ${m.xpath}: ${m.message}`);
  expect(fatal, 'fatal findings of the built UBL').toEqual([]);
}

describe('UBL round trip (property)', () => {
  it(`documents in UBL form: no fatal finding, parse(build(x)) deep-equals x (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(invoiceDocumentArbitrary(), (doc) => {
        expectSchemaValid(doc);
        expect(ublRoundTripForm(doc), 'the generator makes documents in UBL form').toStrictEqual(doc);
        const xml = buildCiusRoUbl(doc);
        expectNoFatal(xml);
        expect(invoiceDocumentFromUblXml(xml)).toStrictEqual(doc);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it(`any document: parse(build(x)) is ublRoundTripForm(x) and builds the same XML (${RUNS / 2} runs)`, () => {
    fc.assert(
      fc.property(invoiceDocumentArbitrary({ form: 'any' }), (doc) => {
        expectSchemaValid(doc);
        const xml = buildCiusRoUbl(doc);
        expectNoFatal(xml);
        const back = invoiceDocumentFromUblXml(xml);
        expect(back).toStrictEqual(ublRoundTripForm(doc));
        expect(buildCiusRoUbl(back)).toBe(xml);
      }),
      { numRuns: RUNS / 2 },
    );
  }, TIMEOUT_MS);

  it('the generator covers every profile, type code, currency kind, allowance/charge kind and both VAT rate periods', () => {
    const docs = fc.sample(invoiceDocumentArbitrary({ form: 'any' }), { numRuns: RUNS, seed: 8007 });
    const seen = new Set<string>();
    for (const d of docs) {
      const cats = new Set(d.lines.map((l) => l.vatCategory));
      if (cats.has('O')) seen.add('out-of-scope');
      if (cats.has('G')) seen.add('export');
      if (cats.has('K')) seen.add('intra-eu');
      if (cats.has('AE') && !cats.has('K')) seen.add('reverse-charge');
      if (d.buyer.vatIdentifier === undefined && /^\d{13}$/.test(d.buyer.legalRegistrationId ?? '')) seen.add('b2c');
      if (cats.has('S') && d.buyer.vatIdentifier !== undefined) seen.add('domestic');
      for (const c of cats) seen.add(`category ${c}`);
      seen.add(`type ${d.documentType} ${d.typeCode}`);
      if (d.precedingInvoice?.issueDate !== undefined) seen.add('BT-25 + BT-26');
      if (d.taxCurrencyCode === 'RON') seen.add(d.exchangeRate !== undefined ? 'BT-6 via exchange rate' : 'BT-6 with BT-111');
      if (d.allowances) seen.add('document allowance');
      if (d.charges) seen.add('document charge');
      if (d.lines.some((l) => l.allowances)) seen.add('line allowance');
      if (d.lines.some((l) => l.charges)) seen.add('line charge');
      if (d.lines.some((l) => l.quantity.startsWith('-'))) seen.add('negative quantity');
      for (const l of d.lines) if (l.vatCategory === 'S') seen.add(`S ${Number(l.vatRate)} % ${roStandardRates(d.issueDate).length === 2 ? 'from' : 'before'} 2025-08-01`);
      if (d.vatExemptions?.some((e) => e.vatCategory === 'E')) seen.add('E with exemption reason');
      if (d.delivery?.address && d.delivery.actualDeliveryDate && d.lines.some((l) => l.vatCategory === 'K')) seen.add('K with delivery date and country');
      if (d.prepaidAmount !== undefined) seen.add('prepaid');
    }
    const expected = [
      ...INVOICE_PROFILES,
      ...['S', 'Z', 'E', 'AE', 'K', 'G', 'O'].map((c) => `category ${c}`),
      ...['Invoice 380', 'Invoice 384', 'Invoice 389', 'Invoice 751', 'CreditNote 381'].map((t) => `type ${t}`),
      'BT-25 + BT-26', 'BT-6 via exchange rate', 'BT-6 with BT-111',
      'document allowance', 'document charge', 'line allowance', 'line charge', 'negative quantity',
      'S 21 % from 2025-08-01', 'S 11 % from 2025-08-01', 'S 19 % before 2025-08-01', 'S 9 % before 2025-08-01', 'S 5 % before 2025-08-01',
      'E with exemption reason', 'K with delivery date and country', 'prepaid',
    ];
    expect(expected.filter((e) => !seen.has(e))).toEqual([]);
  });
});
