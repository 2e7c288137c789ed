import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReceivedInvoiceSchema, type InvoiceDocument, type Party, type ReceivedInvoice, type ReceivedParty } from '@cetate/invoicing-contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCiusRoUbl, buildCiusRoUblWithTotals } from '../document/build-ubl.js';
import { invoiceDocumentArbitrary } from '../document/invoice-arbitraries.js';
import { CREDIT_NOTE, EUR_WITH_RON_VAT, OUT_OF_SCOPE, RON_MIXED, TRICKY_ROUNDING } from '../document/test-fixtures.js';
import { parseUblDocument, text, UblParseError } from '../ubl/index.js';
import { invoiceFromParsedReceivedUbl, invoiceFromReceivedUbl, ReceivedUblError } from './received-invoice.js';

/**
 * The shared conformance corpus (as `conformanceDir()` of `@cetate/platform-testing` finds it: the module boundaries
 * keep a domain's specs off platform libraries) and its documents' roots, from `expected-cius-ro-1.0.9.tsv`.
 */
const CORPUS = process.env['CONFORMANCE_DIR']
  ? resolve(process.env['CONFORMANCE_DIR'])
  : fileURLToPath(new URL('../../../../../../shared/conformance/', import.meta.url));
const corpusRoots = (): Map<string, string> =>
  new Map(
    readFileSync(join(CORPUS, 'expected-cius-ro-1.0.9.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.split('\t').slice(0, 2) as [string, string]),
  );

/** `xml` with `from` replaced (every match for a global RegExp); fails when `from` is not in it. */
function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  expect(out, `${String(from)} is in the XML`).not.toBe(xml);
  return out;
}

/**
 * What the reader must return for a document built by `buildCiusRoUbl`, written from the document and the totals the
 * builder wrote (the VAT breakdown and amounts are the builder's, BT-131/BT-106.. from `computeTotals`).
 */
function expectedOf(doc: InvoiceDocument): ReceivedInvoice {
  const { totals } = buildCiusRoUblWithTotals(doc);
  const isCreditNote = doc.documentType === 'CreditNote';
  const party = (p: Party, role: 'seller' | 'buyer'): ReceivedParty => {
    const ro = p.address.countryCode === 'RO';
    const digits = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) && !/^0+$/.test(s) ? s : undefined);
    const cif = p.vatIdentifier?.startsWith('RO')
      ? p.vatIdentifier.slice(2)
      : ro
        ? ((role === 'seller' ? digits(p.taxRegistrationId) : undefined) ?? digits(p.legalRegistrationId))
        : undefined;
    return {
      name: p.name,
      cif: cif ?? null,
      vatId: p.vatIdentifier ?? null,
      tradeRegister: p.legalRegistrationId ?? null,
      street: p.address.street,
      city: p.address.city,
      countrySubentity: p.address.countrySubdivision ?? null,
      country: p.address.countryCode,
    };
  };
  const docAc = (chargeIndicator: boolean) => (a: NonNullable<InvoiceDocument['allowances']>[number]) => ({
    chargeIndicator,
    amount: a.amount,
    reason: a.reason ?? null,
    reasonCode: a.reasonCode ?? null,
    vatCategoryCode: a.vatCategory,
    vatRate: a.vatRate ?? null,
  });
  const pm = doc.paymentMeans;
  return {
    documentType: doc.documentType,
    typeCode: doc.typeCode,
    number: doc.number,
    issueDate: doc.issueDate,
    // a CreditNote keeps BT-9 in PaymentMeans/PaymentDueDate, written only with payment means
    dueDate: isCreditNote && !pm ? null : (doc.dueDate ?? null),
    currency: doc.currencyCode,
    taxCurrency: doc.taxCurrencyCode ?? null,
    buyerReference: doc.buyerReference ?? null,
    orderReference: doc.orderReference ?? null,
    precedingInvoice: doc.precedingInvoice?.number ?? null,
    supplier: party(doc.seller, 'seller'),
    buyer: party(doc.buyer, 'buyer'),
    lines: doc.lines.map((l, i) => ({
      lineId: l.id,
      name: l.itemName,
      quantity: l.quantity,
      unitCode: l.unitCode,
      unitPrice: l.priceAmount,
      netAmount: totals.lines[i]!.netAmount,
      vatCategoryCode: l.vatCategory,
      vatRate: l.vatRate ?? null,
    })),
    allowanceCharges: [...(doc.allowances ?? []).map(docAc(false)), ...(doc.charges ?? []).map(docAc(true))],
    vat: totals.vatBreakdown.map((v) => ({
      categoryCode: v.vatCategory,
      rate: v.vatRate,
      base: v.taxableAmount,
      amount: v.taxAmount,
      exemptionReason: v.exemptionReason ?? v.exemptionReasonCode ?? null,
    })),
    totals: {
      lineNet: totals.lineExtensionAmount,
      allowances: (doc.allowances?.length ?? 0) > 0 ? totals.allowanceTotalAmount : null,
      charges: (doc.charges?.length ?? 0) > 0 ? totals.chargeTotalAmount : null,
      net: totals.taxExclusiveAmount,
      vat: totals.taxAmount,
      vatInTaxCurrency: totals.taxAmountInTaxCurrency,
      gross: totals.taxInclusiveAmount,
      prepaid: doc.prepaidAmount !== undefined ? totals.prepaidAmount : null,
      rounding: null,
      payable: totals.payableAmount,
    },
    paymentMeans: pm
      ? [
          {
            code: pm.code,
            accountId: pm.account ?? null,
            accountName: pm.account !== undefined ? (pm.accountName ?? null) : null,
            bic: null,
            paymentId: pm.paymentId ?? null,
          },
        ]
      : [],
    notes: doc.notes ?? [],
  };
}

describe('invoiceFromReceivedUbl: documents built by Cetate', () => {
  it('property: for any business-valid document, the parties, lines, allowances, VAT breakdown, totals and payment means are the built ones', () => {
    fc.assert(
      fc.property(invoiceDocumentArbitrary({ form: 'any' }), (doc) => {
        const got = invoiceFromReceivedUbl(buildCiusRoUbl(doc));
        expect(ReceivedInvoiceSchema.parse(got)).toStrictEqual(got);
        expect(got).toStrictEqual(expectedOf(doc));
      }),
      { numRuns: 100, seed: 100_10_2 },
    );
  });

  it('the fixtures (RON mixed rates, tricky rounding with document allowance and charge) read back as built', () => {
    for (const doc of [RON_MIXED, TRICKY_ROUNDING]) expect(invoiceFromReceivedUbl(Buffer.from(buildCiusRoUbl(doc)))).toStrictEqual(expectedOf(doc));
    const tricky = invoiceFromReceivedUbl(buildCiusRoUbl(TRICKY_ROUNDING));
    expect(tricky.allowanceCharges.map((a) => [a.chargeIndicator, a.amount, a.reasonCode])).toEqual([
      [false, '0.05', '95'],
      [true, '10.00', 'FC'],
    ]);
    expect(tricky.lines[0]).toMatchObject({ quantity: '3', unitPrice: '33.335', netAmount: '100.01' });
  });

  it('a credit note: CreditNoteLine / CreditedQuantity, type 381, BT-25 the credited invoice, BT-9 from PaymentMeans', () => {
    const got = invoiceFromReceivedUbl(buildCiusRoUbl(CREDIT_NOTE));
    expect(got).toStrictEqual(expectedOf(CREDIT_NOTE));
    expect(got).toMatchObject({ documentType: 'CreditNote', typeCode: '381', number: 'CTD-NC-2025-0003', precedingInvoice: 'CTD-2025-000142' });
    expect(got.lines).toEqual([expect.objectContaining({ lineId: '1', quantity: '2', unitCode: 'MON', unitPrice: '349.90', netAmount: '699.80' })]);
  });

  it('a foreign-currency invoice: BT-5 EUR, BT-6 RON, BT-110 in EUR and BT-111 in RON, whatever the order of the TaxTotals', () => {
    const xml = buildCiusRoUbl(EUR_WITH_RON_VAT);
    const got = invoiceFromReceivedUbl(xml);
    expect(got).toMatchObject({ currency: 'EUR', taxCurrency: 'RON', totals: { vat: '471.20', vatInTaxCurrency: '2345.21', payable: '2951.19' } });
    expect(got.vat).toEqual([{ categoryCode: 'S', rate: '19', base: '2479.99', amount: '471.20', exemptionReason: null }]);
    const ronTaxTotal = '<cac:TaxTotal><cbc:TaxAmount currencyID="RON">2345.21</cbc:TaxAmount></cac:TaxTotal>';
    const swapped = edit(edit(xml, ronTaxTotal, ''), '<cac:TaxTotal>', `${ronTaxTotal}<cac:TaxTotal>`);
    expect(invoiceFromReceivedUbl(swapped)).toStrictEqual(got);
  });

  it('out of scope (O): no VAT rate on lines nor breakdown, the seller CUI from BT-32 when there is no VAT id', () => {
    const got = invoiceFromReceivedUbl(buildCiusRoUbl(OUT_OF_SCOPE));
    expect(got.lines.every((l) => l.vatCategoryCode === 'O' && l.vatRate === null)).toBe(true);
    expect(got.vat).toEqual([expect.objectContaining({ categoryCode: 'O', rate: null, amount: '0.00', exemptionReason: 'Operatiune in afara sferei TVA (not subject to VAT)' })]);
    expect(got.supplier).toMatchObject({ vatId: null, cif: '41832096' });
  });
});

describe('invoiceFromReceivedUbl: what suppliers send', () => {
  const xml = buildCiusRoUbl(EUR_WITH_RON_VAT);

  it('whitespace around values, + signs and 4 decimals, a date with a time zone, lower-case currency codes', () => {
    let x = edit(xml, '<cbc:ID>CTD-EUR-2025-0007</cbc:ID>', '<cbc:ID>\n    CTD-EUR-2025-0007\n  </cbc:ID>');
    x = edit(x, '<cbc:IssueDate>2025-03-14</cbc:IssueDate>', '<cbc:IssueDate> 2025-03-14+02:00 </cbc:IssueDate>');
    x = edit(x, '<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>', '<cbc:DocumentCurrencyCode> eur </cbc:DocumentCurrencyCode>');
    x = edit(x, '<cbc:PayableAmount currencyID="EUR">2951.19</cbc:PayableAmount>', '<cbc:PayableAmount currencyID="EUR"> +2951.1900 </cbc:PayableAmount>');
    x = edit(x, '<cbc:PriceAmount currencyID="EUR">640.00</cbc:PriceAmount>', '<cbc:PriceAmount currencyID="EUR">640.</cbc:PriceAmount>');
    x = edit(x, '<cbc:Percent>19</cbc:Percent>', '<cbc:Percent> 19.00 </cbc:Percent>');
    x = edit(x, '<cbc:InvoicedQuantity unitCode="DAY">2</cbc:InvoicedQuantity>', '<cbc:InvoicedQuantity unitCode=" DAY ">+.50</cbc:InvoicedQuantity>');
    const got = invoiceFromReceivedUbl(x);
    expect(got).toMatchObject({ number: 'CTD-EUR-2025-0007', issueDate: '2025-03-14', currency: 'EUR', totals: { payable: '2951.1900' } });
    expect(got.lines[0]).toMatchObject({ unitPrice: '640', quantity: '0.50', unitCode: 'DAY' });
    expect(got.vat[0]!.rate).toBe('19.00');
    expect(ReceivedInvoiceSchema.parse(got)).toStrictEqual(got);
  });

  it('several payment means, IBAN with spaces in lower case, BIC; BT-9 absent', () => {
    const second =
      '<cac:PaymentMeans><cbc:PaymentMeansCode>42</cbc:PaymentMeansCode><cbc:PaymentID>FACT 7</cbc:PaymentID>' +
      '<cac:PayeeFinancialAccount><cbc:ID> ro49 aaaa 1b31 0075 9384 0000 </cbc:ID><cbc:Name>Furnizor SRL</cbc:Name>' +
      '<cac:FinancialInstitutionBranch><cbc:ID>AAAARO2X</cbc:ID></cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount></cac:PaymentMeans>';
    let x = edit(xml, '<cac:TaxTotal>', `${second}<cac:PaymentMeans><cbc:PaymentMeansCode>10</cbc:PaymentMeansCode></cac:PaymentMeans><cac:TaxTotal>`);
    x = edit(x, '<cbc:DueDate>2025-04-13</cbc:DueDate>', '');
    const got = invoiceFromReceivedUbl(x);
    expect(got.dueDate).toBeNull();
    expect(got.paymentMeans).toEqual([
      { code: '30', accountId: 'RO66BACX0000001234567890', accountName: null, bic: null, paymentId: null },
      { code: '42', accountId: 'RO49AAAA1B31007593840000', accountName: 'Furnizor SRL', bic: 'AAAARO2X', paymentId: 'FACT 7' },
      { code: '10', accountId: null, accountName: null, bic: null, paymentId: null },
    ]);
  });

  it('supplier CUI: BT-31 with or without RO; a foreign supplier has none (its VAT id as written); BT-32 of a foreign supplier is not a CUI', () => {
    const noPrefix = invoiceFromReceivedUbl(edit(xml, '<cbc:CompanyID>RO41832096</cbc:CompanyID>', '<cbc:CompanyID> ro 41832096 </cbc:CompanyID>'));
    expect(noPrefix.supplier).toMatchObject({ cif: '41832096', vatId: 'ro 41832096' });
    expect(invoiceFromReceivedUbl(edit(xml, '<cbc:CompanyID>RO41832096</cbc:CompanyID>', '<cbc:CompanyID>41832096</cbc:CompanyID>')).supplier.cif).toBe('41832096');

    const seller = /<cac:AccountingSupplierParty>[\s\S]*<\/cac:AccountingSupplierParty>/.exec(xml)![0];
    const foreign = seller
      .replace('<cbc:IdentificationCode>RO</cbc:IdentificationCode>', '<cbc:IdentificationCode>DE</cbc:IdentificationCode>')
      .replace('<cbc:CountrySubentity>RO-B</cbc:CountrySubentity>', '')
      .replace('<cbc:CompanyID>RO41832096</cbc:CompanyID>', '<cbc:CompanyID>DE123456789</cbc:CompanyID>')
      .replace('<cbc:CompanyID>J40/12345/2019</cbc:CompanyID>', '<cbc:CompanyID>12345678</cbc:CompanyID>')
      .replace('</cac:PartyTaxScheme>', '</cac:PartyTaxScheme><cac:PartyTaxScheme><cbc:CompanyID>9876543210</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>');
    const got = invoiceFromReceivedUbl(edit(xml, seller, foreign));
    expect(got.supplier).toEqual({
      name: 'Cetate Demo Software SRL',
      cif: null,
      vatId: 'DE123456789',
      tradeRegister: '12345678',
      street: 'Strada Academiei nr. 7, et. 2',
      city: 'SECTOR1',
      countrySubentity: null,
      country: 'DE',
    });
    // the Romanian BT-32 (scheme other than VAT) of a supplier without VAT id
    const bt32 = seller.replace(
      '<cac:PartyTaxScheme><cbc:CompanyID>RO41832096</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>',
      '<cac:PartyTaxScheme><cbc:CompanyID>RO 18547290</cbc:CompanyID><cac:TaxScheme><cbc:ID>TAX</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>',
    );
    expect(invoiceFromReceivedUbl(edit(xml, seller, bt32)).supplier).toMatchObject({ cif: '18547290', vatId: null });
  });

  it('the trading name BT-28 when there is no registration name; absent optional terms are null, not errors', () => {
    let x = edit(xml, '<cbc:RegistrationName>Cetate Demo Software SRL</cbc:RegistrationName>', '');
    x = edit(x, /<cac:LegalMonetaryTotal>[\s\S]*<\/cac:LegalMonetaryTotal>/, '<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">2951.19</cbc:PayableAmount></cac:LegalMonetaryTotal>');
    x = edit(x, /<cac:TaxTotal>[\s\S]*<\/cac:TaxTotal>/, '');
    x = edit(x, /<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, '<cac:InvoiceLine><cac:Item><cbc:Name>Ceva</cbc:Name></cac:Item></cac:InvoiceLine>');
    x = edit(x, '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>', '');
    x = edit(x, /<cac:AccountingCustomerParty>[\s\S]*<\/cac:AccountingCustomerParty>/, '');
    const got = invoiceFromReceivedUbl(x);
    expect(ReceivedInvoiceSchema.parse(got)).toStrictEqual(got);
    expect(got.supplier.name).toBe('Cetate Demo');
    expect(got.typeCode).toBe('380');
    expect(got.totals).toEqual({ lineNet: null, allowances: null, charges: null, net: null, vat: null, vatInTaxCurrency: null, gross: null, prepaid: null, rounding: null, payable: '2951.19' });
    expect(got.vat).toEqual([]);
    expect(got.lines).toEqual([{ lineId: '1', name: 'Ceva', quantity: null, unitCode: null, unitPrice: null, netAmount: null, vatCategoryCode: null, vatRate: null }]);
    expect(got.buyer).toEqual({ name: null, cif: null, vatId: null, tradeRegister: null, street: null, city: null, countrySubentity: null, country: null });
  });

  it('invoiceFromParsedReceivedUbl reads a tree already parsed, the same way', () => {
    expect(invoiceFromParsedReceivedUbl(parseUblDocument(xml))).toStrictEqual(invoiceFromReceivedUbl(xml));
  });
});

describe('invoiceFromReceivedUbl: errors', () => {
  const xml = buildCiusRoUbl(RON_MIXED);
  const number = RON_MIXED.number;

  it.each([
    ['BT-1', `<cbc:ID>${number}</cbc:ID>`, '', '/Invoice/cbc:ID'],
    ['BT-1', `<cbc:ID>${number}</cbc:ID>`, '<cbc:ID>  </cbc:ID>', '/Invoice/cbc:ID'],
    ['BT-2', /<cbc:IssueDate>[^<]*<\/cbc:IssueDate>/, '', '/Invoice/cbc:IssueDate'],
    ['BT-2', /<cbc:IssueDate>[^<]*<\/cbc:IssueDate>/, '<cbc:IssueDate>14.03.2025</cbc:IssueDate>', '/Invoice/cbc:IssueDate'],
    ['BT-5', /<cbc:DocumentCurrencyCode>[^<]*<\/cbc:DocumentCurrencyCode>/, '', '/Invoice/cbc:DocumentCurrencyCode'],
    ['BT-115', /<cbc:PayableAmount[^>]*>[^<]*<\/cbc:PayableAmount>/, '', '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount'],
    ['BT-115', /<cbc:PayableAmount([^>]*)>[^<]*<\/cbc:PayableAmount>/, '<cbc:PayableAmount$1>1,234.00</cbc:PayableAmount>', '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount'],
  ] as const)('%s missing or unreadable (%s → %j) → ReceivedUblError RECEIVED_UBL_UNREADABLE', (term, from, to, path) => {
    const read = () => invoiceFromReceivedUbl(edit(xml, from, to));
    expect(read).toThrow(ReceivedUblError);
    expect(read).toThrow(expect.objectContaining({ code: 'RECEIVED_UBL_UNREADABLE', term, path, message: expect.stringContaining(term) }));
  });

  it('malformed XML → UblParseError UBL_MALFORMED; another root (an ANAF error report, an Order) → UBL_UNKNOWN_ROOT', () => {
    expect(() => invoiceFromReceivedUbl(xml.slice(0, 500))).toThrow(expect.objectContaining({ name: 'UblParseError', code: 'UBL_MALFORMED' }));
    const report = '<header xmlns="mfp:anaf:dgti:efactura:mesajEroriFactuta:v1" Index_incarcare="5011636148" Cif_emitent="47024170"><Error errorMessage="E: x"/></header>';
    expect(() => invoiceFromReceivedUbl(Buffer.from(report))).toThrow(UblParseError);
    expect(() => invoiceFromReceivedUbl(Buffer.from(report))).toThrow(expect.objectContaining({ code: 'UBL_UNKNOWN_ROOT' }));
    const order = '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>';
    expect(() => invoiceFromReceivedUbl(order)).toThrow(expect.objectContaining({ code: 'UBL_UNKNOWN_ROOT' }));
  });
});

describe('invoiceFromReceivedUbl over the conformance corpus', () => {
  const roots = corpusRoots();
  const REQUIRED: readonly (readonly [term: string, path: string])[] = [
    ['BT-1', 'cbc:ID'],
    ['BT-2', 'cbc:IssueDate'],
    ['BT-5', 'cbc:DocumentCurrencyCode'],
    ['BT-115', 'cac:LegalMonetaryTotal/cbc:PayableAmount'],
  ];

  it('every Invoice / CreditNote with BT-1, BT-2, BT-5 and BT-115 (every whole document) reads into a ReceivedInvoice; any other gives the typed error naming the missing term', () => {
    let read = 0;
    const failures: string[] = [];
    for (const [file, root] of roots) {
      const bytes = readFileSync(join(CORPUS, file));
      let parsed;
      try {
        parsed = parseUblDocument(bytes);
      } catch (e) {
        // a malformed or non-UBL document: the parser's own typed error, and the reader gives the same
        expect(e, file).toBeInstanceOf(UblParseError);
        expect(() => invoiceFromReceivedUbl(bytes), file).toThrow(UblParseError);
        continue;
      }
      expect(parsed.root, file).toBe(root);
      const missing = REQUIRED.filter(([, path]) => !text(parsed.document.documentElement, path)).map(([term]) => term);
      if (missing.length > 0) {
        expect(() => invoiceFromReceivedUbl(bytes), file).toThrow(ReceivedUblError);
        expect(() => invoiceFromReceivedUbl(bytes), file).toThrow(expect.objectContaining({ term: expect.toBeOneOf(missing) }));
        continue;
      }
      try {
        const got = invoiceFromReceivedUbl(bytes);
        expect(ReceivedInvoiceSchema.parse(got)).toStrictEqual(got);
        expect(got.documentType).toBe(root);
        read++;
      } catch (e) {
        failures.push(`${file}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    // the 78 whole documents all read; the 904 `en-unit-*` fragments of single business rules mostly lack BT-1
    const whole = [...roots.keys()].filter((f) => !f.startsWith('invoices/en-unit-')).length;
    expect(whole).toBeGreaterThanOrEqual(78);
    expect(read).toBeGreaterThanOrEqual(whole);
  });

  it('the ANAF and other Romanian samples and the EN 16931 examples: the totals and lines are the documents own', () => {
    const files = [...roots.keys()].filter((f) => /^invoices\/(ro-anaf|ro-other|ro-phive|en-examples)\//.test(f));
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const bytes = readFileSync(join(CORPUS, file));
      const got = invoiceFromReceivedUbl(bytes);
      const root = parseUblDocument(bytes).document.documentElement;
      expect(got.number, file).toBe(text(root, 'cbc:ID'));
      expect(got.totals.payable, file).toBe(text(root, 'cac:LegalMonetaryTotal/cbc:PayableAmount'));
      expect(got.lines.length, file).toBe(root.elements.filter((e) => e.localName === `${got.documentType}Line`).length);
    }
    const anaf = invoiceFromReceivedUbl(readFileSync(join(CORPUS, 'invoices/ro-anaf/eInvoice_ex.xml')));
    expect(ReceivedInvoiceSchema.parse(anaf)).toStrictEqual(anaf);
    expect(anaf.vat.length).toBeGreaterThan(0);
  });
});
