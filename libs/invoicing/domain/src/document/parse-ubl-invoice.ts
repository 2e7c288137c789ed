/**
 * UBL 2.1 / CIUS-RO → `InvoiceDocument`: the inverse of `buildCiusRoUbl` (build-ubl.ts), also used to read the UBL
 * that suppliers send (issue 10) into the same data.
 *
 * The document is read only through the helpers of `../ubl/ubl-dom.ts` (`child`, `children`, `childAt`,
 * `childrenAt`, `text`, `ownText`, `attr`), never through DOM properties, so that the XML tree under them can be replaced.
 */
import type { XElement as Element } from '../xml/xml-tree.js';
import { CetateError, type ProblemFieldError } from '@cetate/shared-errors';
import {
  InvoiceDocumentSchema,
  type DocumentAllowanceCharge,
  type InvoiceDocument,
  type InvoiceLine,
  type LineAllowanceCharge,
  type Party,
  type PostalAddress,
} from '@cetate/invoicing-contracts';
import { attr, child, children, childAt, childrenAt, ownText, parseUblDocument, text, type ParsedUblDocument } from '../ubl/index.js';

/** Stable codes of {@link UblInvoiceDocumentError}. */
export type UblInvoiceDocumentErrorCode = 'UBL_TERM_MISSING' | 'UBL_TERM_UNSUPPORTED' | 'UBL_DOCUMENT_INVALID';

/**
 * The UBL cannot be turned into an `InvoiceDocument` (a {@link CetateError}):
 * - `UBL_TERM_MISSING`: a business term the `InvoiceDocument` requires is absent or empty (`term` says which, e.g.
 *   `BT-1`, and `path` where it was looked for, e.g. `/Invoice/cbc:ID`);
 * - `UBL_TERM_UNSUPPORTED`: the XML uses a term that the `InvoiceDocument` cannot hold and whose omission would
 *   change the amounts computed from the document (e.g. a price base quantity BT-149 other than 1);
 * - `UBL_DOCUMENT_INVALID`: every term was read, but the result is not accepted by `InvoiceDocumentSchema` (the
 *   zod issues are in `errors`, each with the path of the field, e.g. `lines.0.vatRate`).
 */
export class UblInvoiceDocumentError extends CetateError {
  declare readonly code: UblInvoiceDocumentErrorCode;
  /** The EN 16931 term concerned (`BT-1`, `BG-4`), when one is. */
  readonly term?: string;
  /** Element path in the XML (`/Invoice/cac:InvoiceLine[2]/cbc:ID`), when one is concerned. */
  readonly path?: string;
  constructor(
    code: UblInvoiceDocumentErrorCode,
    message: string,
    opts: { term?: string; path?: string; errors?: ProblemFieldError[] } = {},
  ) {
    super(code, message, opts.errors ? { errors: opts.errors } : {});
    if (opts.term !== undefined) this.term = opts.term;
    if (opts.path !== undefined) this.path = opts.path;
  }
}

/** Options of {@link invoiceDocumentFromUbl}. */
export interface InvoiceDocumentFromUblOptions {
  /**
   * Check the result with `InvoiceDocumentSchema` and return the schema's output (default `true`). With `false`
   * the object has the shape of an `InvoiceDocument` but its values are as written in the XML, unchecked.
   */
  validate?: boolean;
}

/** The VAT categories an exemption reason (BT-120/BT-121) can belong to in an `InvoiceDocument`. */
const EXEMPTION_CATEGORIES = new Set(['E', 'AE', 'K', 'G', 'O']);

/** Removes the keys whose value is `undefined` (the `InvoiceDocument` has absent keys, never `undefined` values). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** A non-empty array, or `undefined` for an empty one (an `InvoiceDocument` has no empty lists). */
const nonEmpty = <T>(xs: T[]): T[] | undefined => (xs.length > 0 ? xs : undefined);

/** An `xs:boolean` value: `true`/`1` → true, `false`/`0` → false, anything else `undefined`. */
function xsBoolean(value: string | undefined): boolean | undefined {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

/** Reads one UBL document; `where` is the element path of the current element, for error messages. */
class Reader {
  constructor(readonly root: Element, readonly rootName: 'Invoice' | 'CreditNote') {}

  /** Trimmed text at `path` under `el`, `undefined` when absent or empty. */
  opt(el: Element | undefined, path: string): string | undefined {
    const v = text(el, path);
    return v === undefined || v === '' ? undefined : v;
  }

  /** Trimmed non-empty text at `path` under `el`. @throws UblInvoiceDocumentError `UBL_TERM_MISSING` */
  req(el: Element | undefined, path: string, term: string, where: string): string {
    const v = this.opt(el, path);
    if (v === undefined) throw this.missing(term, `${where}/${path}`);
    return v;
  }

  missing(term: string, path: string): UblInvoiceDocumentError {
    return new UblInvoiceDocumentError('UBL_TERM_MISSING', `${term} is missing: ${path} is absent or empty`, { term, path });
  }
}

/** Terms of one kind of postal address, for error messages: [street, city, country]. */
type AddressTerms = readonly [street: string, city: string, country: string];

/**
 * A postal address (UBL `AddressType`): `cbc:StreetName` BT-35/50/75, `cbc:AdditionalStreetName` BT-36/51/76,
 * `cbc:CityName` BT-37/52/77, `cbc:PostalZone` BT-38/53/78, `cbc:CountrySubentity` BT-39/54/79,
 * `cac:Country/cbc:IdentificationCode` BT-40/55/80.
 */
function readAddress(r: Reader, a: Element, terms: AddressTerms, where: string): PostalAddress {
  return compact({
    street: r.req(a, 'cbc:StreetName', terms[0], where),
    additionalStreet: r.opt(a, 'cbc:AdditionalStreetName'),
    city: r.req(a, 'cbc:CityName', terms[1], where),
    postalCode: r.opt(a, 'cbc:PostalZone'),
    countrySubdivision: r.opt(a, 'cbc:CountrySubentity'),
    countryCode: r.req(a, 'cac:Country/cbc:IdentificationCode', terms[2], where),
  });
}

/**
 * A trading party (`cac:Party` of `AccountingSupplierParty` BG-4 / `AccountingCustomerParty` BG-7):
 * `PartyLegalEntity/RegistrationName` BT-27/44 (required), `PartyName/Name` BT-28/45,
 * `PartyLegalEntity/CompanyID` BT-30/47, `PartyTaxScheme[TaxScheme/ID = VAT]/CompanyID` BT-31/48, for the seller
 * `PartyTaxScheme[TaxScheme/ID ≠ VAT]/CompanyID` BT-32, `PostalAddress` BG-5/8 (required), `Contact` BG-6/9
 * (`Name` BT-41/56, `Telephone` BT-42/57, `ElectronicMail` BT-43/58).
 */
function readParty(r: Reader, role: 'seller' | 'buyer'): Party {
  const seller = role === 'seller';
  const wrapper = seller ? 'cac:AccountingSupplierParty' : 'cac:AccountingCustomerParty';
  const where = `/${r.rootName}/${wrapper}/cac:Party`;
  const p = childAt(r.root, `${wrapper}/cac:Party`);
  if (!p) throw r.missing(seller ? 'BG-4' : 'BG-7', where);
  let vatIdentifier: string | undefined;
  let taxRegistrationId: string | undefined;
  for (const pts of children(p, 'cac:PartyTaxScheme')) {
    const id = r.opt(pts, 'cbc:CompanyID');
    if (id === undefined) continue;
    if (text(pts, 'cac:TaxScheme/cbc:ID') === 'VAT') vatIdentifier ??= id;
    else if (seller) taxRegistrationId ??= id;
  }
  const address = child(p, 'cac:PostalAddress');
  if (!address) throw r.missing(seller ? 'BG-5' : 'BG-8', `${where}/cac:PostalAddress`);
  const contactEl = child(p, 'cac:Contact');
  const contact = contactEl
    ? compact({
        name: r.opt(contactEl, 'cbc:Name'),
        telephone: r.opt(contactEl, 'cbc:Telephone'),
        email: r.opt(contactEl, 'cbc:ElectronicMail'),
      })
    : undefined;
  return compact({
    name: r.req(p, 'cac:PartyLegalEntity/cbc:RegistrationName', seller ? 'BT-27' : 'BT-44', where),
    tradingName: r.opt(p, 'cac:PartyName/cbc:Name'),
    legalRegistrationId: r.opt(p, 'cac:PartyLegalEntity/cbc:CompanyID'),
    vatIdentifier,
    taxRegistrationId,
    address: readAddress(r, address, seller ? ['BT-35', 'BT-37', 'BT-40'] : ['BT-50', 'BT-52', 'BT-55'], `${where}/cac:PostalAddress`),
    contact: contact && Object.keys(contact).length > 0 ? contact : undefined,
  });
}

/** `cbc:ChargeIndicator` of a `cac:AllowanceCharge`. @throws UblInvoiceDocumentError `UBL_TERM_MISSING` */
function chargeIndicator(r: Reader, ac: Element, where: string): boolean {
  const v = xsBoolean(text(ac, 'cbc:ChargeIndicator'));
  if (v === undefined) throw r.missing('ChargeIndicator', `${where}/cbc:ChargeIndicator`);
  return v;
}

/**
 * A line allowance BG-27 / charge BG-28: `cbc:Amount` BT-136/141 (required), `cbc:AllowanceChargeReason`
 * BT-139/144, `cbc:AllowanceChargeReasonCode` BT-140/145.
 */
function readLineAllowanceCharge(r: Reader, ac: Element, isCharge: boolean, where: string): LineAllowanceCharge {
  return compact({
    amount: r.req(ac, 'cbc:Amount', isCharge ? 'BT-141' : 'BT-136', where),
    reason: r.opt(ac, 'cbc:AllowanceChargeReason'),
    reasonCode: r.opt(ac, 'cbc:AllowanceChargeReasonCode'),
  });
}

/**
 * A document level allowance BG-20 / charge BG-21: `cbc:Amount` BT-92/99 (required), `cac:TaxCategory/cbc:ID`
 * BT-95/102 (required), `cac:TaxCategory/cbc:Percent` BT-96/103, `cbc:AllowanceChargeReason` BT-97/104,
 * `cbc:AllowanceChargeReasonCode` BT-98/105.
 */
function readDocumentAllowanceCharge(r: Reader, ac: Element, isCharge: boolean, where: string): DocumentAllowanceCharge {
  return compact({
    amount: r.req(ac, 'cbc:Amount', isCharge ? 'BT-99' : 'BT-92', where),
    vatCategory: r.req(ac, 'cac:TaxCategory/cbc:ID', isCharge ? 'BT-102' : 'BT-95', where) as DocumentAllowanceCharge['vatCategory'],
    vatRate: r.opt(ac, 'cac:TaxCategory/cbc:Percent'),
    reason: r.opt(ac, 'cbc:AllowanceChargeReason'),
    reasonCode: r.opt(ac, 'cbc:AllowanceChargeReasonCode'),
  });
}

/**
 * An invoice line BG-25 (`cac:InvoiceLine`, or `cac:CreditNoteLine` in a CreditNote): `cbc:ID` BT-126, `cbc:Note`
 * BT-127, `cbc:InvoicedQuantity`/`cbc:CreditedQuantity` BT-129 with `@unitCode` BT-130, `cac:AllowanceCharge`
 * BG-27/BG-28, `cac:Item/cbc:Description` BT-154, `cac:Item/cbc:Name` BT-153,
 * `cac:Item/cac:SellersItemIdentification/cbc:ID` BT-155, `cac:Item/cac:ClassifiedTaxCategory/cbc:ID` BT-151 and
 * `cbc:Percent` BT-152, `cac:Price/cbc:PriceAmount` BT-146. The line net amount BT-131 is not read: the document
 * holds what it is computed from.
 * @throws UblInvoiceDocumentError `UBL_TERM_UNSUPPORTED` when `cac:Price/cbc:BaseQuantity` (BT-149) is not 1 (the
 *   `InvoiceDocument` holds the price of one unit).
 */
function readLine(r: Reader, line: Element, where: string): InvoiceLine {
  const quantityName = r.rootName === 'CreditNote' ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  const quantityEl = child(line, quantityName);
  const quantity = r.req(line, quantityName, 'BT-129', where);
  const unitCode = attr(quantityEl, 'unitCode')?.trim();
  if (!unitCode) throw r.missing('BT-130', `${where}/${quantityName}/@unitCode`);
  const baseQuantity = r.opt(line, 'cac:Price/cbc:BaseQuantity');
  if (baseQuantity !== undefined && !/^\+?0*1(\.0*)?$/.test(baseQuantity)) {
    throw new UblInvoiceDocumentError(
      'UBL_TERM_UNSUPPORTED',
      `${where}/cac:Price/cbc:BaseQuantity is ${baseQuantity}: an invoice document holds the price of one unit (BT-149 = 1)`,
      { term: 'BT-149', path: `${where}/cac:Price/cbc:BaseQuantity` },
    );
  }
  const allowances: LineAllowanceCharge[] = [];
  const charges: LineAllowanceCharge[] = [];
  children(line, 'cac:AllowanceCharge').forEach((ac, i) => {
    const acWhere = `${where}/cac:AllowanceCharge[${i + 1}]`;
    const isCharge = chargeIndicator(r, ac, acWhere);
    (isCharge ? charges : allowances).push(readLineAllowanceCharge(r, ac, isCharge, acWhere));
  });
  return compact({
    id: r.req(line, 'cbc:ID', 'BT-126', where),
    note: r.opt(line, 'cbc:Note'),
    quantity,
    unitCode,
    itemName: r.req(line, 'cac:Item/cbc:Name', 'BT-153', where),
    itemDescription: r.opt(line, 'cac:Item/cbc:Description'),
    sellersItemId: r.opt(line, 'cac:Item/cac:SellersItemIdentification/cbc:ID'),
    priceAmount: r.req(line, 'cac:Price/cbc:PriceAmount', 'BT-146', where),
    vatCategory: r.req(line, 'cac:Item/cac:ClassifiedTaxCategory/cbc:ID', 'BT-151', where) as InvoiceLine['vatCategory'],
    vatRate: r.opt(line, 'cac:Item/cac:ClassifiedTaxCategory/cbc:Percent'),
    allowances: nonEmpty(allowances),
    charges: nonEmpty(charges),
  });
}

/**
 * Reads a parsed UBL 2.1 Invoice or CreditNote into an `InvoiceDocument` (`@cetate/invoicing-contracts`): the
 * exact inverse of `buildCiusRoUbl` for everything the document holds, i.e.
 * `invoiceDocumentFromUbl(parseUblDocument(buildCiusRoUbl(doc)))` deep-equals `doc` when `doc` is in the form the
 * XML keeps (see below).
 *
 * Shape of the result (absent terms are absent keys, never `undefined` values; texts trimmed; decimals are the
 * strings written in the XML, e.g. quantity "1.500", rate "19.00", amounts "10.50"):
 * - root, BT-1 `cbc:ID`, BT-2 `cbc:IssueDate`, BT-3 `cbc:InvoiceTypeCode`/`cbc:CreditNoteTypeCode`, BT-5
 *   `cbc:DocumentCurrencyCode` (all required), BT-6 `cbc:TaxCurrencyCode` (dropped when equal to BT-5), BT-9
 *   `cbc:DueDate` (Invoice) or `cac:PaymentMeans/cbc:PaymentDueDate` (CreditNote), BT-20
 *   `cac:PaymentTerms/cbc:Note`, BT-22 `cbc:Note`*, BT-10 `cbc:BuyerReference`, BT-13 `cac:OrderReference/cbc:ID`;
 * - BG-3 the first `cac:BillingReference/cac:InvoiceDocumentReference` (BT-25 `cbc:ID`, BT-26 `cbc:IssueDate`);
 * - BG-14 `cac:InvoicePeriod` (BT-73, BT-74), BG-13 `cac:Delivery` (BT-72, BG-15 `DeliveryLocation/Address`);
 * - BG-4 / BG-7 seller and buyer (see the party reader), BG-16 the first `cac:PaymentMeans` (BT-81 code, BT-83
 *   `PaymentID`, BT-84 `PayeeFinancialAccount/ID`, BT-85 `PayeeFinancialAccount/Name`);
 * - BT-111 `taxTotalInTaxCurrency`: `cac:TaxTotal/cbc:TaxAmount` whose `@currencyID` is BT-6 (required with BT-6,
 *   EN 16931 BR-53); BT-113 `LegalMonetaryTotal/cbc:PrepaidAmount`;
 * - BG-20 / BG-21 document level `cac:AllowanceCharge`, BG-25 lines;
 * - `vatExemptions`: per category E, AE, K, G, O of the VAT breakdown (`cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory`),
 *   its BT-120 `TaxExemptionReason` and BT-121 `TaxExemptionReasonCode`, in breakdown order, first per category.
 *
 * What the XML does not keep, so a round trip gives it in another form: `exchangeRate` (only BT-111 computed from it
 * is written: it comes back as `taxTotalInTaxCurrency`), the exemption reasons the builder adds by default for AE,
 * K, G, O (they come back as explicit `vatExemptions`), `prepaidAmount`/`taxTotalInTaxCurrency` (written with 2
 * decimals), empty lists and empty objects (absent), and `paymentMeans.accountName` without `account`. Amounts
 * computed from the document (BT-106..BT-115 except BT-111/BT-113, BT-116/117, BT-131) are not read; for received
 * documents compare them with `computeTotals` of the result, or read them with `summarizeParsedUbl`. Terms the
 * document has no field for (BT-7, BT-8, BT-11, BT-12, BT-29, BT-34, BT-46, BT-49, BG-24 attachments, ...) are
 * ignored.
 *
 * @param parsed a document from `parseUblDocument`
 * @param options {@link InvoiceDocumentFromUblOptions} (default: validate with `InvoiceDocumentSchema`)
 * @returns the invoice document
 * @throws UblInvoiceDocumentError `UBL_TERM_MISSING` (e.g. BT-1, BT-27, BT-129, BT-130, BT-151, or BT-111 when BT-6
 *   is given), `UBL_TERM_UNSUPPORTED` (BT-149 ≠ 1), `UBL_DOCUMENT_INVALID` (rejected by `InvoiceDocumentSchema`;
 *   its issues in `errors`)
 */
export function invoiceDocumentFromUbl(parsed: ParsedUblDocument, options: InvoiceDocumentFromUblOptions = {}): InvoiceDocument {
  const rootEl = parsed.document.documentElement as unknown as Element;
  const r = new Reader(rootEl, parsed.root);
  const where = `/${parsed.root}`;
  const isCreditNote = parsed.root === 'CreditNote';

  const currencyCode = r.req(rootEl, 'cbc:DocumentCurrencyCode', 'BT-5', where);
  let taxCurrencyCode = r.opt(rootEl, 'cbc:TaxCurrencyCode');
  if (taxCurrencyCode === currencyCode) taxCurrencyCode = undefined;
  let taxTotalInTaxCurrency: string | undefined;
  if (taxCurrencyCode !== undefined) {
    const amount = childrenAt(rootEl, 'cac:TaxTotal/cbc:TaxAmount').find((a) => attr(a, 'currencyID')?.trim() === taxCurrencyCode);
    taxTotalInTaxCurrency = ownText(amount) || undefined;
    if (taxTotalInTaxCurrency === undefined) throw r.missing('BT-111', `${where}/cac:TaxTotal/cbc:TaxAmount[@currencyID='${taxCurrencyCode}']`);
  }

  const paymentMeansEl = child(rootEl, 'cac:PaymentMeans');
  const paymentMeans = paymentMeansEl
    ? compact({
        code: r.req(paymentMeansEl, 'cbc:PaymentMeansCode', 'BT-81', `${where}/cac:PaymentMeans`),
        paymentId: r.opt(paymentMeansEl, 'cbc:PaymentID'),
        account: r.opt(paymentMeansEl, 'cac:PayeeFinancialAccount/cbc:ID'),
        accountName: r.opt(paymentMeansEl, 'cac:PayeeFinancialAccount/cbc:Name'),
      })
    : undefined;

  const billing = childAt(rootEl, 'cac:BillingReference/cac:InvoiceDocumentReference');
  const precedingInvoice = billing
    ? compact({
        number: r.req(billing, 'cbc:ID', 'BT-25', `${where}/cac:BillingReference/cac:InvoiceDocumentReference`),
        issueDate: r.opt(billing, 'cbc:IssueDate'),
      })
    : undefined;

  const periodEl = child(rootEl, 'cac:InvoicePeriod');
  const period = compact({ startDate: r.opt(periodEl, 'cbc:StartDate'), endDate: r.opt(periodEl, 'cbc:EndDate') });

  const deliveryEl = child(rootEl, 'cac:Delivery');
  const deliveryAddressEl = childAt(deliveryEl, 'cac:DeliveryLocation/cac:Address');
  const delivery = compact({
    actualDeliveryDate: r.opt(deliveryEl, 'cbc:ActualDeliveryDate'),
    address: deliveryAddressEl
      ? readAddress(r, deliveryAddressEl, ['BT-75', 'BT-77', 'BT-80'], `${where}/cac:Delivery/cac:DeliveryLocation/cac:Address`)
      : undefined,
  });

  const allowances: DocumentAllowanceCharge[] = [];
  const charges: DocumentAllowanceCharge[] = [];
  children(rootEl, 'cac:AllowanceCharge').forEach((ac, i) => {
    const acWhere = `${where}/cac:AllowanceCharge[${i + 1}]`;
    const isCharge = chargeIndicator(r, ac, acWhere);
    (isCharge ? charges : allowances).push(readDocumentAllowanceCharge(r, ac, isCharge, acWhere));
  });

  const exemptions = new Map<string, { vatCategory: string; reason?: string; reasonCode?: string }>();
  for (const category of childrenAt(rootEl, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory')) {
    const id = r.opt(category, 'cbc:ID');
    if (id === undefined || !EXEMPTION_CATEGORIES.has(id) || exemptions.has(id)) continue;
    const e = compact({ vatCategory: id, reason: r.opt(category, 'cbc:TaxExemptionReason'), reasonCode: r.opt(category, 'cbc:TaxExemptionReasonCode') });
    if (e.reason !== undefined || e.reasonCode !== undefined) exemptions.set(id, e);
  }

  const lineName = isCreditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const lines = children(rootEl, lineName).map((l, i) => readLine(r, l, `${where}/${lineName}[${i + 1}]`));
  if (lines.length === 0) throw r.missing('BG-25', `${where}/${lineName}`);

  const doc = compact({
    documentType: parsed.root,
    number: r.req(rootEl, 'cbc:ID', 'BT-1', where),
    issueDate: r.req(rootEl, 'cbc:IssueDate', 'BT-2', where),
    typeCode: r.req(rootEl, isCreditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', 'BT-3', where) as InvoiceDocument['typeCode'],
    currencyCode,
    taxCurrencyCode: taxCurrencyCode as InvoiceDocument['taxCurrencyCode'],
    taxTotalInTaxCurrency,
    dueDate: isCreditNote ? r.opt(paymentMeansEl, 'cbc:PaymentDueDate') : r.opt(rootEl, 'cbc:DueDate'),
    paymentTerms: r.opt(rootEl, 'cac:PaymentTerms/cbc:Note'),
    notes: nonEmpty(children(rootEl, 'cbc:Note').flatMap((n) => ownText(n) || [])),
    buyerReference: r.opt(rootEl, 'cbc:BuyerReference'),
    orderReference: r.opt(rootEl, 'cac:OrderReference/cbc:ID'),
    precedingInvoice,
    invoicePeriod: Object.keys(period).length > 0 ? period : undefined,
    delivery: Object.keys(delivery).length > 0 ? delivery : undefined,
    seller: readParty(r, 'seller'),
    buyer: readParty(r, 'buyer'),
    paymentMeans,
    prepaidAmount: r.opt(rootEl, 'cac:LegalMonetaryTotal/cbc:PrepaidAmount'),
    allowances: nonEmpty(allowances),
    charges: nonEmpty(charges),
    vatExemptions: nonEmpty([...exemptions.values()]),
    lines,
  }) as InvoiceDocument;

  if (options.validate === false) return doc;
  const checked = InvoiceDocumentSchema.safeParse(doc);
  if (!checked.success) {
    const errors = checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new UblInvoiceDocumentError(
      'UBL_DOCUMENT_INVALID',
      `the UBL ${parsed.root} ${doc.number} is not a valid invoice document: ${errors.map((e) => `${e.path || '(document)'}: ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  return checked.data;
}

/**
 * {@link invoiceDocumentFromUbl} of XML text or bytes: `invoiceDocumentFromUbl(parseUblDocument(xml), options)`.
 * @throws UblParseError (`UBL_MALFORMED`, `UBL_UNKNOWN_ROOT`) from the parser, and UblInvoiceDocumentError as
 *   {@link invoiceDocumentFromUbl}
 */
export function invoiceDocumentFromUblXml(xml: string | Uint8Array, options: InvoiceDocumentFromUblOptions = {}): InvoiceDocument {
  return invoiceDocumentFromUbl(parseUblDocument(xml), options);
}
