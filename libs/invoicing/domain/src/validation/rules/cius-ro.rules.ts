import { XElement, type XElement as Element } from '../../xml/xml-tree.js';
import { RO_BUCHAREST_SECTORS, RO_COUNTY_CODES } from '@cetate/invoicing-contracts';
import type { RuleDeclaration } from '../rule.js';
import { ValidationContext } from '../validation-context.js';
import { normalizeSpace, stringLength } from '../xpath-lite.js';
import { attrOf, decimalsOf, followingSiblings, isNamed, kids, matchPattern, nodesAt, perDoc, singleAt, someAt, sv, termsIn, textNodes, xsDate, xsDouble, XPathDynamicError } from './xpath-nodes.js';
import { allLines, docAllowances as sharedDocAllowances, docCharges as sharedDocCharges, lineAllowances, lineCharges, lineTest } from './contexts.js';
import { decMsg, rootCtx, ruleDeclarer, type Ctx } from './rule-helpers.js';

/**
 * CIUS-RO 1.0.9 (ANAF, RO16931 rules, pattern "ROmodel").
 *
 * Schematron semantics reproduced here: inside one pattern a node is handled by the FIRST rule whose
 * context matches it, so asserts of later rules with the same context never fire in ANAF's artefact
 * (e.g. BR-DEC-RO-23, BR-DEC-RO-13/15, BR-RO-L1019 are shadowed and therefore not declared).
 * BR-RO-A051 (`//cac:AdditionalDocumentReference`) and BR-RO-A052 (`//cac:Item/cac:AdditionalItemProperty`)
 * are not declared either: the artefact tests `count(.) <= 50` on each context node, and `count(.)` is
 * always 1, so they can never fire (the intended document-wide limit of 50 is not what ANAF checks).
 * Contexts written `/ubl:CreditNote/...` use the Invoice namespace in the artefact and so only ever
 * match Invoices; that is reproduced too (`invoiceOnly`).
 * XPath 2.0 rules the artefact relies on: string comparisons are on the untrimmed string value
 * (BR-RO-001, BR-RO-065/120), `normalize-space()`/`string-length()` of two or more nodes is a dynamic
 * error (XPTY0004), reported here as a failure of the rule (see xpath-nodes.ts).
 */

const declare = ruleDeclarer('CIUS-RO-1.0.9');
/** Declares a rule; its `terms` are the BT/BG ids its message names. */
function r(id: string, context: Ctx, test: RuleDeclaration['test'], message: string): RuleDeclaration {
  const d = declare(id, context, test, message);
  const terms = termsIn(message);
  return terms.length ? { ...d, terms } : d;
}
/** `normalize-space(path)` relative to `el` (two or more nodes: XPTY0004, the rule fails). */
const nsAt = (el: Element, path: string) => normalizeSpace(sv(singleAt(el, path)));
/** BT-24 value required by CIUS-RO 1.0.9 (RO-MAJOR-MINOR-PATCH-VERSION 1.0.1). BR-RO-001. */
export const RO_CIUS_ID = 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1';
/** ISO 3166-2:RO county codes (CIUS-RO code list ISO-3166-RO-CODES), as a set of the contracts' `RO_COUNTY_CODES`. */
export const ISO_3166_RO_CODES: ReadonlySet<string> = new Set<string>(RO_COUNTY_CODES);
/** Bucharest sector codes (CIUS-RO code list SECTOR-RO), as a set of the contracts' `RO_BUCHAREST_SECTORS`. */
export const SECTOR_RO_CODES: ReadonlySet<string> = new Set<string>(RO_BUCHAREST_SECTORS);

const invoiceOnly =
  (f: Ctx): Ctx =>
  (c) =>
    c.rootName === 'Invoice' ? f(c) : [];

/** `string-length(normalize-space(path)) <= max` (two or more nodes at `path`: XPTY0004, the rule fails). */
function maxLen(path: string, max: number) {
  return (el: Element) => stringLength(normalizeSpace(sv(singleAt(el, path)))) <= max;
}
/** `string-length(substring-after(qname, '.')) <= 2` (BR-DEC-RO-*). */
const maxDecimals = (qname: string) => (el: Element) => decimalsOf(el, qname) <= 2;

/**
 * `string-length(text()) = 10 and (string(.) castable as xs:date)` (BR-RO-DT0xx): the element's one
 * text node has 10 characters (two text nodes: XPTY0004, the rule fails) and its value is a real date.
 */
function isIsoDate(el: Element): boolean {
  const texts = textNodes(el);
  if (texts.length > 1) throw new XPathDynamicError('XPTY0004: string-length() of more than one text node');
  if (stringLength(texts[0] ?? '') !== 10) return false;
  try {
    return xsDate(el) !== undefined;
  } catch {
    return false; // castable as: no error, false
  }
}

/** The VAT categories BR-RO-065/120 look for (every UNCL 5305 code of EN 16931 but O). */
const VAT_CATS_NEEDING_ID = new Set(['S', 'Z', 'E', 'AE', 'K', 'G', 'L', 'M']);

/**
 * BR-RO-065 / BR-RO-120 trigger, as the artefact writes it (untrimmed string comparisons, document
 * level allowances/charges and `cac:InvoiceLine` lines of the root only):
 * - a `cac:AllowanceCharge/cac:TaxCategory/cbc:ID` whose allowance has a ChargeIndicator `false` and
 *   which is followed by a `cac:TaxScheme` with ID `VAT`, or whose allowance has a ChargeIndicator
 *   `true`, is one of S, Z, E, AE, K, G, L, M;
 * - or a `cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID` is one of them (credit note
 *   lines do not count).
 */
const isTaxableCode = (id: XElement) => VAT_CATS_NEEDING_ID.has(sv(id));
const usesTaxableCategory = perDoc((c: ValidationContext): boolean => {
  for (const ac of kids(c.root, 'cac:AllowanceCharge')) {
    const indicators = kids(ac, 'cbc:ChargeIndicator').map(sv);
    for (const id of nodesAt(ac, 'cac:TaxCategory/cbc:ID')) {
      if (!isTaxableCode(id)) continue;
      const vatFollows = followingSiblings(id).some((s) => isNamed(s, 'cac:TaxScheme') && kids(s, 'cbc:ID').some((i) => sv(i) === 'VAT'));
      if ((indicators.includes('false') && vatFollows) || indicators.includes('true')) return true;
    }
  }
  return someAt(c.root, 'cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID', isTaxableCode);
});

function nonEmpty(el: Element | undefined, path: string): boolean {
  return kids(el, path).some((e) => normalizeSpace(sv(e)) !== '');
}

/** The BR-RO-100/110 pair (Bucharest sector, ISO 3166-2:RO county) for one kind of postal address. */
function addressRules(ids: { sectors: string; county: string }, ctx: Ctx, what: string): RuleDeclaration[] {
  return [
    r(ids.sectors, ctx, (a) => !(nsAt(a, 'cac:Country/cbc:IdentificationCode') === 'RO' &&
      nsAt(a, 'cbc:CountrySubentity') === 'RO-B' && !SECTOR_RO_CODES.has(nsAt(a, 'cbc:CityName'))),
      `If the ${what} country code is RO and the country subdivision is RO-B (Bucharest), then the ${what} city must be coded using the code list SECTOR-RO (SECTOR1..SECTOR6).`),
    r(ids.county, ctx, (a) => !(nsAt(a, 'cac:Country/cbc:IdentificationCode') === 'RO' &&
      !ISO_3166_RO_CODES.has(nsAt(a, 'cbc:CountrySubentity'))),
      `If the ${what} country code is RO, then the ${what} country subdivision must be coded using the ISO 3166-2:RO code list (ex. "RO-B" for Bucharest, "RO-AB" for Alba County...).`),
  ];
}

const dateRule = (id: string, name: string, bt: string): RuleDeclaration =>
  r(id, (c) => c.cbc(name), isIsoDate, `A date (${bt}) MUST be formatted YYYY-MM-DD.`);

/** Root-level length limits: [id, path, max, label]. CIUS-RO 1.0.9 BR-RO-Lxxx. */
const ROOT_LENGTHS: ReadonlyArray<readonly [string, string, number, string]> = [
  ['BR-RO-L0201', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PostalZone', 20, 'Seller post code (BT-38)'],
  ['BR-RO-L0202', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:PostalZone', 20, 'Buyer post code (BT-53)'],
  ['BR-RO-L0203', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:PostalZone', 20, 'Tax representative post code (BT-67)'],
  ['BR-RO-L0204', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:PostalZone', 20, 'Deliver to post code (BT-78)'],
  ['BR-RO-L155', 'cbc:ID', 200, 'Invoice number (BT-1)'],
  ['BR-RO-L0302', 'cac:ContractDocumentReference/cbc:ID', 200, 'Contract reference (BT-12)'],
  ['BR-RO-L0303', 'cac:OrderReference/cbc:ID', 200, 'Purchase order reference (BT-13)'],
  ['BR-RO-L0304', 'cac:OrderReference/cbc:SalesOrderID', 200, 'Sales order reference (BT-14)'],
  ['BR-RO-L0305', 'cac:ReceiptDocumentReference/cbc:ID', 200, 'Receiving advice reference (BT-15)'],
  ['BR-RO-L0306', 'cac:DespatchDocumentReference/cbc:ID', 200, 'Despatch advice reference (BT-16)'],
  ['BR-RO-L0307', 'cac:OriginatorDocumentReference/cbc:ID', 200, 'Tender or lot reference (BT-17)'],
  ['BR-RO-L0501', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CityName', 50, 'Seller city (BT-37)'],
  ['BR-RO-L0502', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CityName', 50, 'Buyer city (BT-52)'],
  ['BR-RO-L0503', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:CityName', 50, 'Tax representative city (BT-66)'],
  ['BR-RO-L0504', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:CityName', 50, 'Deliver to city (BT-77)'],
  ['BR-RO-L1001', 'cbc:AccountingCost', 100, 'Buyer accounting reference (BT-19)'],
  ['BR-RO-L1002', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:AdditionalStreetName', 100, 'Seller address line 2 (BT-36)'],
  ['BR-RO-L1003', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:AddressLine/cbc:Line', 100, 'Seller address line 3 (BT-162)'],
  ['BR-RO-L1004', 'cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Name', 100, 'Seller contact point (BT-41)'],
  ['BR-RO-L1005', 'cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Telephone', 100, 'Seller contact telephone number (BT-42)'],
  ['BR-RO-L1006', 'cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:ElectronicMail', 100, 'Seller contact email address (BT-43)'],
  ['BR-RO-L1007', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:AdditionalStreetName', 100, 'Buyer address line 2 (BT-51)'],
  ['BR-RO-L1008', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:AddressLine/cbc:Line', 100, 'Buyer address line 3 (BT-163)'],
  ['BR-RO-L1009', 'cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Name', 100, 'Buyer contact point (BT-56)'],
  ['BR-RO-L1010', 'cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Telephone', 100, 'Buyer contact telephone number (BT-57)'],
  ['BR-RO-L1011', 'cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ElectronicMail', 100, 'Buyer contact email address (BT-58)'],
  ['BR-RO-L1012', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:AdditionalStreetName', 100, 'Tax representative address line 2 (BT-65)'],
  ['BR-RO-L1013', 'cac:TaxRepresentativeParty/cac:PostalAddress/cac:AddressLine/cbc:Line', 100, 'Tax representative address line 3 (BT-164)'],
  ['BR-RO-L1014', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:AdditionalStreetName', 100, 'Deliver to address line 2 (BT-76)'],
  ['BR-RO-L1015', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cac:AddressLine/cbc:Line', 100, 'Deliver to address line 3 (BT-165)'],
  ['BR-RO-L151', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:StreetName', 150, 'Seller address line 1 (BT-35)'],
  ['BR-RO-L152', 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName', 150, 'Buyer address line 1 (BT-50)'],
  ['BR-RO-L153', 'cac:TaxRepresentativeParty/cac:PostalAddress/cbc:StreetName', 150, 'Tax representative address line 1 (BT-64)'],
  ['BR-RO-L154', 'cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:StreetName', 150, 'Deliver to address line 1 (BT-75)'],
  ['BR-RO-L201', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 200, 'Seller name (BT-27)'],
  ['BR-RO-L202', 'cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name', 200, 'Seller trading name (BT-28)'],
  ['BR-RO-L203', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 200, 'Buyer name (BT-44)'],
  ['BR-RO-L204', 'cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name', 200, 'Buyer trading name (BT-45)'],
  ['BR-RO-L205', 'cac:PayeeParty/cac:PartyName/cbc:Name', 200, 'Payee name (BT-59)'],
  ['BR-RO-L206', 'cac:TaxRepresentativeParty/cac:PartyName/cbc:Name', 200, 'Seller tax representative name (BT-62)'],
  ['BR-RO-L207', 'cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name', 200, 'Deliver to party name (BT-70)'],
  ['BR-RO-L301', 'cac:PaymentTerms/cbc:Note', 300, 'Payment terms (BT-20)'],
  ['BR-RO-L1000', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm', 1000, 'Seller additional legal information (BT-33)'],
];

const lenMsg = (label: string, max: number) => `The allowed maximum number of characters for the ${label} is ${max}.`;
/**
 * Document level allowances (`/ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = false()]`,
 * BG-20) and charges (BG-21); the artefact's `/ubl:CreditNote/...` alternative never matches. An
 * allowance/charge carrying both indicators is handled by the allowance rule only.
 */
const docAllowances: Ctx = invoiceOnly(sharedDocAllowances);
const docCharges: Ctx = invoiceOnly(sharedDocCharges);
/** `cac:InvoiceLine | cac:CreditNoteLine` anywhere. */
const anyLines: Ctx = allLines;
/** Line allowances (`//cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()]`, BG-27) or charges (BG-28). */
const lineAC = (charge: boolean): Ctx => (charge ? lineCharges : lineAllowances);
/** Item attributes (BG-32): `//cac:Item/cac:AdditionalItemProperty`. */
const itemProperties: Ctx = (c) => matchPattern(c, 'cac:Item/cac:AdditionalItemProperty');
/** VAT breakdowns (BG-23) anywhere: `cac:TaxTotal/cac:TaxSubtotal`. */
const taxSubtotals: Ctx = (c) => matchPattern(c, 'cac:TaxTotal/cac:TaxSubtotal');

/** The CIUS-RO 1.0.9 rules (ANAF), in the order of the artefact. */
export const CIUS_RO_RULES: readonly RuleDeclaration[] = [
  dateRule('BR-RO-DT001', 'IssueDate', 'BT-2, BT-27'),
  dateRule('BR-RO-DT002', 'TaxPointDate', 'BT-7'),
  dateRule('BR-RO-DT003', 'DueDate', 'BT-9'),
  dateRule('BR-RO-DT003_CN', 'PaymentDueDate', 'BT-9'),
  dateRule('BR-RO-DT004', 'ActualDeliveryDate', 'BT-72'),
  dateRule('BR-RO-DT005', 'StartDate', 'BT-73, BT-134'),
  dateRule('BR-RO-DT006', 'EndDate', 'BT-74, BT-135'),
  r('BR-27', (c) => c.cbc('PriceAmount'), (el) => xsDouble(sv(el)) >= 0,
    'The Item net price (BT-146) shall NOT be negative.'),
  r('BR-RO-020_1', (c) => c.cbc('InvoiceTypeCode'), (el) => ['380', '384', '389', '751'].includes(normalizeSpace(sv(el))),
    'The invoice type code (BT-3) must be one of the following codes from UNTDID 1001: 380 (Invoice), 389 (Self-billed invoice), 384 (Corrected invoice), 381 (Credit note), 751 (Invoice information for accounting purposes).'),
  r('BR-RO-020_2', (c) => c.cbc('CreditNoteTypeCode'), (el) => normalizeSpace(sv(el)) === '381',
    'The invoice type code (BT-3) must be one of the following codes from UNTDID 1001: 380 (Invoice), 389 (Self-billed invoice), 384 (Corrected invoice), 381 (Credit note), 751 (Invoice information for accounting purposes).'),
  r('BR-RO-001', rootCtx, (el) => kids(el, 'cbc:CustomizationID').some((e) => sv(e) === RO_CIUS_ID),
    `The specification identifier (BT-24) must be syntactically the value given in the technical specification: ${RO_CIUS_ID}.`),
  r('BR-RO-A020', rootCtx, (el) => kids(el, 'cbc:Note').length <= 20,
    'The allowed maximum number of occurences of Invoice note (BG-1) is 20.'),
  ...ROOT_LENGTHS.map(([id, path, max, label]) => r(id, rootCtx, maxLen(path, max), lenMsg(label, max))),
  r('BR-RO-010', rootCtx, (el) => /[0-9]/.test(nsAt(el, 'cbc:ID')),
    'Invoice number (BT-1) must include at least one numeric character (0-9).'),
  r('BR-RO-030', rootCtx, (el) => {
    // (TCC = RON and DCC != RON) or (TCC = RON and DCC = RON) or (TCC != RON and DCC = RON) or (no TCC and DCC = RON)
    return nsAt(el, 'cbc:TaxCurrencyCode') === 'RON' || nsAt(el, 'cbc:DocumentCurrencyCode') === 'RON';
  }, 'If the Invoice currency code (BT-5) is other than RON, then the VAT accounting currency code(BT-6) must be RON.'),
  r('BR-RO-065', rootCtx, (el, c) => !usesTaxableCategory(c) ||
    nodesAt(el, 'cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:CompanyID').length > 0 ||
    nodesAt(el, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID').some((e) => normalizeSpace(sv(e)) !== ''),
    'The Seller tax registration identifier (BT-32) and/or the Seller VAT identifier (BT-31) and/or the Seller tax representative VAT identifier (BT-63) must be provided.'),
  r('BR-RO-081', rootCtx, (el) => nodesAt(el, 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:StreetName').some((e) => normalizeSpace(sv(e)) !== ''),
    'Seller address line 1(BT-35) must be provided.'),
  r('BR-RO-082', rootCtx, (el) => nodesAt(el, 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName').some((e) => normalizeSpace(sv(e)) !== ''),
    'Buyer address line 1(BT-50) must be provided.'),
  r('BR-RO-091', rootCtx, (el) => nodesAt(el, 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CityName').some((e) => normalizeSpace(sv(e)) !== ''),
    'Seller city(BT-37) must be provided.'),
  r('BR-RO-092', rootCtx, (el) => nodesAt(el, 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CityName').some((e) => normalizeSpace(sv(e)) !== ''),
    'Buyer city(BT-52) must be provided.'),
  ...addressRules({ sectors: 'BR-RO-100', county: 'BR-RO-110' },
    (c) => [c.first('cac:AccountingSupplierParty/cac:Party/cac:PostalAddress') ?? c.root].map((a) => (a === c.root ? emptyAddress(c) : a)), "Seller's"),
  ...addressRules({ sectors: 'BR-RO-101', county: 'BR-RO-111' },
    (c) => [c.first('cac:AccountingCustomerParty/cac:Party/cac:PostalAddress') ?? c.root].map((a) => (a === c.root ? emptyAddress(c) : a)), "Buyer's"),
  r('BR-RO-120', rootCtx, (el, c) => !usesTaxableCategory(c) ||
    nodesAt(el, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID').length > 0 ||
    nodesAt(el, 'cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID').some((e) => normalizeSpace(sv(e)) !== ''),
    'The Buyer legal registration identifier (BT-47) and/or the Buyer VAT identifier (BT-48) must be provided.'),
  // Seller tax representative postal address (Invoice only in the artefact)
  r('BR-RO-140', invoiceOnly((c) => c.at('cac:TaxRepresentativeParty/cac:PostalAddress')), (a) => nonEmpty(a, 'cbc:StreetName'),
    'Tax representative address line 1 (BT-64) must be provided if the Seller (BG-4) has a Seller tax representative party (BG-11).'),
  r('BR-RO-150', invoiceOnly((c) => c.at('cac:TaxRepresentativeParty/cac:PostalAddress')), (a) => nonEmpty(a, 'cbc:CityName'),
    'Tax representative city (BT-66) must be provided if the Seller (BG-4) has a Seller tax representative party (BG-11).'),
  ...addressRules({ sectors: 'BR-RO-160', county: 'BR-RO-170' },
    invoiceOnly((c) => c.at('cac:TaxRepresentativeParty/cac:PostalAddress')), "Seller's tax representative"),
  r('BR-RO-L208', (c) => c.cac('PaymentMeans'), maxLen('cac:PayeeFinancialAccount/cbc:Name', 200), lenMsg('Payment account name (BT-85)', 200)),
  r('BR-RO-L209', (c) => c.cac('PaymentMeans'), maxLen('cac:CardAccount/cbc:HolderName', 200), lenMsg('Payment card holder name (BT-88)', 200)),
  r('BR-RO-L1016', (c) => c.cac('PaymentMeans'), (pm) => stringLength(normalizeSpace(attrOf(singleAt(pm, 'cbc:PaymentMeansCode'), 'name'))) <= 100,
    lenMsg('Payment means text (BT-82)', 100)),
  r('BR-RO-L140', (c) => c.cac('PaymentMeans'), maxLen('cbc:PaymentID', 140), lenMsg('Remittance information (BT-83)', 140)),
  r('BR-RO-180', invoiceOnly((c) => c.at('cac:Delivery/cac:DeliveryLocation/cac:Address')), (a) => nonEmpty(a, 'cbc:StreetName'),
    'If the Delivery to (BG-15) exists, the Deliver to address line 1 (BT-75) must exists.'),
  r('BR-RO-201', invoiceOnly((c) => c.at('cac:Delivery/cac:DeliveryLocation/cac:Address')), (a) => nonEmpty(a, 'cbc:CityName'),
    'If the Delivery to (BG-15) exists, the Deliver to city (BT-77) must exists.'),
  ...addressRules({ sectors: 'BR-RO-202', county: 'BR-RO-212' },
    invoiceOnly((c) => c.at('cac:Delivery/cac:DeliveryLocation/cac:Address')), 'Deliver to'),
  r('BR-RO-211', invoiceOnly((c) => c.at('cac:Delivery/cac:DeliveryLocation/cac:Address')), (a) => nonEmpty(a, 'cbc:CountrySubentity'),
    'If the Delivery to (BG-15) exists, the Deliver to country subdivision (BT-79) must exists.'),
  r('BR-RO-040', (c) => childrenOfAll(c.cac('InvoicePeriod'), 'cbc:DescriptionCode'), (el) => ['3', '35', '432'].includes(normalizeSpace(sv(el))),
    'The value added tax point date code (BT-8) must be one of the following codes from UNTDID 2005: 3 (Invoice document issue date time), 35 (Actual delivery date time), 432 (Paid to date).'),
  r('BR-RO-L1024', anyLines, lineTest(maxLen('cac:Item/cbc:Name', 100)), lenMsg('Item name (BT-153)', 100)),
  r('BR-RO-L1021', anyLines, lineTest(maxLen('cbc:AccountingCost', 100)), lenMsg('Invoice line Buyer accounting reference (BT-133)', 100)),
  r('BR-RO-L212', anyLines, lineTest(maxLen('cac:Item/cbc:Description', 200)), lenMsg('Item description (BT-154)', 200)),
  r('BR-RO-L303', anyLines, lineTest(maxLen('cbc:Note', 300)), lenMsg('Invoice line note (BT-127)', 300)),
  r('BR-RO-L0505', itemProperties, maxLen('cbc:Name', 50), lenMsg('Item attribute name (BT-160)', 50)),
  r('BR-RO-L1025', itemProperties, maxLen('cbc:Value', 100), lenMsg('Item attribute value (BT-161)', 100)),
  r('BR-DEC-RO-01', docAllowances, maxDecimals('cbc:Amount'), decMsg('Document level allowance amount (BT-92)')),
  r('BR-DEC-RO-02', docAllowances, maxDecimals('cbc:BaseAmount'), decMsg('Document level allowance base amount (BT-93)')),
  r('BR-RO-L1017', docAllowances, maxLen('cbc:AllowanceChargeReasonCode', 100), lenMsg('Document level allowance reason (BT-97)', 100)),
  r('BR-DEC-RO-05', docCharges, maxDecimals('cbc:Amount'), decMsg('Document level charge amount (BT-99)')),
  r('BR-DEC-RO-06', docCharges, maxDecimals('cbc:BaseAmount'), decMsg('Document level charge base amount (BT-100)')),
  r('BR-RO-L1018', docCharges, maxLen('cbc:AllowanceChargeReasonCode', 100), lenMsg('Document level charge reason (BT-104)', 100)),
  ...(
    [
      ['BR-DEC-RO-09', 'cbc:LineExtensionAmount', 'Sum of Invoice line net amount (BT-106)'],
      ['BR-DEC-RO-10', 'cbc:AllowanceTotalAmount', 'Sum of allowances on document level (BT-107)'],
      ['BR-DEC-RO-11', 'cbc:ChargeTotalAmount', 'Sum of charges on document level (BT-108)'],
      ['BR-DEC-RO-12', 'cbc:TaxExclusiveAmount', 'Invoice total amount without VAT (BT-109)'],
      ['BR-DEC-RO-14', 'cbc:TaxInclusiveAmount', 'Invoice total amount with VAT (BT-112)'],
      ['BR-DEC-RO-16', 'cbc:PrepaidAmount', 'Paid amount (BT-113)'],
      ['BR-DEC-RO-17', 'cbc:PayableRoundingAmount', 'Rounding amount (BT-114)'],
      ['BR-DEC-RO-18', 'cbc:PayableAmount', 'Amount due for payment (BT-115)'],
    ] as const
  ).map(([id, p, label]) => r(id, (c) => c.cac('LegalMonetaryTotal'), maxDecimals(p), decMsg(label))),
  r('BR-DEC-RO-1009', taxSubtotals, maxDecimals('cbc:TaxableAmount'), decMsg('VAT category taxable amount (BT-116)')),
  r('BR-DEC-RO-1010', taxSubtotals, maxDecimals('cbc:TaxAmount'), decMsg('VAT category tax amount (BT-117)')),
  r('BR-DEC-RO-24', lineAC(false), maxDecimals('cbc:Amount'), decMsg('Invoice line allowance amount (BT-136)')),
  r('BR-DEC-RO-25', lineAC(false), maxDecimals('cbc:BaseAmount'), decMsg('Invoice line allowance base amount (BT-137)')),
  r('BR-RO-L1022', lineAC(false), maxLen('cbc:AllowanceChargeReason', 100), lenMsg('Invoice line allowance reason (BT-139)', 100)),
  r('BR-DEC-RO-27', lineAC(true), maxDecimals('cbc:Amount'), decMsg('Invoice line charge amount (BT-141)')),
  r('BR-DEC-RO-28', lineAC(true), maxDecimals('cbc:BaseAmount'), decMsg('Invoice line charge base amount (BT-142)')),
  r('BR-RO-L1023', lineAC(true), maxLen('cbc:AllowanceChargeReason', 100), lenMsg('Invoice line charge reason (BT-144)', 100)),
  r('BR-RO-L302', (c) => c.cbc('Note'), (el) => stringLength(normalizeSpace(sv(el))) <= 300, lenMsg('Invoice note (BT-22)', 300)),
  r('BR-RO-L0308', (c) => c.cac('AdditionalDocumentReference'), maxLen('cbc:ID', 200), lenMsg('Invoiced object identifier (BT-18) and Supporting document reference (BT-122)', 200)),
  r('BR-RO-L1020', (c) => c.cac('AdditionalDocumentReference'), maxLen('cbc:DocumentDescription', 100), lenMsg('Supporting document description (BT-123)', 100)),
  r('BR-RO-L210', (c) => c.cac('AdditionalDocumentReference'), maxLen('cac:Attachment/cac:ExternalReference/cbc:URI', 200), lenMsg('External document location (BT-124)', 200)),
  r('BR-RO-L211', (c) => c.cac('AdditionalDocumentReference'),
    (el) => stringLength(normalizeSpace(attrOf(singleAt(el, 'cac:Attachment/cbc:EmbeddedDocumentBinaryObject'), 'filename'))) <= 200,
    lenMsg('Attached document Filename (BT-125-2)', 200)),
  r('BR-RO-A500', (c) => c.cac('BillingReference'), (el) => kids(el, 'cac:InvoiceDocumentReference').length <= 500,
    'The allowed maximum number of occurences of Preceding Invoice reference (BG-3) is 500.'),
  r('BR-RO-L156', (c) => c.cac('BillingReference'), maxLen('cac:InvoiceDocumentReference/cbc:ID', 200), lenMsg('Preceding Invoice reference (BT-25)', 200)),
];

function childrenOfAll(els: readonly Element[], name: string): Element[] {
  return els.flatMap((e) => kids(e, name));
}

/**
 * The BR-RO-100/110 family is evaluated on the root with paths into the party address; when the
 * address is absent every path is empty, i.e. the country code is not 'RO' and the rule holds.
 * A detached empty element stands in for the missing address.
 */
const emptyAddress = perDoc((): Element => XElement.detached('none'));
