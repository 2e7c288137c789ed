import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as lists from '../code-lists/index.js';
import { RULE_CATALOGUE, validateUbl } from '../validate-ubl.js';
import { CODE_LIST_RULES } from './code-list.rules.js';

/**
 * BR-CL rules (EN 16931 1.3.8 code lists, as ANAF's CIUS-RO 1.0.9 applies them) and the code-list
 * data. Each rule: a baseline invoice carrying every coded element with a valid code fires no BR-CL
 * rule; one edit makes exactly that rule fire.
 */

const NS =
  'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ' +
  'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" ' +
  'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"';

const address = (street: string, sub: string, country = 'RO') =>
  `<cac:PostalAddress><cbc:StreetName>${street}</cbc:StreetName><cbc:CityName>Cluj-Napoca</cbc:CityName>` +
  `<cbc:CountrySubentity>${sub}</cbc:CountrySubentity><cac:Country><cbc:IdentificationCode>${country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>`;
const vat = (id: string, tag = 'TaxCategory') => `<cac:${tag}><cbc:ID>${id}</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:${tag}>`;

/**
 * A CIUS-RO invoice with every element a BR-CL rule checks, each with a valid code. Each coded value
 * appears once with a distinctive neighbourhood so that a test can edit exactly one of them.
 */
const BASE = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice ${NS}>
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1</cbc:CustomizationID>
<cbc:ID>INV-001</cbc:ID><cbc:IssueDate>2024-05-10</cbc:IssueDate><cbc:DueDate>2024-06-10</cbc:DueDate>
<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
<cbc:Note>#AAI#General note</cbc:Note>
<cbc:DocumentCurrencyCode>RON</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>RON</cbc:TaxCurrencyCode>
<cac:InvoicePeriod><cbc:DescriptionCode>3</cbc:DescriptionCode></cac:InvoicePeriod>
<cac:AdditionalDocumentReference><cbc:ID schemeID="ABZ">OBJ-1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>
<cac:AdditionalDocumentReference><cbc:ID>ATT-1</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="a.pdf">JVBERi0=</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>
<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="EM">seller@example.ro</cbc:EndpointID>
<cac:PartyIdentification><cbc:ID schemeID="0088">5940000000001</cbc:ID></cac:PartyIdentification>
${address('Str. A 1', 'RO-CJ')}
<cac:PartyTaxScheme><cbc:CompanyID>RO1234567</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>Seller SRL</cbc:RegistrationName><cbc:CompanyID schemeID="0002">J12/1/2020</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="9947">buyer-endpoint</cbc:EndpointID>
<cac:PartyIdentification><cbc:ID schemeID="0160">BUYER-ID</cbc:ID></cac:PartyIdentification>
${address('Str. B 2', 'RO-CJ')}
<cac:PartyLegalEntity><cbc:RegistrationName>Buyer SRL</cbc:RegistrationName><cbc:CompanyID>J12/2/2020</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
<cac:Delivery><cac:DeliveryLocation><cbc:ID schemeID="0088">5940000000002</cbc:ID><cac:Address><cbc:CityName>Cluj-Napoca</cbc:CityName><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:Address></cac:DeliveryLocation></cac:Delivery>
<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>
<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode><cbc:Amount currencyID="RON">10.00</cbc:Amount>${vat('S')}</cac:AllowanceCharge>
<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode><cbc:Amount currencyID="RON">10.00</cbc:Amount>${vat('S')}</cac:AllowanceCharge>
<cac:TaxTotal><cbc:TaxAmount currencyID="RON">19.00</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="RON">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="RON">19.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cbc:TaxExemptionReasonCode>vatex-eu-ic</cbc:TaxExemptionReasonCode><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="RON">100.00</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="RON">100.00</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="RON">119.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="RON">119.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="H87">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="RON">100.00</cbc:LineExtensionAmount>
<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>100</cbc:AllowanceChargeReasonCode><cbc:Amount currencyID="RON">0.00</cbc:Amount><cbc:BaseAmount currencyID="RON">100.00</cbc:BaseAmount></cac:AllowanceCharge>
<cac:Item><cbc:Name>Item 1</cbc:Name><cac:StandardItemIdentification><cbc:ID schemeID="0160">05940000000003</cbc:ID></cac:StandardItemIdentification>
<cac:OriginCountry><cbc:IdentificationCode>IT</cbc:IdentificationCode></cac:OriginCountry>
<cac:CommodityClassification><cbc:ItemClassificationCode listID="STI">12345678</cbc:ItemClassificationCode></cac:CommodityClassification>
${vat('Z', 'ClassifiedTaxCategory')}</cac:Item>
<cac:Price><cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="C62">1</cbc:BaseQuantity></cac:Price></cac:InvoiceLine>
</Invoice>`;

/** Distinct BR-CL ids among the failed rules (fatal or not) of a document. */
function brCl(xml: string): string[] {
  const r = validateUbl(xml);
  return [...new Set([...r.fatal, ...r.warnings].filter((id) => id.startsWith('BR-CL-')))].sort();
}

/** `BASE` with `from` (which must occur exactly once) replaced by `to`. */
function edit(from: string, to: string, xml = BASE): string {
  expect(xml.split(from)).toHaveLength(2);
  return xml.replace(from, to);
}

describe('BR-CL rules on a baseline invoice with every coded element', () => {
  it('the baseline fires no BR-CL rule', () => {
    expect(brCl(BASE)).toEqual([]);
  });

  // [rule, from, to]: each edit breaks one code and must fire exactly that rule
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['BR-CL-01', '<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>999<'],
    ['BR-CL-03', '<cbc:PriceAmount currencyID="EUR">', '<cbc:PriceAmount currencyID="LEI">'],
    ['BR-CL-03', '<cbc:BaseAmount currencyID="RON">', '<cbc:BaseAmount currencyID="">'],
    ['BR-CL-04', '<cbc:DocumentCurrencyCode>RON<', '<cbc:DocumentCurrencyCode>ROL<'],
    ['BR-CL-05', '<cbc:TaxCurrencyCode>RON<', '<cbc:TaxCurrencyCode>lei<'],
    ['BR-CL-06', '<cbc:DescriptionCode>3<', '<cbc:DescriptionCode>5<'],
    ['BR-CL-07', 'schemeID="ABZ"', 'schemeID="XX1"'],
    ['BR-CL-08', '#AAI#General', '#QQQ#General'],
    ['BR-CL-10', '<cbc:ID schemeID="0088">5940000000001', '<cbc:ID schemeID="GLN">5940000000001'],
    ['BR-CL-11', '<cbc:CompanyID schemeID="0002">', '<cbc:CompanyID schemeID="ONRC">'],
    ['BR-CL-13', 'listID="STI"', 'listID="CPV"'],
    ['BR-CL-14', '<cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:Address>', '<cbc:IdentificationCode>GER</cbc:IdentificationCode></cac:Country></cac:Address>'],
    ['BR-CL-15', '<cbc:IdentificationCode>IT</cbc:IdentificationCode></cac:OriginCountry>', '<cbc:IdentificationCode>ITA</cbc:IdentificationCode></cac:OriginCountry>'],
    ['BR-CL-16', '<cbc:PaymentMeansCode>30<', '<cbc:PaymentMeansCode>99<'],
    ['BR-CL-17', '<cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cbc:TaxExemptionReasonCode>', '<cbc:ID>T</cbc:ID><cbc:Percent>19</cbc:Percent><cbc:TaxExemptionReasonCode>'],
    ['BR-CL-18', '<cac:ClassifiedTaxCategory><cbc:ID>Z<', '<cac:ClassifiedTaxCategory><cbc:ID>VAT<'],
    ['BR-CL-19', '<cbc:AllowanceChargeReasonCode>95<', '<cbc:AllowanceChargeReasonCode>1<'],
    ['BR-CL-19', '<cbc:AllowanceChargeReasonCode>100<', '<cbc:AllowanceChargeReasonCode>FC<'],
    ['BR-CL-20', '<cbc:AllowanceChargeReasonCode>FC<', '<cbc:AllowanceChargeReasonCode>95<'],
    ['BR-CL-21', '<cbc:ID schemeID="0160">0594', '<cbc:ID schemeID="GTIN">0594'],
    ['BR-CL-22', '>vatex-eu-ic<', '>VATEX-EU-IC-1<'],
    ['BR-CL-23', 'unitCode="H87"', 'unitCode="PCS"'],
    ['BR-CL-23', 'unitCode="C62"', 'unitCode="BUC"'],
    ['BR-CL-24', 'mimeCode="application/pdf"', 'mimeCode="application/xml"'],
    ['BR-CL-25', 'schemeID="EM"', 'schemeID="EMAIL"'],
    ['BR-CL-26', '<cbc:ID schemeID="0088">5940000000002', '<cbc:ID schemeID="GLN">5940000000002'],
  ];
  it.each(cases)('%s fires on %s -> %s', (id, from, to) => {
    expect(brCl(edit(from, to))).toEqual([id]);
  });

  it('every declared BR-CL rule is exercised by an edit above', () => {
    expect(new Set(cases.map(([id]) => id))).toEqual(new Set(CODE_LIST_RULES.map((r) => r.id)));
  });

  it('values are compared after normalize-space (surrounding whitespace is fine)', () => {
    expect(brCl(edit('<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>\n  380\n<'))).toEqual([]);
    expect(brCl(edit('unitCode="H87"', 'unitCode=" H87 "'))).toEqual([]);
    // two codes are not one code
    expect(brCl(edit('<cbc:PaymentMeansCode>30<', '<cbc:PaymentMeansCode>30 42<'))).toEqual(['BR-CL-16']);
    expect(brCl(edit('<cbc:DocumentCurrencyCode>RON<', '<cbc:DocumentCurrencyCode><'))).toEqual(['BR-CL-04']);
    // normalize-space strips XML whitespace only, not a no-break space
    expect(brCl(edit('<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>380\u00a0<'))).toEqual(['BR-CL-01']);
  });

  it('BR-CL-01: 81 is accepted in InvoiceTypeCode (ANAF list), and a CreditNote uses the credit note list', () => {
    expect(brCl(edit('<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>81<'))).toEqual([]);
    const creditNote = (code: string) =>
      `<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">` +
      `<cbc:ID>CN-1</cbc:ID><cbc:CreditNoteTypeCode>${code}</cbc:CreditNoteTypeCode></CreditNote>`;
    expect(brCl(creditNote('381'))).toEqual([]);
    expect(brCl(creditNote('380'))).toEqual(['BR-CL-01']);
  });

  it('BR-CL-03: every currencyID is checked, at any level; the code list is the 1.3.8-era one', () => {
    expect(brCl(edit('<cbc:TaxAmount currencyID="RON">19.00</cbc:TaxAmount><cac:TaxSubtotal>', '<cbc:TaxAmount currencyID="EURO">19.00</cbc:TaxAmount><cac:TaxSubtotal>'))).toEqual(['BR-CL-03']);
    expect(brCl(edit('<cbc:PriceAmount currencyID="EUR">', '<cbc:PriceAmount currencyID="HRK">'))).toEqual([]);
    expect(brCl(edit('<cbc:PriceAmount currencyID="EUR">', '<cbc:PriceAmount currencyID="VES">'))).toEqual(['BR-CL-03']);
    // `//@currencyID`: any element carrying the attribute, even one that is not an amount
    expect(brCl(edit('<cbc:Name>Item 1</cbc:Name>', '<cbc:Name currencyID="XYZ">Item 1</cbc:Name>'))).toEqual(['BR-CL-03']);
  });

  it('BR-CL-07 checks the scheme only of a document reference of type 130', () => {
    expect(brCl(edit('schemeID="ABZ">OBJ-1</cbc:ID><cbc:DocumentTypeCode>130<', 'schemeID="XX1">OBJ-1</cbc:ID><cbc:DocumentTypeCode>50<'))).toEqual([]);
  });

  it('BR-CL-08: only a 3-character subject between the first two # is checked, as a substring of the code list', () => {
    expect(brCl(edit('#AAI#General', 'Price #12 and #13'))).toEqual([]); // '12 and ' is not 3 characters
    expect(brCl(edit('#AAI#General', '#AB#General'))).toEqual([]);
    expect(brCl(edit('#AAI#General', '#A A#General'))).toEqual([]); // occurs in ' … AAA AAB …'
    expect(brCl(edit('#AAI#General', '#aai#General'))).toEqual(['BR-CL-08']);
  });

  it('BR-CL-10: SEPA is a scheme for the seller (or payee) only; an identifier without scheme is not checked', () => {
    expect(brCl(edit('<cbc:ID schemeID="0088">5940000000001', '<cbc:ID schemeID="SEPA">RO00ZZZ0000001'))).toEqual([]);
    expect(brCl(edit('<cbc:ID schemeID="0160">BUYER-ID', '<cbc:ID schemeID="SEPA">BUYER-ID'))).toEqual(['BR-CL-10']);
    const payee = '<cac:PayeeParty><cac:PartyIdentification><cbc:ID schemeID="SEPA">RO00ZZZ0000001</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Payee</cbc:Name></cac:PartyName></cac:PayeeParty>';
    expect(brCl(edit('<cac:Delivery>', `${payee}<cac:Delivery>`))).toEqual([]);
    expect(brCl(edit('<cbc:ID schemeID="0160">BUYER-ID', '<cbc:ID>BUYER-ID'))).toEqual([]);
  });

  it('BR-CL-19 / BR-CL-20 pick the list by ChargeIndicator, also on line allowances', () => {
    expect(brCl(edit('<cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>FC<', '<cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>FC<'))).toEqual(['BR-CL-19']);
  });

  it('BR-CL-22 compares in upper case; codes newer than ANAF\'s list fail', () => {
    expect(brCl(edit('>vatex-eu-ic<', '>VATEX-EU-AE<'))).toEqual([]);
    expect(brCl(edit('>vatex-eu-ic<', '>VATEX-EU-159<'))).toEqual(['BR-CL-22']);
  });

  it('BR-CL-24 compares mimeCode exactly (no space normalisation)', () => {
    expect(brCl(edit('mimeCode="application/pdf"', 'mimeCode="image/png"'))).toEqual([]);
    expect(brCl(edit('mimeCode="application/pdf"', 'mimeCode=" application/pdf"'))).toEqual(['BR-CL-24']);
  });

  it('findings carry the rule\'s terms and point at the offending element', () => {
    const r = validateUbl(edit('unitCode="H87"', 'unitCode="PCS"'));
    expect(r.messages.filter((m) => m.ruleId === 'BR-CL-23')).toEqual([
      expect.objectContaining({ flag: 'fatal', terms: ['BT-130', 'BT-150'], path: '/Invoice/cac:InvoiceLine/cbc:InvoicedQuantity' }),
    ]);
  });
});

describe('CODE_LIST_RULES declarations', () => {
  it('declare the 23 BR-CL asserts of ANAF\'s artefact, all fatal EN 16931 1.3.8 rules with BT terms, in the catalogue', () => {
    const ids = CODE_LIST_RULES.map((r) => r.id);
    expect(ids.slice().sort()).toEqual(
      ['01', '03', '04', '05', '06', '07', '08', '10', '11', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26'].map((n) => `BR-CL-${n}`),
    );
    for (const r of CODE_LIST_RULES) {
      expect(r).toMatchObject({ flag: 'fatal', source: 'EN16931-1.3.8' });
      expect(r.terms!.length).toBeGreaterThan(0);
      for (const t of r.terms!) expect(t).toMatch(/^BT-\d+$/);
    }
    const catalogue = new Set(RULE_CATALOGUE.map((r) => r.id));
    for (const id of ids) expect(catalogue.has(id)).toBe(true);
  });
});

describe('code lists', () => {
  const all: ReadonlyArray<readonly [string, readonly string[], ReadonlySet<string>, number]> = [
    ['ISO 4217', lists.ISO_4217_CURRENCY_CODE_LIST, lists.ISO_4217_CURRENCY_CODES, 178],
    ['UN/ECE Rec 20/21', lists.UNECE_REC20_UNIT_CODE_LIST, lists.UNECE_REC20_UNIT_CODES, 2162],
    ['ISO 3166-1', lists.ISO_3166_1_ALPHA2_CODE_LIST, lists.ISO_3166_1_ALPHA2_CODES, 251],
    ['UNTDID 1001 invoice', lists.UNCL_1001_INVOICE_TYPE_CODE_LIST, lists.UNCL_1001_INVOICE_TYPE_CODES, 45],
    ['UNTDID 1001 credit note', lists.UNCL_1001_CREDIT_NOTE_TYPE_CODE_LIST, lists.UNCL_1001_CREDIT_NOTE_TYPE_CODES, 11],
    ['UNTDID 1153', lists.UNCL_1153_REFERENCE_QUALIFIER_LIST, lists.UNCL_1153_REFERENCE_QUALIFIERS, 817],
    ['UNTDID 2005', lists.UNCL_2005_VAT_POINT_DATE_CODE_LIST, lists.UNCL_2005_VAT_POINT_DATE_CODES, 3],
    ['UNTDID 4451', lists.UNCL_4451_TEXT_SUBJECT_CODE_LIST, lists.UNCL_4451_TEXT_SUBJECT_CODES, 383],
    ['UNTDID 4461', lists.UNCL_4461_PAYMENT_MEANS_CODE_LIST, lists.UNCL_4461_PAYMENT_MEANS_CODES, 83],
    ['UNTDID 5189', lists.UNCL_5189_ALLOWANCE_REASON_CODE_LIST, lists.UNCL_5189_ALLOWANCE_REASON_CODES, 19],
    ['UNTDID 5305', lists.UNCL_5305_VAT_CATEGORY_CODE_LIST, lists.UNCL_5305_VAT_CATEGORY_CODES, 10],
    ['UNTDID 7143', lists.UNCL_7143_ITEM_CLASSIFICATION_LIST_ID_LIST, lists.UNCL_7143_ITEM_CLASSIFICATION_LIST_IDS, 182],
    ['UNTDID 7161', lists.UNCL_7161_CHARGE_REASON_CODE_LIST, lists.UNCL_7161_CHARGE_REASON_CODES, 177],
    ['VATEX', lists.VATEX_CODE_LIST, lists.VATEX_CODES, 57],
    ['EAS', lists.EAS_CODE_LIST, lists.EAS_CODES, 90],
    ['ISO 6523 ICD', lists.ISO_6523_ICD_CODE_LIST, lists.ISO_6523_ICD_CODES, 211],
    ['MIME', lists.MIME_CODE_LIST, lists.MIME_CODES, 6],
  ];
  it.each(all)('%s: the 1.3.8-era count, no duplicate, no empty code, set = array', (_name, array, set, count) => {
    expect(array).toHaveLength(count);
    expect(set.size).toBe(count);
    for (const c of array) {
      expect(set.has(c)).toBe(true);
      expect(c).toMatch(/^\S+$/);
    }
  });

  it('known members and non-members', () => {
    const has = (set: ReadonlySet<string>, yes: string[], no: string[]) => {
      for (const c of yes) expect([c, set.has(c)]).toEqual([c, true]);
      for (const c of no) expect([c, set.has(c)]).toEqual([c, false]);
    };
    has(lists.UNECE_REC20_UNIT_CODES, ['C62', 'H87', 'KGM', 'XPP'], ['PCS', 'BUC', 'c62']);
    has(lists.ISO_4217_CURRENCY_CODES, ['RON', 'EUR', 'USD', 'HRK', 'XXX'], ['LEI', 'ROL', 'VES', 'ron']);
    has(lists.ISO_3166_1_ALPHA2_CODES, ['RO', 'DE', 'XI', '1A'], ['ROU', 'EL', 'UK']);
    has(lists.UNCL_1001_INVOICE_TYPE_CODES, ['380', '384', '389', '751', '81'], ['381', '471']);
    has(lists.UNCL_1001_CREDIT_NOTE_TYPE_CODES, ['381', '81'], ['380', '502']);
    has(lists.UNCL_4461_PAYMENT_MEANS_CODES, ['1', '10', '30', '42', '48', '49', '58', '59', '69', 'ZZZ'], ['98', '99', '0']);
    has(lists.UNCL_5305_VAT_CATEGORY_CODES, ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M', 'B'], ['A', 'H', 'VAT']);
    has(lists.UNCL_5189_ALLOWANCE_REASON_CODES, ['41', '95', '100', '105'], ['1', 'FC']);
    has(lists.UNCL_7161_CHARGE_REASON_CODES, ['FC', 'ABK', 'ZZZ'], ['95', 'PRV']);
    has(lists.UNCL_2005_VAT_POINT_DATE_CODES, ['3', '35', '432'], ['5', '29', '72']);
    has(lists.UNCL_7143_ITEM_CLASSIFICATION_LIST_IDS, ['STI', 'HS', 'CV'], ['CPV', 'EMD']);
    has(lists.VATEX_CODES, ['VATEX-EU-IC', 'VATEX-EU-AE', 'VATEX-EU-O', 'VATEX-EU-G', 'VATEX-EU-132-1A'], ['VATEX-EU-159', 'VATEX-FR-FRANCHISE', 'vatex-eu-ic']);
    has(lists.EAS_CODES, ['0088', '9947', 'EM', '9906', 'AN'], ['0177', 'EMAIL']);
    has(lists.ISO_6523_ICD_CODES, ['0002', '0088', '0160', '0216'], ['0001', '0217', 'SEPA']);
    has(lists.MIME_CODES, ['application/pdf', 'image/png', 'image/jpeg', 'text/csv'], ['application/xml', 'text/xml']);
    has(lists.UNCL_4451_TEXT_SUBJECT_CODES, ['AAI', 'ZZZ', 'SUR'], ['QQQ', 'aai']);
    expect(lists.SEPA_SCHEME_ID).toBe('SEPA');
  });
});

/** The shared conformance corpus (as in ../conformance.spec.ts): $CONFORMANCE_DIR or <repo>/../shared/conformance. */
const corpus = process.env['CONFORMANCE_DIR']
  ? resolve(process.env['CONFORMANCE_DIR'])
  : fileURLToPath(new URL('../../../../../../../shared/conformance/', import.meta.url));

describe.skipIf(!existsSync(join(corpus, 'expected-cius-ro-1.0.9.tsv')))('BR-CL parity with ANAF on the whole corpus', () => {
  it('every document fails exactly the BR-CL rules ANAF\'s CIUS-RO 1.0.9 reports for it', () => {
    const rows = readFileSync(join(corpus, 'expected-cius-ro-1.0.9.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
    expect(rows.length).toBeGreaterThan(900);
    const differences: string[] = [];
    let expectedFindings = 0;
    for (const row of rows) {
      const [file = '', , fatal = '', warnings = ''] = row.split('\t');
      const want = [...fatal.split(','), ...warnings.split(',')].filter((id) => id.startsWith('BR-CL-')).sort();
      expectedFindings += want.length;
      const got = brCl(readFileSync(join(corpus, file), 'utf8'));
      if (got.join() !== want.join()) differences.push(`${file}: expected ${want.join()} got ${got.join()}`);
    }
    expect(expectedFindings).toBeGreaterThan(50); // the corpus does exercise the BR-CL rules
    expect(differences).toEqual([]);
  }, 120_000); // ~1000 documents
});
