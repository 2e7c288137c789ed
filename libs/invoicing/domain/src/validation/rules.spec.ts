import { describe, expect, it } from 'vitest';
import { UblParseError } from '../ubl/ubl-parse-error.js';
import { RULE_CATALOGUE, validateUbl } from './validate-ubl.js';
import { round2 } from './xpath-lite.js';
import Decimal from 'decimal.js';

/** A minimal CIUS-RO 1.0.9 invoice that passes every implemented rule; `o` overrides fragments. */
function invoice(o: Partial<Record<'id' | 'currency' | 'sellerAddr' | 'buyerAddr' | 'lines' | 'taxTotal' | 'totals' | 'extra', string>> = {}): string {
  const addr = (street: string, city: string, sub: string) =>
    `<cac:PostalAddress><cbc:StreetName>${street}</cbc:StreetName><cbc:CityName>${city}</cbc:CityName><cbc:CountrySubentity>${sub}</cbc:CountrySubentity><cac:Country><cbc:IdentificationCode>RO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1</cbc:CustomizationID>
<cbc:ID>${o.id ?? 'INV-001'}</cbc:ID><cbc:IssueDate>2024-05-10</cbc:IssueDate><cbc:DueDate>2024-06-10</cbc:DueDate>
<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>${o.currency ?? 'RON'}</cbc:DocumentCurrencyCode>${o.extra ?? ''}
<cac:AccountingSupplierParty><cac:Party>${o.sellerAddr ?? addr('Str. A 1', 'SECTOR1', 'RO-B')}
<cac:PartyTaxScheme><cbc:CompanyID>RO1234567</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>Seller SRL</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party>${o.buyerAddr ?? addr('Str. B 2', 'Cluj-Napoca', 'RO-CJ')}
<cac:PartyLegalEntity><cbc:RegistrationName>Buyer SRL</cbc:RegistrationName><cbc:CompanyID>J12/1/2020</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
${o.taxTotal ?? `<cac:TaxTotal><cbc:TaxAmount currencyID="RON">19.00</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="RON">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="RON">19.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>`}
${o.totals ?? `<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="RON">100.00</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="RON">100.00</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="RON">119.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="RON">119.00</cbc:PayableAmount></cac:LegalMonetaryTotal>`}
${o.lines ?? line('1', '60.00') + line('2', '40.00')}
</Invoice>`;
}
function line(id: string, amount: string, cat = 'S', pct = '19'): string {
  return `<cac:InvoiceLine><cbc:ID>${id}</cbc:ID><cbc:InvoicedQuantity unitCode="H87">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="RON">${amount}</cbc:LineExtensionAmount><cac:Item><cbc:Name>Item ${id}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>${cat}</cbc:ID><cbc:Percent>${pct}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="RON">${amount}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`;
}

describe('validateUbl on crafted invoices', () => {
  it('accepts the baseline invoice', () => {
    const r = validateUbl(invoice());
    expect(r).toMatchObject({ valid: true, documentType: 'Invoice', fatal: [], warnings: [] });
  });

  it('BR-RO-010: invoice number needs a digit', () => {
    expect(validateUbl(invoice({ id: 'ABC' })).fatal).toEqual(['BR-RO-010']);
    expect(validateUbl(invoice({ id: 'A1' })).fatal).toEqual([]);
  });

  it('BR-RO-030: non-RON invoice needs TaxCurrencyCode RON', () => {
    const eur = invoice({ currency: 'EUR', taxTotal: invoice().match(/<cac:TaxTotal>.*<\/cac:TaxTotal>/s)![0].replaceAll('RON', 'EUR') });
    expect(validateUbl(eur).fatal).toContain('BR-RO-030');
    const withRon = eur.replace('<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>', '<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>RON</cbc:TaxCurrencyCode>');
    expect(validateUbl(withRon).fatal).not.toContain('BR-RO-030');
  });

  it('BR-RO-100 / BR-RO-110: Bucharest sectors and ISO 3166-2:RO counties', () => {
    const bad = (city: string, sub: string) =>
      invoice({ sellerAddr: `<cac:PostalAddress><cbc:StreetName>S</cbc:StreetName><cbc:CityName>${city}</cbc:CityName><cbc:CountrySubentity>${sub}</cbc:CountrySubentity><cac:Country><cbc:IdentificationCode>RO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>` });
    expect(validateUbl(bad('Bucuresti', 'RO-B')).fatal).toEqual(['BR-RO-100']);
    expect(validateUbl(bad('Cluj', 'Cluj')).fatal).toEqual(['BR-RO-110']);
    expect(validateUbl(bad('Cluj', 'RO-CJ')).fatal).toEqual([]);
  });

  it('BR-CO-10 + BR-S-08: totals and VAT breakdown must add up (decimal arithmetic)', () => {
    const r = validateUbl(invoice({ lines: line('1', '60.00') + line('2', '40.01') }));
    expect(r.fatal).toContain('BR-CO-10');
    expect(r.fatal).not.toContain('BR-S-08'); // within the ±1 tolerance of BR-S-08
    const r2 = validateUbl(invoice({ lines: line('1', '60.00') + line('2', '45.00') }));
    expect(r2.fatal).toEqual(expect.arrayContaining(['BR-CO-10', 'BR-S-08']));
  });

  it('BR-CO-15: total with VAT = total without VAT + VAT', () => {
    const bad = invoice().replace('<cbc:TaxInclusiveAmount currencyID="RON">119.00', '<cbc:TaxInclusiveAmount currencyID="RON">119.10');
    expect(validateUbl(bad).fatal).toEqual(expect.arrayContaining(['BR-CO-15', 'BR-CO-16']));
  });

  it('BR-DEC-RO-18 / BR-DEC-18 / UBL-DT-01: at most two decimals', () => {
    const bad = invoice().replace('<cbc:PayableAmount currencyID="RON">119.00', '<cbc:PayableAmount currencyID="RON">119.000');
    expect(validateUbl(bad).fatal).toEqual(['BR-DEC-18', 'BR-DEC-RO-18', 'UBL-DT-01']);
  });

  it('BR-RO-DT001: IssueDate must be a real YYYY-MM-DD date', () => {
    expect(validateUbl(invoice().replace('2024-05-10', '2023-02-29')).fatal).toEqual(['BR-RO-DT001']);
    expect(validateUbl(invoice().replace('2024-05-10', '2024-02-29')).fatal).toEqual([]);
  });

  it('UBL-CR-681: PaymentMeans/InstructionNote is a warning only', () => {
    const r = validateUbl(invoice({ extra: '' }).replace('<cac:TaxTotal>', '<cac:PaymentMeans><cbc:PaymentMeansCode>1</cbc:PaymentMeansCode><cbc:InstructionNote>x</cbc:InstructionNote></cac:PaymentMeans><cac:TaxTotal>'));
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual(['UBL-CR-681']);
    // the finding points at the offending element, not at the root the Schematron rule is evaluated on
    expect(r.messages.find((m) => m.ruleId === 'UBL-CR-681')).toMatchObject({
      flag: 'warning',
      path: '/Invoice/cac:PaymentMeans/cbc:InstructionNote',
      xpath: '/Invoice/cac:PaymentMeans[1]/cbc:InstructionNote[1]',
    });
  });

  it('UBL-DT-08 / UBL-CR-663: `//@name` rules see attributes anywhere in the document', () => {
    const nested = invoice().replace('<cac:InvoiceLine><cbc:ID>1</cbc:ID>', '<cac:InvoiceLine><cbc:ID schemeName="internal">1</cbc:ID>');
    const r = validateUbl(nested);
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual(['UBL-DT-08']);
    expect(r.messages.find((m) => m.ruleId === 'UBL-DT-08')).toMatchObject({ flag: 'warning', path: '/Invoice/cac:InvoiceLine/cbc:ID' });
    const unitList = invoice().replace('unitCode="H87"', 'unitCode="H87" unitCodeListID="UNECERec20"');
    expect(validateUbl(unitList).warnings).toEqual(['UBL-CR-663']);
    // `@schemeName` selects attributes without namespace only
    const namespaced = invoice().replace('<cac:InvoiceLine><cbc:ID>1</cbc:ID>', '<cac:InvoiceLine><cbc:ID xmlns:x="urn:x" x:schemeName="internal">1</cbc:ID>');
    expect(validateUbl(namespaced).warnings).toEqual([]);
  });

  it('throws UblParseError for malformed XML', () => {
    expect(() => validateUbl('<Invoice')).toThrow(UblParseError);
  });
});

describe('helpers and catalogue', () => {
  it('round2 rounds halves towards +infinity like XPath round()', () => {
    expect(round2(new Decimal('2.345')).toString()).toBe('2.35');
    expect(round2(new Decimal('-2.345')).toString()).toBe('-2.34');
  });
  it('RULE_CATALOGUE lists EN 16931 and CIUS-RO rules with flags', () => {
    const ids = new Set(RULE_CATALOGUE.map((r) => r.id));
    expect(ids.has('BR-RO-001')).toBe(true);
    expect(ids.has('BR-CO-15')).toBe(true);
    expect(RULE_CATALOGUE.find((r) => r.id === 'UBL-CR-681')).toMatchObject({ flag: 'warning', source: 'EN16931-1.3.8' });
  });
  it('BR-RO-A051 / BR-RO-A052 are not declared: `count(.) <= 50` on each node can never fail in ANAF\'s artefact', () => {
    const ids = new Set(RULE_CATALOGUE.map((r) => r.id));
    expect(ids.has('BR-RO-A051')).toBe(false);
    expect(ids.has('BR-RO-A052')).toBe(false);
    const refs = Array.from({ length: 51 }, (_, i) => `<cac:AdditionalDocumentReference><cbc:ID>D${i}</cbc:ID></cac:AdditionalDocumentReference>`).join('');
    expect(validateUbl(invoice().replace('<cac:AccountingSupplierParty>', `${refs}<cac:AccountingSupplierParty>`)).fatal).toEqual([]);
  });
});
