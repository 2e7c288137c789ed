import { describe, expect, it } from 'vitest';
import { validateUbl } from './validate-ubl.js';

/**
 * Unit tests of the rule families added to reach ANAF's verdicts (EN 16931 1.3.8 + CIUS-RO 1.0.9):
 * each test builds a small fragment (like the EN 16931 unit-test documents: the other rules fail as
 * they please) and checks that the rule under test fails on the bad variant and holds on the good one.
 */
const NS = 'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"';
const inv = (body: string) => `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ${NS}>${body}</Invoice>`;
const cn = (body: string) => `<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" ${NS}>${body}</CreditNote>`;
/** Every failed rule id (fatal and warnings) of a document. */
const failed = (xml: string) => {
  const r = validateUbl(xml);
  return [...r.fatal, ...r.warnings];
};
const vat = '<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>';
const cat = (tag: string, id: string, pct?: string, scheme = vat) => `<cac:${tag}><cbc:ID>${id}</cbc:ID>${pct === undefined ? '' : `<cbc:Percent>${pct}</cbc:Percent>`}${scheme}</cac:${tag}>`;
const line = (id: string, pct: string | undefined, amount = '100', scheme = vat) =>
  `<cac:InvoiceLine><cbc:LineExtensionAmount>${amount}</cbc:LineExtensionAmount><cac:Item>${cat('ClassifiedTaxCategory', id, pct, scheme)}</cac:Item></cac:InvoiceLine>`;
const breakdown = (id: string, pct: string | undefined, taxable = '100', tax = '0', extra = '') =>
  `<cac:TaxTotal><cac:TaxSubtotal><cbc:TaxableAmount>${taxable}</cbc:TaxableAmount><cbc:TaxAmount>${tax}</cbc:TaxAmount><cac:TaxCategory><cbc:ID>${id}</cbc:ID>${pct === undefined ? '' : `<cbc:Percent>${pct}</cbc:Percent>`}${extra}${vat}</cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>`;
const ac = (charge: boolean, id: string, pct?: string) =>
  `<cac:AllowanceCharge><cbc:ChargeIndicator>${charge}</cbc:ChargeIndicator><cbc:Amount>10</cbc:Amount>${cat('TaxCategory', id, pct)}</cac:AllowanceCharge>`;
const sellerVat = (id = 'RO1234') =>
  `<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>${id}</cbc:CompanyID>${vat}</cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>`;

describe('rule contexts are XSLT match patterns over the whole document', () => {
  it('an InvoiceLine inside a CreditNote is still an invoice line (BR-21..26, BR-CO-04)', () => {
    const f = failed(cn('<cac:InvoiceLine><cac:Item/></cac:InvoiceLine>'));
    for (const id of ['BR-21', 'BR-22', 'BR-23', 'BR-24', 'BR-25', 'BR-26', 'BR-CO-04']) expect(f).toContain(id);
    expect(failed(cn(''))).not.toContain('BR-21');
  });

  it('a context predicate raising an XPath error does not match (two cbc:ID in a VAT breakdown category)', () => {
    const bad = breakdown('Z', '0', '100', '0').replace('<cbc:ID>Z</cbc:ID>', '<cbc:ID>Z</cbc:ID><cbc:ID>Z</cbc:ID>');
    // normalize-space(cbc:ID) of two nodes: the BR-Z-08..10 context does not match, so BR-Z-08 cannot fail
    expect(failed(inv(line('Z', '0', '50') + bad))).not.toContain('BR-Z-08');
    expect(failed(inv(line('Z', '0', '50') + breakdown('Z', '0', '100', '0')))).toContain('BR-Z-08');
  });
});

describe('EN 16931 1.3.8 model rules', () => {
  it('BR-CO-09: VAT identifiers start with an ISO 3166-1 code (or EL), only for the VAT scheme', () => {
    expect(failed(inv(sellerVat('XX123')))).toContain('BR-CO-09');
    expect(failed(inv(sellerVat('RO123')))).not.toContain('BR-CO-09');
    expect(failed(inv(sellerVat('EL123')))).not.toContain('BR-CO-09');
    expect(failed(inv(sellerVat('XX123').replace('<cbc:ID>VAT</cbc:ID>', '<cbc:ID>TAX</cbc:ID>')))).not.toContain('BR-CO-09');
  });

  it('BR-17 / UBL-SR-19..21: a payee different from the seller has a name', () => {
    const seller = '<cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>Seller</cbc:Name></cac:PartyName><cac:PartyLegalEntity><cbc:RegistrationName>Seller SRL</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>';
    const payee = (name: string) => `<cac:PayeeParty>${name ? `<cac:PartyName><cbc:Name>${name}</cbc:Name></cac:PartyName>` : ''}</cac:PayeeParty>`;
    const noName = failed(inv(seller + payee('')));
    for (const id of ['BR-17', 'UBL-SR-19', 'UBL-SR-20', 'UBL-SR-21']) expect(noName).toContain(id);
    const other = failed(inv(seller + payee('Factor SA')));
    for (const id of ['BR-17', 'UBL-SR-19', 'UBL-SR-20', 'UBL-SR-21']) expect(other).not.toContain(id);
    expect(failed(inv(seller + payee('Seller')))).toContain('BR-17'); // same name as the seller's trading name
  });

  it('BR-IC-11 / BR-IC-12: intra-community supply needs a delivery date or period, and a delivery country', () => {
    const k = line('K', '0') + breakdown('K', '0');
    expect(failed(inv(k))).toEqual(expect.arrayContaining(['BR-IC-11', 'BR-IC-12']));
    const delivered = inv('<cac:Delivery><cbc:ActualDeliveryDate>2024-05-01</cbc:ActualDeliveryDate><cac:DeliveryLocation><cac:Address><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:Address></cac:DeliveryLocation></cac:Delivery>' + k);
    expect(failed(delivered)).not.toContain('BR-IC-11');
    expect(failed(delivered)).not.toContain('BR-IC-12');
    expect(failed(inv('<cac:InvoicePeriod><cbc:StartDate>2024-05-01</cbc:StartDate></cac:InvoicePeriod>' + k))).not.toContain('BR-IC-11');
  });

  it('BR-IG-01 / BR-IP-01: the breakdown code is compared untrimmed', () => {
    expect(failed(inv(line('L', '7') + breakdown(' L ', '7')))).toContain('BR-IG-01');
    expect(failed(inv(line('L', '7') + breakdown('L', '7')))).not.toContain('BR-IG-01');
    expect(failed(inv(line('M', '4') + breakdown(' M', '4')))).toContain('BR-IP-01');
    expect(failed(inv(line('M', '4') + breakdown('M', '4')))).not.toContain('BR-IP-01');
    expect(failed(inv(breakdown('L', '7')))).toContain('BR-IG-01'); // in the breakdown but used nowhere
  });

  it('BR-O-01..04: not subject to VAT: one breakdown, no VAT identifiers', () => {
    expect(failed(inv(line('O', undefined) + breakdown('O', undefined) + breakdown('O', undefined)))).toContain('BR-O-01');
    expect(failed(inv(line('O', undefined) + breakdown('O', undefined)))).not.toContain('BR-O-01');
    expect(failed(inv(sellerVat() + line('O', undefined)))).toContain('BR-O-02');
    expect(failed(inv(line('O', undefined)))).not.toContain('BR-O-02');
    expect(failed(inv(sellerVat() + ac(false, 'O')))).toContain('BR-O-03');
    expect(failed(inv(sellerVat() + ac(true, 'O')))).toContain('BR-O-04');
    // BR-O-03/04 only look at document level allowances/charges
    expect(failed(inv(sellerVat() + `<cac:InvoiceLine>${ac(false, 'O')}</cac:InvoiceLine>`))).not.toContain('BR-O-03');
  });

  it('BR-O-11..14: a "not subject to VAT" breakdown excludes every other category', () => {
    const o = breakdown('O', undefined);
    expect(failed(inv(o + breakdown('S', '19')))).toContain('BR-O-11');
    expect(failed(inv(o + line('S', '19')))).toContain('BR-O-12');
    expect(failed(inv(o + ac(false, 'S', '19')))).toContain('BR-O-13');
    expect(failed(inv(o + ac(true, 'S', '19')))).toContain('BR-O-14');
    const clean = failed(inv(o + line('O', undefined) + ac(false, 'O') + ac(true, 'O')));
    for (const id of ['BR-O-11', 'BR-O-12', 'BR-O-13', 'BR-O-14']) expect(clean).not.toContain(id);
  });

  it('BR-S-02: a line "S" without the VAT scheme fails whatever the seller identifiers', () => {
    expect(failed(inv(sellerVat() + line('S', '19', '100', '')))).toContain('BR-S-02');
    expect(failed(inv(sellerVat() + line('S', '19')))).not.toContain('BR-S-02');
    expect(failed(inv(line('S', '19')))).toContain('BR-S-02');
  });

  it('BR-B-01 / BR-B-02: split payment is Italian only and excludes standard rate', () => {
    const it = '<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cac:Country><cbc:IdentificationCode>IT</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingSupplierParty>';
    expect(failed(inv(it + line('B', '22')))).not.toContain('BR-B-01');
    expect(failed(inv(it.replace('>IT<', '>RO<') + line('B', '22')))).toContain('BR-B-01');
    expect(failed(inv(it + line('B', '22') + line('S', '22')))).toContain('BR-B-02');
    expect(failed(inv(it + line('B', '22')))).not.toContain('BR-B-02');
  });
});

describe('EN 16931 1.3.8 UBL syntax rules', () => {
  it.each([
    ['UBL-SR-01', '<cac:ContractDocumentReference><cbc:ID>1</cbc:ID></cac:ContractDocumentReference>'],
    ['UBL-SR-02', '<cac:ReceiptDocumentReference><cbc:ID>1</cbc:ID></cac:ReceiptDocumentReference>'],
    ['UBL-SR-03', '<cac:DespatchDocumentReference><cbc:ID>1</cbc:ID></cac:DespatchDocumentReference>'],
    ['UBL-SR-04', '<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>'],
    ['UBL-SR-09', '<cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>A</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>'],
    ['UBL-SR-15', '<cac:AccountingCustomerParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>A</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>'],
    ['UBL-SR-24', '<cac:Delivery/>'],
    ['UBL-SR-39', '<cac:ProjectReference><cbc:ID>P</cbc:ID></cac:ProjectReference>'],
    ['UBL-SR-45', '<cac:PaymentMeans><cbc:PaymentDueDate>2024-01-01</cbc:PaymentDueDate></cac:PaymentMeans>'],
    ['UBL-SR-49', '<cac:InvoicePeriod><cbc:DescriptionCode>3</cbc:DescriptionCode></cac:InvoicePeriod>'],
  ])('%s: at most one (twice fails, once holds)', (id, fragment) => {
    expect(failed(inv(fragment + fragment))).toContain(id);
    expect(failed(inv(fragment))).not.toContain(id);
  });

  it('UBL-SR-12 / UBL-SR-13: seller VAT and other tax registrations at most once each', () => {
    const pts = (scheme: string) => `<cac:PartyTaxScheme><cbc:CompanyID>RO1</cbc:CompanyID><cac:TaxScheme><cbc:ID>${scheme}</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`;
    const seller = (x: string) => inv(`<cac:AccountingSupplierParty><cac:Party>${x}</cac:Party></cac:AccountingSupplierParty>`);
    expect(failed(seller(pts('vat') + pts('VAT')))).toContain('UBL-SR-12');
    expect(failed(seller(pts('VAT') + pts('FC')))).not.toContain('UBL-SR-12');
    expect(failed(seller(pts('FC') + pts('XY')))).toContain('UBL-SR-13');
    expect(failed(seller(pts('FC') + pts('XY') + pts('VAT')))).toContain('UBL-SR-42');
    expect(failed(seller(pts('FC') + pts('VAT')))).not.toContain('UBL-SR-42');
  });

  it('UBL-SR-44 / UBL-SR-47: one distinct payment reference and payment means code', () => {
    const pm = (code: string, id: string) => `<cac:PaymentMeans><cbc:PaymentMeansCode>${code}</cbc:PaymentMeansCode><cbc:PaymentID>${id}</cbc:PaymentID></cac:PaymentMeans>`;
    expect(failed(inv(pm('30', 'A') + pm('30', 'A')))).not.toContain('UBL-SR-44');
    expect(failed(inv(pm('30', 'A') + pm('30', 'B')))).toContain('UBL-SR-44');
    expect(failed(inv(pm('30', 'A') + pm('58', 'A')))).toContain('UBL-SR-47');
    expect(failed(inv(pm('30', 'A') + pm('30', 'A')))).not.toContain('UBL-SR-47');
  });

  it('UBL-SR-07 / UBL-SR-06: a preceding invoice reference has a number, once', () => {
    expect(failed(inv('<cac:BillingReference><cac:InvoiceDocumentReference/></cac:BillingReference>'))).toContain('UBL-SR-07');
    const ref = '<cac:InvoiceDocumentReference><cbc:ID>F1</cbc:ID></cac:InvoiceDocumentReference>';
    expect(failed(inv(`<cac:BillingReference>${ref}</cac:BillingReference>`))).not.toContain('UBL-SR-07');
    expect(failed(inv(`<cac:BillingReference>${ref}${ref}</cac:BillingReference>`))).toContain('UBL-SR-06');
  });

  it('UBL-SR-34..37 / UBL-SR-50: line level cardinalities', () => {
    const l = (x: string) => inv(`<cac:InvoiceLine>${x}</cac:InvoiceLine>`);
    expect(failed(l('<cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>'))).toContain('UBL-SR-34');
    expect(failed(l('<cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference><cac:OrderLineReference><cbc:LineID>2</cbc:LineID></cac:OrderLineReference>'))).toContain('UBL-SR-35');
    expect(failed(l('<cac:InvoicePeriod/><cac:InvoicePeriod/>'))).toContain('UBL-SR-36');
    expect(failed(l('<cac:Price><cac:AllowanceCharge><cbc:Amount>1</cbc:Amount></cac:AllowanceCharge><cac:AllowanceCharge><cbc:Amount>1</cbc:Amount></cac:AllowanceCharge></cac:Price>'))).toContain('UBL-SR-37');
    expect(failed(l('<cac:Item><cbc:Description>a</cbc:Description><cbc:Description>b</cbc:Description></cac:Item>'))).toContain('UBL-SR-50');
    const once = failed(l('<cbc:Note>a</cbc:Note><cac:InvoicePeriod/><cac:Item><cbc:Description>a</cbc:Description></cac:Item>'));
    for (const id of ['UBL-SR-34', 'UBL-SR-36', 'UBL-SR-50']) expect(once).not.toContain(id);
  });

  it('UBL-SR-43 / UBL-CR-665: a scheme on a supporting document identifier only for the invoiced object (130)', () => {
    const adr = (code: string) => `<cac:AdditionalDocumentReference><cbc:ID scheme="X" schemeID="AAA">1</cbc:ID>${code}</cac:AdditionalDocumentReference>`;
    expect(failed(inv(adr('')))).toEqual(expect.arrayContaining(['UBL-SR-43', 'UBL-CR-665']));
    expect(failed(inv(adr('<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>')))).not.toContain('UBL-SR-43');
    expect(failed(inv(adr('<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>')))).not.toContain('UBL-CR-665');
    // code 50 is accepted on credit notes only
    expect(failed(cn(adr('<cbc:DocumentTypeCode>50</cbc:DocumentTypeCode>')))).not.toContain('UBL-SR-43');
    expect(failed(inv(adr('<cbc:DocumentTypeCode>50</cbc:DocumentTypeCode>')))).toContain('UBL-SR-43');
  });

  it('UBL-CR-666 / UBL-CR-673: the invoiced object reference has no attachment nor description', () => {
    const obj = (x: string) => inv(`<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>${x}</cac:AdditionalDocumentReference>`);
    expect(validateUbl(obj('<cac:Attachment/>')).fatal).toContain('UBL-CR-666');
    expect(validateUbl(obj('<cbc:DocumentDescription>d</cbc:DocumentDescription>')).fatal).toContain('UBL-CR-673');
    expect(failed(obj(''))).not.toContain('UBL-CR-666');
    expect(failed(obj(''))).not.toContain('UBL-CR-673');
  });

  it('UBL-CR-002 / UBL-CR-412 / UBL-CR-420: warnings', () => {
    expect(validateUbl(inv('<cbc:UBLVersionID>2.0</cbc:UBLVersionID>')).warnings).toContain('UBL-CR-002');
    expect(validateUbl(inv('<cbc:UBLVersionID>2.1</cbc:UBLVersionID>')).warnings).not.toContain('UBL-CR-002');
    const due = '<cac:PaymentMeans><cbc:PaymentDueDate>2024-01-01</cbc:PaymentDueDate></cac:PaymentMeans>';
    expect(validateUbl(inv(due)).warnings).toContain('UBL-CR-412');
    expect(validateUbl(cn(due)).warnings).not.toContain('UBL-CR-412');
    expect(validateUbl(inv('<cac:PaymentMeans><cac:CardAccount><cbc:CV2ID>123</cbc:CV2ID></cac:CardAccount></cac:PaymentMeans>')).warnings).toContain('UBL-CR-420');
  });

  it('UBL-DT-01: amounts have at most two decimals, except prices and a discounted price', () => {
    expect(validateUbl(inv('<cac:LegalMonetaryTotal><cbc:PayableAmount>1.234</cbc:PayableAmount></cac:LegalMonetaryTotal>')).fatal).toContain('UBL-DT-01');
    expect(validateUbl(inv('<cac:LegalMonetaryTotal><cbc:PayableAmount>1.23</cbc:PayableAmount></cac:LegalMonetaryTotal>')).fatal).not.toContain('UBL-DT-01');
    const price = (ac: string) => inv(`<cac:InvoiceLine><cac:Price><cbc:PriceAmount>1.2345</cbc:PriceAmount>${ac}</cac:Price></cac:InvoiceLine>`);
    expect(validateUbl(price('')).fatal).not.toContain('UBL-DT-01');
    expect(validateUbl(price('<cac:AllowanceCharge><cbc:Amount>0.123</cbc:Amount><cbc:BaseAmount>1.357</cbc:BaseAmount></cac:AllowanceCharge>')).fatal).not.toContain('UBL-DT-01');
    expect(validateUbl(inv('<cac:InvoiceLine><cac:AllowanceCharge><cbc:Amount>0.123</cbc:Amount></cac:AllowanceCharge></cac:InvoiceLine>')).fatal).toContain('UBL-DT-01');
  });

  it('UBL-DT-06 / UBL-DT-07: binary objects carry a mime code and a file name', () => {
    const att = (attrs: string) => inv(`<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject${attrs}>AA==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>`);
    expect(validateUbl(att('')).fatal).toEqual(expect.arrayContaining(['UBL-DT-06', 'UBL-DT-07']));
    expect(validateUbl(att(' mimeCode="application/pdf"')).fatal).not.toContain('UBL-DT-06');
    expect(validateUbl(att(' mimeCode="application/pdf"')).fatal).toContain('UBL-DT-07');
    expect(validateUbl(att(' mimeCode="application/pdf" filename="a.pdf"')).fatal).not.toContain('UBL-DT-07');
  });

  it('UBL-DT-18: a name attribute is only expected on the payment means code', () => {
    expect(validateUbl(inv('<cac:PaymentMeans><cbc:PaymentMeansCode name="Transfer">30</cbc:PaymentMeansCode></cac:PaymentMeans>')).warnings).not.toContain('UBL-DT-18');
    expect(validateUbl(inv('<cbc:Note name="x">n</cbc:Note>')).warnings).toContain('UBL-DT-18');
  });
});

describe('CIUS-RO 1.0.9 rules as the artefact writes them', () => {
  it('BR-RO-065 / BR-RO-120: categories compared untrimmed; credit note lines do not count', () => {
    expect(validateUbl(inv(line('S', '19'))).fatal).toEqual(expect.arrayContaining(['BR-RO-065', 'BR-RO-120']));
    expect(validateUbl(inv(line(' S ', '19'))).fatal).not.toContain('BR-RO-065');
    const cnLine = '<cac:CreditNoteLine><cac:Item><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID></cac:ClassifiedTaxCategory></cac:Item></cac:CreditNoteLine>';
    expect(validateUbl(cn(cnLine)).fatal).not.toContain('BR-RO-065');
    expect(validateUbl(inv(sellerVat() + line('S', '19'))).fatal).not.toContain('BR-RO-065');
  });

  it('BR-RO-065: a document allowance counts only when its VAT scheme follows the category code', () => {
    const allowance = (tc: string) => inv(`<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cac:TaxCategory>${tc}</cac:TaxCategory></cac:AllowanceCharge>`);
    expect(validateUbl(allowance(`<cbc:ID>S</cbc:ID>${vat}`)).fatal).toContain('BR-RO-065');
    expect(validateUbl(allowance(`${vat}<cbc:ID>S</cbc:ID>`)).fatal).not.toContain('BR-RO-065');
  });

  it('BR-RO-L301: normalize-space() of two payment terms notes is an XPath error, the rule fails', () => {
    const terms = (n: number) => inv('<cac:PaymentTerms><cbc:Note>30 days</cbc:Note></cac:PaymentTerms>'.repeat(n));
    expect(validateUbl(terms(2)).fatal).toEqual(expect.arrayContaining(['BR-RO-L301', 'UBL-SR-05']));
    expect(validateUbl(terms(1)).fatal).not.toContain('BR-RO-L301');
  });

  it('BR-27: the net price is compared as an xs:double (an exponent is a number)', () => {
    const price = (p: string) => inv(`<cac:InvoiceLine><cac:Price><cbc:PriceAmount>${p}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`);
    expect(validateUbl(price('-1')).fatal).toContain('BR-27');
    expect(validateUbl(price('1E2')).fatal).not.toContain('BR-27');
    expect(validateUbl(price('abc')).fatal).toContain('BR-27');
  });
});
