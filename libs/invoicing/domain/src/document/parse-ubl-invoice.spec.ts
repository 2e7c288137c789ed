import { CetateError } from '@cetate/shared-errors';
import type { InvoiceDocument } from '@cetate/invoicing-contracts';
import { describe, expect, it } from 'vitest';
import { NS_CAC, NS_CBC, NS_INVOICE } from '../ubl/ubl-namespaces.js';
import { UblParseError } from '../ubl/ubl-parse-error.js';
import { RO_CIUS_ID } from '../validation/rules/cius-ro.rules.js';
import { buildCiusRoUbl } from './build-ubl.js';
import { invoiceDocumentFromUblXml, UblInvoiceDocumentError } from './parse-ubl-invoice.js';
import { CREDIT_NOTE, EUR_WITH_RON_VAT, EXEMPT, FIXTURES, INTRA_COMMUNITY, OUT_OF_SCOPE, RON_MIXED, TRICKY_ROUNDING, ZERO_RATED_PREPAID } from './test-fixtures.js';

/** The error `fn` throws (fails when it throws nothing). */
function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** `xml` with `from` replaced once; fails when `from` is not in it (so a test cannot pass on an unchanged XML). */
function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  expect(out, `${String(from)} is in the XML`).not.toBe(xml);
  return out;
}

/** Plain JSON copy (drops `undefined` keys of hand-written fixtures). */
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('invoiceDocumentFromUbl', () => {
  it.each(
    Object.entries({ RON_MIXED, TRICKY_ROUNDING, CREDIT_NOTE, EXEMPT, ZERO_RATED_PREPAID }),
  )('reads back the %s fixture exactly (a document in the form the UBL keeps)', (_name, doc) => {
    expect(invoiceDocumentFromUblXml(buildCiusRoUbl(doc))).toStrictEqual(json(doc));
  });

  it('reads every fixture without losing a term: building the result again gives the same XML', () => {
    for (const doc of Object.values(FIXTURES)) {
      const xml = buildCiusRoUbl(doc);
      expect(buildCiusRoUbl(invoiceDocumentFromUblXml(xml))).toBe(xml);
    }
  });

  it('foreign currency: BT-6 RON and BT-111 come back as taxTotalInTaxCurrency (the exchange rate is not in the UBL)', () => {
    const back = invoiceDocumentFromUblXml(buildCiusRoUbl(EUR_WITH_RON_VAT));
    // BT-110 = round2(0.19 × (2 × 640.00 + 1199.99)) = 471.20 EUR; × 4.9771 = 2345.21 RON
    const { exchangeRate: _rate, ...rest } = json(EUR_WITH_RON_VAT);
    expect(back).toStrictEqual({ ...rest, taxTotalInTaxCurrency: '2345.21' });
  });

  it('default exemption reasons come back as explicit vatExemptions (K: VATEX-EU-IC; O: VATEX-EU-O)', () => {
    expect(invoiceDocumentFromUblXml(buildCiusRoUbl(INTRA_COMMUNITY)).vatExemptions).toEqual([
      { vatCategory: 'K', reasonCode: 'VATEX-EU-IC', reason: 'Livrare intracomunitara scutita (intra-community supply)' },
    ]);
    const o = invoiceDocumentFromUblXml(buildCiusRoUbl(OUT_OF_SCOPE));
    expect(o.vatExemptions).toEqual([{ vatCategory: 'O', reasonCode: 'VATEX-EU-O', reason: 'Operatiune in afara sferei TVA (not subject to VAT)' }]);
    expect(o.seller.taxRegistrationId).toBe('41832096'); // BT-32: the PartyTaxScheme whose scheme is not VAT
    expect(o.seller.vatIdentifier).toBeUndefined();
  });

  it('credit note: root CreditNote, BT-9 from PaymentMeans/PaymentDueDate, lines from CreditNoteLine/CreditedQuantity', () => {
    const back = invoiceDocumentFromUblXml(buildCiusRoUbl(CREDIT_NOTE));
    expect(back).toMatchObject({ documentType: 'CreditNote', typeCode: '381', dueDate: '2025-03-30', precedingInvoice: { number: 'CTD-2025-000142', issueDate: '2025-03-14' } });
    expect(back.lines).toEqual([expect.objectContaining({ id: '1', quantity: '2', unitCode: 'MON' })]);
  });

  it('reads a supplier invoice written with other prefixes, ignoring the terms the document has no field for', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ubl:Invoice xmlns:ubl="${NS_INVOICE}" xmlns:c="${NS_CAC}" xmlns:b="${NS_CBC}">
  <b:CustomizationID>${RO_CIUS_ID}</b:CustomizationID>
  <b:ID>F-2025-17</b:ID>
  <b:IssueDate>2025-09-02</b:IssueDate>
  <b:DueDate>2025-10-02</b:DueDate>
  <b:InvoiceTypeCode>380</b:InvoiceTypeCode>
  <b:Note>  Multumim!  </b:Note>
  <b:TaxPointDate>2025-09-01</b:TaxPointDate>
  <b:DocumentCurrencyCode>RON</b:DocumentCurrencyCode>
  <b:TaxCurrencyCode>RON</b:TaxCurrencyCode>
  <c:AdditionalDocumentReference><b:ID>ATT-1</b:ID></c:AdditionalDocumentReference>
  <c:AccountingSupplierParty><c:Party>
    <b:EndpointID schemeID="EM">facturi@furnizor.ro</b:EndpointID>
    <c:PartyIdentification><b:ID>123</b:ID></c:PartyIdentification>
    <c:PostalAddress><b:StreetName>Str. Fabricii 3</b:StreetName><b:CityName>Cluj-Napoca</b:CityName><b:CountrySubentity>RO-CJ</b:CountrySubentity><c:Country><b:IdentificationCode>RO</b:IdentificationCode></c:Country></c:PostalAddress>
    <c:PartyTaxScheme><b:CompanyID>RO35246718</b:CompanyID><c:TaxScheme><b:ID>VAT</b:ID></c:TaxScheme></c:PartyTaxScheme>
    <c:PartyLegalEntity><b:RegistrationName>Furnizor SRL</b:RegistrationName><b:CompanyID>J12/1/2020</b:CompanyID></c:PartyLegalEntity>
  </c:Party></c:AccountingSupplierParty>
  <c:AccountingCustomerParty><c:Party>
    <c:PostalAddress><b:StreetName>Bd. Unirii 1</b:StreetName><b:CityName>SECTOR3</b:CityName><b:CountrySubentity>RO-B</b:CountrySubentity><c:Country><b:IdentificationCode>RO</b:IdentificationCode></c:Country></c:PostalAddress>
    <c:PartyTaxScheme><b:CompanyID>RO41832096</b:CompanyID><c:TaxScheme><b:ID>VAT</b:ID></c:TaxScheme></c:PartyTaxScheme>
    <c:PartyTaxScheme><b:CompanyID>41832096</b:CompanyID><c:TaxScheme><b:ID>TAX</b:ID></c:TaxScheme></c:PartyTaxScheme>
    <c:PartyLegalEntity><b:RegistrationName>Cumparator SA</b:RegistrationName></c:PartyLegalEntity>
    <c:Contact><b:ElectronicMail>achizitii@cumparator.ro</b:ElectronicMail></c:Contact>
  </c:Party></c:AccountingCustomerParty>
  <c:PaymentMeans><b:PaymentMeansCode name="Transfer">30</b:PaymentMeansCode><c:PayeeFinancialAccount><b:ID>RO49AAAA1B31007593840000</b:ID></c:PayeeFinancialAccount></c:PaymentMeans>
  <c:AllowanceCharge><b:ChargeIndicator>1</b:ChargeIndicator><b:AllowanceChargeReasonCode>FC</b:AllowanceChargeReasonCode><b:Amount currencyID="RON">10</b:Amount><c:TaxCategory><b:ID>S</b:ID><b:Percent>21</b:Percent><c:TaxScheme><b:ID>VAT</b:ID></c:TaxScheme></c:TaxCategory></c:AllowanceCharge>
  <c:TaxTotal><b:TaxAmount currencyID="RON">23.10</b:TaxAmount></c:TaxTotal>
  <c:LegalMonetaryTotal><b:PayableAmount currencyID="RON">133.10</b:PayableAmount></c:LegalMonetaryTotal>
  <c:InvoiceLine>
    <b:ID>1</b:ID>
    <b:InvoicedQuantity unitCode="H87">2</b:InvoicedQuantity>
    <b:LineExtensionAmount currencyID="RON">100.00</b:LineExtensionAmount>
    <c:Item><b:Name>Surub M8</b:Name><c:ClassifiedTaxCategory><b:ID>S</b:ID><b:Percent>21</b:Percent><c:TaxScheme><b:ID>VAT</b:ID></c:TaxScheme></c:ClassifiedTaxCategory></c:Item>
    <c:Price><b:PriceAmount currencyID="RON">50</b:PriceAmount><b:BaseQuantity unitCode="H87">1.00</b:BaseQuantity></c:Price>
  </c:InvoiceLine>
</ubl:Invoice>`;
    const expected: InvoiceDocument = {
      documentType: 'Invoice',
      number: 'F-2025-17',
      issueDate: '2025-09-02',
      typeCode: '380',
      currencyCode: 'RON',
      dueDate: '2025-10-02',
      notes: ['Multumim!'],
      seller: {
        name: 'Furnizor SRL',
        legalRegistrationId: 'J12/1/2020',
        vatIdentifier: 'RO35246718',
        address: { street: 'Str. Fabricii 3', city: 'Cluj-Napoca', countrySubdivision: 'RO-CJ', countryCode: 'RO' },
      },
      buyer: {
        name: 'Cumparator SA',
        vatIdentifier: 'RO41832096',
        address: { street: 'Bd. Unirii 1', city: 'SECTOR3', countrySubdivision: 'RO-B', countryCode: 'RO' },
        contact: { email: 'achizitii@cumparator.ro' },
      },
      paymentMeans: { code: '30', account: 'RO49AAAA1B31007593840000' },
      charges: [{ amount: '10', vatCategory: 'S', vatRate: '21', reasonCode: 'FC' }],
      lines: [{ id: '1', quantity: '2', unitCode: 'H87', itemName: 'Surub M8', priceAmount: '50', vatCategory: 'S', vatRate: '21' }],
    };
    expect(invoiceDocumentFromUblXml(xml)).toStrictEqual(expected);
  });

  describe('errors', () => {
    const ron = buildCiusRoUbl(RON_MIXED);

    it.each([
      ['BT-1', ron.replace('<cbc:ID>CTD-2025-000142</cbc:ID>', ''), '/Invoice/cbc:ID'],
      ['BT-44', ron.replace('<cbc:RegistrationName>Transilvania Distributie SRL</cbc:RegistrationName>', ''), '/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'],
      ['BT-130', ron.replace(' unitCode="HUR"', ''), '/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity/@unitCode'],
      ['BT-146', ron.replace(/<cac:Price><cbc:PriceAmount currencyID="RON">102.667<\/cbc:PriceAmount><\/cac:Price>/, ''), '/Invoice/cac:InvoiceLine[3]/cac:Price/cbc:PriceAmount'],
      ['BT-40', ron.replace('<cbc:IdentificationCode>RO</cbc:IdentificationCode>', ''), '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode'],
      ['BG-25', ron.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, ''), '/Invoice/cac:InvoiceLine'],
      ['BT-111', buildCiusRoUbl(EUR_WITH_RON_VAT).replace(/<cac:TaxTotal><cbc:TaxAmount currencyID="RON">[0-9.]+<\/cbc:TaxAmount><\/cac:TaxTotal>/, ''), "/Invoice/cac:TaxTotal/cbc:TaxAmount[@currencyID='RON']"],
    ])('UBL_TERM_MISSING %s', (term, xml, path) => {
      expect(xml).not.toBe(buildCiusRoUbl(term === 'BT-111' ? EUR_WITH_RON_VAT : RON_MIXED));
      const e = errorOf(() => invoiceDocumentFromUblXml(xml));
      expect(e).toBeInstanceOf(UblInvoiceDocumentError);
      expect(e).toBeInstanceOf(CetateError);
      expect(e).toMatchObject({ code: 'UBL_TERM_MISSING', term, path });
      expect((e as Error).message).toContain(term);
    });

    it('UBL_TERM_MISSING for an allowance/charge whose ChargeIndicator is not an xs:boolean', () => {
      const xml = edit(buildCiusRoUbl(TRICKY_ROUNDING), '<cbc:ChargeIndicator>false</cbc:ChargeIndicator>', '<cbc:ChargeIndicator>no</cbc:ChargeIndicator>');
      expect(errorOf(() => invoiceDocumentFromUblXml(xml))).toMatchObject({ code: 'UBL_TERM_MISSING', path: '/Invoice/cac:AllowanceCharge[1]/cbc:ChargeIndicator' });
    });

    it('UBL_TERM_UNSUPPORTED when the price is per a base quantity other than 1 (BT-149); BaseQuantity 1.000 is fine', () => {
      const withBase = (q: string) => edit(ron, '<cbc:PriceAmount currencyID="RON">333.35</cbc:PriceAmount>', `<cbc:PriceAmount currencyID="RON">333.35</cbc:PriceAmount><cbc:BaseQuantity unitCode="HUR">${q}</cbc:BaseQuantity>`);
      expect(errorOf(() => invoiceDocumentFromUblXml(withBase('10')))).toMatchObject({ code: 'UBL_TERM_UNSUPPORTED', term: 'BT-149', path: '/Invoice/cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity' });
      expect(invoiceDocumentFromUblXml(withBase('1.000')).lines[1]!.priceAmount).toBe('333.35');
    });

    it('UBL_DOCUMENT_INVALID with the schema issues as field errors; validate: false returns the terms as written', () => {
      const xml = edit(ron, /<cac:ClassifiedTaxCategory><cbc:ID>S<\/cbc:ID><cbc:Percent>9<\/cbc:Percent>/, '<cac:ClassifiedTaxCategory><cbc:ID>L</cbc:ID><cbc:Percent>9</cbc:Percent>');
      const e = errorOf(() => invoiceDocumentFromUblXml(xml)) as UblInvoiceDocumentError;
      expect(e).toMatchObject({ code: 'UBL_DOCUMENT_INVALID' });
      expect(e.errors).toContainEqual({ path: 'lines.2.vatCategory', message: expect.any(String) });
      expect(invoiceDocumentFromUblXml(xml, { validate: false }).lines[2]!.vatCategory).toBe('L');
    });

    it('a TaxCurrencyCode equal to the document currency carries nothing and is dropped', () => {
      const xml = edit(ron, '<cbc:DocumentCurrencyCode>RON</cbc:DocumentCurrencyCode>', '<cbc:DocumentCurrencyCode>RON</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>RON</cbc:TaxCurrencyCode>');
      expect(invoiceDocumentFromUblXml(xml)).toStrictEqual(json(RON_MIXED));
    });

    it('XML that is not UBL fails in the parser (UblParseError)', () => {
      expect(errorOf(() => invoiceDocumentFromUblXml('<Invoice'))).toBeInstanceOf(UblParseError);
      expect(errorOf(() => invoiceDocumentFromUblXml('<Invoice xmlns="urn:other"/>'))).toMatchObject({ code: 'UBL_UNKNOWN_ROOT' });
    });
  });
});
