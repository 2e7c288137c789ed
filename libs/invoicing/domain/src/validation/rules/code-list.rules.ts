import {
  EAS_CODES,
  ISO_3166_1_ALPHA2_CODES,
  ISO_4217_CURRENCY_CODES,
  ISO_6523_ICD_CODES,
  MIME_CODES,
  SEPA_SCHEME_ID,
  UNCL_1001_CREDIT_NOTE_TYPE_CODES,
  UNCL_1001_INVOICE_TYPE_CODES,
  UNCL_1153_REFERENCE_QUALIFIERS,
  UNCL_2005_VAT_POINT_DATE_CODES,
  UNCL_4451_TEXT_SUBJECT_CODE_LIST,
  UNCL_4461_PAYMENT_MEANS_CODES,
  UNCL_5189_ALLOWANCE_REASON_CODES,
  UNCL_5305_VAT_CATEGORY_CODES,
  UNCL_7143_ITEM_CLASSIFICATION_LIST_IDS,
  UNCL_7161_CHARGE_REASON_CODES,
  UNECE_REC20_UNIT_CODES,
  VATEX_CODES,
} from '../code-lists/index.js';
import type { RuleDeclaration } from '../rule.js';
import { normalizeSpace } from '../xpath-lite.js';
import { ruleDeclarer, type Ctx } from './rule-helpers.js';
import { attrOf, chargeIndicatorIs, documentWalk, hasAncestor, isNamed, kids, matchPattern, safeFilter, sv } from './xpath-nodes.js';

/**
 * The EN 16931 1.3.8 code-list rules (BR-CL-*, UBL binding) as ANAF's CIUS-RO 1.0.9 artefact applies
 * them: every assert is `fatal`; BR-CL-08 belongs to the model pattern, the others to the code-list
 * pattern. Contexts are XSLT match patterns (xpath-nodes.ts `matchPattern`), so they select nodes
 * anywhere in the document (`cac:Country/cbc:IdentificationCode` is every such element, not only the
 * seller's); a context on an attribute (`//@currencyID`) is evaluated on the elements carrying it.
 * Within the code-list pattern no element matches two contexts, so each node is checked by exactly
 * one rule. Values are XPath string values (untrimmed, xpath-nodes.ts `sv`).
 *
 * A value is "in the list" when its `normalize-space` is one of the codes: the artefact's test
 * `not(contains(v, ' ')) and contains(' c1 c2 … ', concat(' ', v, ' '))` is exactly that, for lists
 * without empty codes (an empty value fails). Exceptions, as in the artefact: BR-CL-22 upper-cases the
 * value first, BR-CL-24 compares the raw `mimeCode` (no space normalisation), BR-CL-08 tests a
 * substring of the code list, and BR-CL-10 also accepts `SEPA` under the seller or the payee.
 * Lists: see ../code-lists (aligned on ANAF's 1.3.8-era lists).
 */

type Element = Parameters<RuleDeclaration['test']>[0];

const declare = ruleDeclarer('EN16931-1.3.8');

/**
 * A BR-CL rule with the EN 16931 terms (BT) it codes; `message` is the specification's wording, the
 * catalogue texts (en, ro, meaning) come from rule-texts/.
 */
function rule(id: string, terms: readonly string[], context: Ctx, test: RuleDeclaration['test'], message: string): RuleDeclaration {
  return { ...declare(id, context, test, message), terms };
}

/** `normalize-space(.)` of an element. */
const value = (el: Element): string => normalizeSpace(sv(el));
/** `normalize-space(@name)` of an element ('' when absent). */
const attrValue = (el: Element, name: string): string => normalizeSpace(attrOf(el, name));
/** Test: the element's normalized string value is a code of `list`. */
const textIn =
  (list: ReadonlySet<string>): RuleDeclaration['test'] =>
  (el) =>
    list.has(value(el));
/** Test: the normalized attribute `name` is a code of `list`. */
const attrIn =
  (name: string, list: ReadonlySet<string>): RuleDeclaration['test'] =>
  (el) =>
    list.has(attrValue(el, name));

/** An XSLT match pattern of child steps (`cac:Country/cbc:IdentificationCode`), anywhere in the document. */
const pattern =
  (p: string): Ctx =>
  (c) =>
    matchPattern(c, p);
/** Adds the predicate `[@name]` to a context. */
const withAttr =
  (ctx: Ctx, name: string): Ctx =>
  (c) =>
    ctx(c).filter((e) => attrOf(e, name) !== undefined);

/** The `//@name` context: every element of the document carrying a no-namespace attribute `name`, in document order. */
const carrying = (name: string): Ctx => (c) => documentWalk(c).attributeOwners.get(name) ?? [];

/**
 * `cac:AllowanceCharge[cbc:ChargeIndicator = <charge>]/cbc:AllowanceChargeReasonCode`, at any level
 * (document, line, price); an indicator that is no xs:boolean makes the pattern not match.
 */
const reasonCodes =
  (charge: boolean): Ctx =>
  (c) =>
    safeFilter(matchPattern(c, 'cac:AllowanceCharge'), (ac) => chargeIndicatorIs(ac, charge)).flatMap((ac) =>
      kids(ac, 'cbc:AllowanceChargeReasonCode'),
    );

/**
 * `cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']/cbc:ID[@schemeID] |
 * cac:DocumentReference[…]/cbc:ID[@schemeID]` (the type code compared untrimmed).
 */
const invoicedObjectIds: Ctx = (c) =>
  [...matchPattern(c, 'cac:AdditionalDocumentReference'), ...matchPattern(c, 'cac:DocumentReference')]
    .filter((r) => kids(r, 'cbc:DocumentTypeCode').some((d) => sv(d) === '130'))
    .flatMap((r) => kids(r, 'cbc:ID'))
    .filter((id) => attrOf(id, 'schemeID') !== undefined);

/** `ancestor::cac:AccountingSupplierParty or ancestor::cac:PayeeParty` (where BR-CL-10 accepts `SEPA`). */
const underSellerOrPayee = (el: Element): boolean =>
  hasAncestor(el, (a) => isNamed(a, 'cac:AccountingSupplierParty') || isNamed(a, 'cac:PayeeParty'));

/**
 * BR-CL-08 list as the artefact tests it: the codes joined by spaces, in the list's (sorted) order,
 * surrounded by spaces; the three characters between the first two `#` must occur in it as a
 * substring (so a code is accepted, and so is any 3-character run of the string, e.g. `A A`).
 */
const UNCL_4451_STRING = ` ${UNCL_4451_TEXT_SUBJECT_CODE_LIST.join(' ')} `;

/** XPath `substring-before(substring-after(s, '#'), '#')` ('' when either `#` is missing). */
function betweenHashes(s: string): string {
  const i = s.indexOf('#');
  if (i < 0) return '';
  const rest = s.slice(i + 1);
  const j = rest.indexOf('#');
  return j < 0 ? '' : rest.slice(0, j);
}

/** BR-CL-08: a note `…#XYZ#…` whose first `#…#` part has exactly 3 characters must name a UNTDID 4451 subject. */
function noteSubjectOk(note: Element): boolean {
  const s = sv(note);
  const subject = betweenHashes(s);
  if (!s.includes('#') || [...subject].length !== 3) return true;
  return UNCL_4451_STRING.includes(subject);
}

const ISO_4217 = 'ISO code list 4217 alpha-3';
const COUNTRY = 'Country codes in an invoice MUST be coded using ISO code list 3166-1';
const VAT_CAT = 'Invoice tax categories MUST be coded using UNCL5305 code list';

/** Every BR-CL rule of EN 16931 1.3.8 (UBL) in ANAF's CIUS-RO 1.0.9 artefact, all `fatal`. */
export const CODE_LIST_RULES: readonly RuleDeclaration[] = [
  rule(
    'BR-CL-08',
    ['BT-21', 'BT-22'],
    (c) => kids(c.root, 'cbc:Note'),
    noteSubjectOk,
    'Invoiced note subject code shall be coded using UNCL4451',
  ),
  rule(
    'BR-CL-01',
    ['BT-3'],
    (c) => [...matchPattern(c, 'cbc:InvoiceTypeCode'), ...matchPattern(c, 'cbc:CreditNoteTypeCode')],
    (el) => (isNamed(el, 'cbc:InvoiceTypeCode') ? UNCL_1001_INVOICE_TYPE_CODES : UNCL_1001_CREDIT_NOTE_TYPE_CODES).has(value(el)),
    'The document type code MUST be coded by the invoice and credit note related code lists of UNTDID 1001.',
  ),
  rule(
    'BR-CL-03',
    ['BT-5', 'BT-6'],
    carrying('currencyID'),
    attrIn('currencyID', ISO_4217_CURRENCY_CODES),
    `currencyID MUST be coded using ${ISO_4217}`,
  ),
  rule(
    'BR-CL-04',
    ['BT-5'],
    pattern('cbc:DocumentCurrencyCode'),
    textIn(ISO_4217_CURRENCY_CODES),
    `Invoice currency code MUST be coded using ${ISO_4217}`,
  ),
  rule(
    'BR-CL-05',
    ['BT-6'],
    pattern('cbc:TaxCurrencyCode'),
    textIn(ISO_4217_CURRENCY_CODES),
    `Tax currency code MUST be coded using ${ISO_4217}`,
  ),
  rule(
    'BR-CL-06',
    ['BT-8'],
    pattern('cac:InvoicePeriod/cbc:DescriptionCode'),
    textIn(UNCL_2005_VAT_POINT_DATE_CODES),
    'Value added tax point date code MUST be coded using a restriction of UNTDID 2005.',
  ),
  rule(
    'BR-CL-07',
    ['BT-18'],
    invoicedObjectIds,
    attrIn('schemeID', UNCL_1153_REFERENCE_QUALIFIERS),
    'Object identifier identification scheme identifier MUST be coded using a restriction of UNTDID 1153.',
  ),
  rule(
    'BR-CL-10',
    ['BT-29', 'BT-46', 'BT-60', 'BT-90'],
    withAttr(pattern('cac:PartyIdentification/cbc:ID'), 'schemeID'),
    (el) => {
      const v = attrValue(el, 'schemeID');
      return ISO_6523_ICD_CODES.has(v) || (v === SEPA_SCHEME_ID && underSellerOrPayee(el));
    },
    'Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.',
  ),
  rule(
    'BR-CL-11',
    ['BT-30', 'BT-47', 'BT-61'],
    withAttr(pattern('cac:PartyLegalEntity/cbc:CompanyID'), 'schemeID'),
    attrIn('schemeID', ISO_6523_ICD_CODES),
    'Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.',
  ),
  rule(
    'BR-CL-13',
    ['BT-158'],
    withAttr(pattern('cac:CommodityClassification/cbc:ItemClassificationCode'), 'listID'),
    attrIn('listID', UNCL_7143_ITEM_CLASSIFICATION_LIST_IDS),
    'Item classification identifier identification scheme identifier MUST be coded using one of the UNTDID 7143 list.',
  ),
  rule(
    'BR-CL-14',
    ['BT-40', 'BT-55', 'BT-69', 'BT-80'],
    pattern('cac:Country/cbc:IdentificationCode'),
    textIn(ISO_3166_1_ALPHA2_CODES),
    COUNTRY,
  ),
  rule(
    'BR-CL-15',
    ['BT-159'],
    pattern('cac:OriginCountry/cbc:IdentificationCode'),
    textIn(ISO_3166_1_ALPHA2_CODES),
    COUNTRY,
  ),
  rule(
    'BR-CL-16',
    ['BT-81'],
    pattern('cac:PaymentMeans/cbc:PaymentMeansCode'),
    textIn(UNCL_4461_PAYMENT_MEANS_CODES),
    'Payment means in an invoice MUST be coded using UNCL4461 code list',
  ),
  rule(
    'BR-CL-17',
    ['BT-95', 'BT-102', 'BT-118'],
    pattern('cac:TaxCategory/cbc:ID'),
    textIn(UNCL_5305_VAT_CATEGORY_CODES),
    VAT_CAT,
  ),
  rule(
    'BR-CL-18',
    ['BT-151'],
    pattern('cac:ClassifiedTaxCategory/cbc:ID'),
    textIn(UNCL_5305_VAT_CATEGORY_CODES),
    VAT_CAT,
  ),
  rule(
    'BR-CL-19',
    ['BT-98', 'BT-140'],
    reasonCodes(false),
    textIn(UNCL_5189_ALLOWANCE_REASON_CODES),
    'Coded allowance reasons MUST belong to the UNCL 5189 code list',
  ),
  rule(
    'BR-CL-20',
    ['BT-105', 'BT-145'],
    reasonCodes(true),
    textIn(UNCL_7161_CHARGE_REASON_CODES),
    'Coded charge reasons MUST belong to the UNCL 7161 code list',
  ),
  rule(
    'BR-CL-21',
    ['BT-157'],
    withAttr(pattern('cac:StandardItemIdentification/cbc:ID'), 'schemeID'),
    attrIn('schemeID', ISO_6523_ICD_CODES),
    'Item standard identifier scheme identifier MUST belong to the ISO 6523 ICD code list',
  ),
  rule(
    'BR-CL-22',
    ['BT-121'],
    pattern('cbc:TaxExemptionReasonCode'),
    (el) => VATEX_CODES.has(normalizeSpace(sv(el).toUpperCase())),
    'Tax exemption reason code identifier scheme identifier MUST belong to the CEF VATEX code list',
  ),
  rule(
    'BR-CL-23',
    ['BT-130', 'BT-150'],
    carrying('unitCode'),
    attrIn('unitCode', UNECE_REC20_UNIT_CODES),
    'Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension',
  ),
  rule(
    'BR-CL-24',
    ['BT-125'],
    withAttr(pattern('cbc:EmbeddedDocumentBinaryObject'), 'mimeCode'),
    (el) => MIME_CODES.has(attrOf(el, 'mimeCode') ?? ''),
    'For Mime code in attribute use MIMEMediaType.',
  ),
  rule(
    'BR-CL-25',
    ['BT-34', 'BT-49'],
    withAttr(pattern('cbc:EndpointID'), 'schemeID'),
    attrIn('schemeID', EAS_CODES),
    'Endpoint identifier scheme identifier MUST belong to the CEF EAS code list',
  ),
  rule(
    'BR-CL-26',
    ['BT-71'],
    withAttr(pattern('cac:DeliveryLocation/cbc:ID'), 'schemeID'),
    attrIn('schemeID', ISO_6523_ICD_CODES),
    'Delivery location identifier scheme identifier MUST belong to the ISO 6523 ICD code list',
  ),
];
