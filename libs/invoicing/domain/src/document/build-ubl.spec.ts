import { DOMParser, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { buildCiusRoUbl, buildCiusRoUblWithTotals } from './build-ubl.js';
import { NS_CAC, NS_CBC, NS_CREDIT_NOTE, NS_INVOICE } from '../ubl/ubl-namespaces.js';
import { RO_CIUS_ID } from '../validation/rules/cius-ro.rules.js';
import { validateUbl } from '../validation/validate-ubl.js';
import { CREDIT_NOTE, EUR_WITH_RON_VAT, EXEMPT, FIXTURES, REVERSE_CHARGE, RON_MIXED, TRICKY_ROUNDING } from './test-fixtures.js';

function parse(xml: string): Element {
  const doc = new DOMParser({ onError: (level, msg) => { throw new Error(`${level}: ${msg}`); } }).parseFromString(xml, 'text/xml');
  return doc.documentElement as unknown as Element;
}
const kids = (el: Element | undefined, name?: string): Element[] => {
  const out: Element[] = [];
  for (let n = el?.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (!name || (n as Element).localName === name)) out.push(n as Element);
  return out;
};
const kid = (el: Element | undefined, ...path: string[]): Element | undefined => {
  let cur = el;
  for (const p of path) cur = kids(cur, p)[0];
  return cur;
};
const txt = (el: Element | undefined, ...path: string[]) => kid(el, ...path)?.textContent ?? undefined;

/** UBL 2.1 root sequences (maindoc XSDs), restricted to elements a CIUS-RO invoice may use. */
const INVOICE_ORDER = [
  'UBLExtensions', 'UBLVersionID', 'CustomizationID', 'ProfileID', 'ProfileExecutionID', 'ID', 'CopyIndicator', 'UUID',
  'IssueDate', 'IssueTime', 'DueDate', 'InvoiceTypeCode', 'Note', 'TaxPointDate', 'DocumentCurrencyCode', 'TaxCurrencyCode',
  'PricingCurrencyCode', 'PaymentCurrencyCode', 'PaymentAlternativeCurrencyCode', 'AccountingCostCode', 'AccountingCost',
  'LineCountNumeric', 'BuyerReference', 'InvoicePeriod', 'OrderReference', 'BillingReference', 'DespatchDocumentReference',
  'ReceiptDocumentReference', 'StatementDocumentReference', 'OriginatorDocumentReference', 'ContractDocumentReference',
  'AdditionalDocumentReference', 'ProjectReference', 'Signature', 'AccountingSupplierParty', 'AccountingCustomerParty',
  'PayeeParty', 'BuyerCustomerParty', 'SellerSupplierParty', 'TaxRepresentativeParty', 'Delivery', 'DeliveryTerms',
  'PaymentMeans', 'PaymentTerms', 'PrepaidPayment', 'AllowanceCharge', 'TaxExchangeRate', 'PricingExchangeRate',
  'PaymentExchangeRate', 'PaymentAlternativeExchangeRate', 'TaxTotal', 'WithholdingTaxTotal', 'LegalMonetaryTotal', 'InvoiceLine',
];
const CREDIT_NOTE_ORDER = [
  'UBLExtensions', 'UBLVersionID', 'CustomizationID', 'ProfileID', 'ProfileExecutionID', 'ID', 'CopyIndicator', 'UUID',
  'IssueDate', 'IssueTime', 'TaxPointDate', 'CreditNoteTypeCode', 'Note', 'DocumentCurrencyCode', 'TaxCurrencyCode',
  'PricingCurrencyCode', 'PaymentCurrencyCode', 'PaymentAlternativeCurrencyCode', 'AccountingCostCode', 'AccountingCost',
  'LineCountNumeric', 'BuyerReference', 'InvoicePeriod', 'DiscrepancyResponse', 'OrderReference', 'BillingReference',
  'DespatchDocumentReference', 'ReceiptDocumentReference', 'ContractDocumentReference', 'AdditionalDocumentReference',
  'StatementDocumentReference', 'OriginatorDocumentReference', 'Signature', 'AccountingSupplierParty', 'AccountingCustomerParty',
  'PayeeParty', 'BuyerCustomerParty', 'SellerSupplierParty', 'TaxRepresentativeParty', 'Delivery', 'DeliveryTerms',
  'PaymentMeans', 'PaymentTerms', 'TaxExchangeRate', 'PricingExchangeRate', 'PaymentExchangeRate',
  'PaymentAlternativeExchangeRate', 'AllowanceCharge', 'TaxTotal', 'WithholdingTaxTotal', 'LegalMonetaryTotal', 'CreditNoteLine',
];

function assertOrder(names: string[], order: string[]) {
  let last = -1;
  for (const n of names) {
    const i = order.indexOf(n);
    expect(i, `${n} is a root element of the XSD`).toBeGreaterThanOrEqual(0);
    expect(i, `${n} in XSD order`).toBeGreaterThanOrEqual(last);
    last = i;
  }
}

describe('buildCiusRoUbl', () => {
  it('writes a CIUS-RO 1.0.1 Invoice with UBL namespaces in XSD order', () => {
    const root = parse(buildCiusRoUbl(RON_MIXED));
    expect(root.localName).toBe('Invoice');
    expect(root.namespaceURI).toBe(NS_INVOICE);
    expect(txt(root, 'CustomizationID')).toBe(RO_CIUS_ID);
    expect(RO_CIUS_ID).toBe('urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1');
    expect(kid(root, 'ID')?.namespaceURI).toBe(NS_CBC);
    expect(kid(root, 'TaxTotal')?.namespaceURI).toBe(NS_CAC);
    assertOrder(kids(root).map((e) => e.localName!), INVOICE_ORDER);
    expect(txt(root, 'InvoiceTypeCode')).toBe('380');
    expect(txt(root, 'DueDate')).toBe('2025-04-13');
    expect(txt(root, 'LegalMonetaryTotal', 'PayableAmount')).toBe('6496.34');
    expect(kid(root, 'LegalMonetaryTotal', 'PayableAmount')?.getAttribute('currencyID')).toBe('RON');
    expect(kids(root, 'InvoiceLine')).toHaveLength(3);
    const line1 = kids(root, 'InvoiceLine')[0];
    expect(txt(line1, 'LineExtensionAmount')).toBe('3988.86');
    expect(kid(line1, 'InvoicedQuantity')?.getAttribute('unitCode')).toBe('MON');
    expect(txt(line1, 'AllowanceCharge', 'Amount')).toBe('209.94');
    expect(kids(line1).map((e) => e.localName)).toEqual(['ID', 'InvoicedQuantity', 'LineExtensionAmount', 'AllowanceCharge', 'Item', 'Price']);
    // Seller: BT-27 in PartyLegalEntity, BT-31 with VAT scheme, Bucharest sector.
    const seller = kid(root, 'AccountingSupplierParty', 'Party');
    expect(txt(seller, 'PartyLegalEntity', 'RegistrationName')).toBe('Cetate Demo Software SRL');
    expect(txt(seller, 'PartyTaxScheme', 'CompanyID')).toBe('RO41832096');
    expect(txt(seller, 'PostalAddress', 'CityName')).toBe('SECTOR1');
    expect(txt(seller, 'PostalAddress', 'CountrySubentity')).toBe('RO-B');
  });

  it('writes the amounts it computed: totals in the XML equal computeTotals', () => {
    const { xml, totals } = buildCiusRoUblWithTotals(TRICKY_ROUNDING);
    const root = parse(xml);
    const lmt = kid(root, 'LegalMonetaryTotal');
    expect(txt(lmt, 'LineExtensionAmount')).toBe(totals.lineExtensionAmount);
    expect(txt(lmt, 'AllowanceTotalAmount')).toBe('0.05');
    expect(txt(lmt, 'ChargeTotalAmount')).toBe('10.00');
    expect(txt(lmt, 'TaxExclusiveAmount')).toBe('259.92');
    expect(txt(lmt, 'TaxInclusiveAmount')).toBe('298.30');
    expect(kids(lmt).map((e) => e.localName)).toEqual([
      'LineExtensionAmount', 'TaxExclusiveAmount', 'TaxInclusiveAmount', 'AllowanceTotalAmount', 'ChargeTotalAmount', 'PayableAmount',
    ]);
    const subtotals = kids(kid(root, 'TaxTotal'), 'TaxSubtotal');
    expect(subtotals.map((s) => [txt(s, 'TaxableAmount'), txt(s, 'TaxAmount'), txt(s, 'TaxCategory', 'Percent')])).toEqual([
      ['149.92', '28.48', '19'],
      ['110.00', '9.90', '9.00'],
    ]);
    expect(kids(root, 'InvoiceLine').map((l) => txt(l, 'LineExtensionAmount'))).toEqual(['100.01', '0.01', '100.00', '49.95', '0.00']);
    const docAc = kids(root, 'AllowanceCharge');
    expect(docAc.map((a) => [txt(a, 'ChargeIndicator'), txt(a, 'Amount'), txt(a, 'TaxCategory', 'ID')])).toEqual([
      ['false', '0.05', 'S'],
      ['true', '10.00', 'S'],
    ]);
    expect(xml).not.toContain('-0.00');
  });

  it('EUR invoice: TaxCurrencyCode RON and a second TaxTotal with BT-111 in RON (BR-RO-030)', () => {
    const root = parse(buildCiusRoUbl(EUR_WITH_RON_VAT));
    expect(txt(root, 'DocumentCurrencyCode')).toBe('EUR');
    expect(txt(root, 'TaxCurrencyCode')).toBe('RON');
    const taxTotals = kids(root, 'TaxTotal');
    expect(taxTotals).toHaveLength(2);
    expect(kid(taxTotals[0], 'TaxAmount')?.getAttribute('currencyID')).toBe('EUR');
    expect(txt(taxTotals[0], 'TaxAmount')).toBe('471.20');
    expect(kid(taxTotals[1], 'TaxAmount')?.getAttribute('currencyID')).toBe('RON');
    expect(txt(taxTotals[1], 'TaxAmount')).toBe('2345.21');
    expect(kids(taxTotals[1], 'TaxSubtotal')).toHaveLength(0);
    expect(kid(root, 'LegalMonetaryTotal', 'PayableAmount')?.getAttribute('currencyID')).toBe('EUR');
  });

  it('credit note 381: CreditNote root, BillingReference (BG-3), due date in PaymentMeans, CreditNoteLine', () => {
    const xml = buildCiusRoUbl(CREDIT_NOTE);
    const root = parse(xml);
    expect(root.localName).toBe('CreditNote');
    expect(root.namespaceURI).toBe(NS_CREDIT_NOTE);
    assertOrder(kids(root).map((e) => e.localName!), CREDIT_NOTE_ORDER);
    expect(txt(root, 'CreditNoteTypeCode')).toBe('381');
    expect(kid(root, 'DueDate')).toBeUndefined();
    expect(kid(root, 'InvoiceTypeCode')).toBeUndefined();
    expect(txt(root, 'BillingReference', 'InvoiceDocumentReference', 'ID')).toBe('CTD-2025-000142');
    expect(txt(root, 'BillingReference', 'InvoiceDocumentReference', 'IssueDate')).toBe('2025-03-14');
    expect(txt(root, 'PaymentMeans', 'PaymentDueDate')).toBe('2025-03-30');
    expect(kids(kid(root, 'PaymentMeans')).map((e) => e.localName)).toEqual(['PaymentMeansCode', 'PaymentDueDate', 'PayeeFinancialAccount']);
    const lines = kids(root, 'CreditNoteLine');
    expect(lines).toHaveLength(1);
    expect(txt(lines[0], 'CreditedQuantity')).toBe('2');
    expect(txt(lines[0], 'LineExtensionAmount')).toBe('699.80');
    expect(kids(root, 'InvoiceLine')).toHaveLength(0);
    expect(txt(root, 'LegalMonetaryTotal', 'PayableAmount')).toBe('832.76'); // 699.80 + 132.962 → 132.96
  });

  it('reverse charge AE: rate 0, no VAT, VATEX-EU-AE exemption in the breakdown only', () => {
    const root = parse(buildCiusRoUbl(REVERSE_CHARGE));
    const sub = kid(root, 'TaxTotal', 'TaxSubtotal');
    expect(txt(sub, 'TaxableAmount')).toBe('14755.00');
    expect(txt(sub, 'TaxAmount')).toBe('0.00');
    expect(txt(sub, 'TaxCategory', 'ID')).toBe('AE');
    expect(txt(sub, 'TaxCategory', 'Percent')).toBe('0');
    expect(txt(sub, 'TaxCategory', 'TaxExemptionReasonCode')).toBe('VATEX-EU-AE');
    expect(kids(kid(sub, 'TaxCategory')).map((e) => e.localName)).toEqual(['ID', 'Percent', 'TaxExemptionReasonCode', 'TaxExemptionReason', 'TaxScheme']);
    expect(txt(root, 'LegalMonetaryTotal', 'PayableAmount')).toBe('14755.00');
    expect(kid(root, 'InvoiceLine', 'Item', 'ClassifiedTaxCategory', 'TaxExemptionReasonCode')).toBeUndefined();
  });

  it('exempt E: exemption reason text and code from the document', () => {
    const root = parse(buildCiusRoUbl(EXEMPT));
    const subs = kids(kid(root, 'TaxTotal'), 'TaxSubtotal');
    expect(subs.map((s) => txt(s, 'TaxCategory', 'ID'))).toEqual(['S', 'E']);
    const e = subs[1];
    expect(txt(e, 'TaxableAmount')).toBe('2500.00');
    expect(txt(e, 'TaxAmount')).toBe('0.00');
    expect(txt(e, 'TaxCategory', 'TaxExemptionReason')).toBe('Scutit conform art. 292 alin. (2) lit. a) Cod fiscal');
    expect(txt(e, 'TaxCategory', 'TaxExemptionReasonCode')).toBe('VATEX-EU-132-1I');
    expect(kid(subs[0], 'TaxCategory', 'TaxExemptionReason')).toBeUndefined();
    expect(txt(root, 'TaxTotal', 'TaxAmount')).toBe('34.58'); // 182.00 × 19 %
  });

  it('escapes text: & < > " \' and drops characters XML 1.0 forbids', () => {
    const nasty = 'A&B <SRL> "Cetate" \'x\' ]]> \u0001\uD800end 😀';
    const xml = buildCiusRoUbl({
      ...RON_MIXED,
      seller: { ...RON_MIXED.seller, name: nasty },
      notes: ['</cbc:Note><cbc:Evil>1</cbc:Evil>'],
    });
    const root = parse(xml);
    expect(txt(root, 'AccountingSupplierParty', 'Party', 'PartyLegalEntity', 'RegistrationName')).toBe('A&B <SRL> "Cetate" \'x\' ]]> end 😀');
    expect(txt(root, 'Note')).toBe('</cbc:Note><cbc:Evil>1</cbc:Evil>');
    expect(kid(root, 'Evil')).toBeUndefined();
    expect(xml).not.toContain('\u0001');
  });

  it('keeps carriage returns: a CR is written &#13; (a literal one would come back as LF, XML 1.0 §2.11)', () => {
    const note = 'Linia 1\r\nLinia 2\rLinia 3\nLinia 4';
    const xml = buildCiusRoUbl({ ...RON_MIXED, notes: [note] });
    expect(xml).toContain('<cbc:Note>Linia 1&#13;\nLinia 2&#13;Linia 3\nLinia 4</cbc:Note>');
    expect(txt(parse(xml), 'Note')).toBe(note);
  });

  it.each(Object.entries(FIXTURES))('%s passes the local EN 16931 + CIUS-RO validation', (_name, doc) => {
    const result = validateUbl(buildCiusRoUbl(doc));
    expect(result.fatal).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.documentType).toBe(doc.documentType);
  });

  it('the validator is not vacuous: a tampered total is caught (BR-CO-16)', () => {
    const xml = buildCiusRoUbl(RON_MIXED).replace('<cbc:PayableAmount currencyID="RON">6496.34<', '<cbc:PayableAmount currencyID="RON">6496.35<');
    expect(validateUbl(xml).fatal).toContain('BR-CO-16');
  });
});
