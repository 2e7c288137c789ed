/**
 * A supplier's UBL, as ANAF delivered it (issue 10 point 2, `descarcare` of a `FACTURA PRIMITA` message) → the
 * `ReceivedInvoice` of `@cetate/invoicing-contracts` that the purchases module records.
 *
 * Lenient by design: the document is whatever the supplier sent and ANAF accepted, so optional terms may be absent or
 * written in any of the forms UBL allows. Only what a purchase invoice cannot exist without is required: BT-1, BT-2,
 * BT-5 and BT-115. Read through the helpers of `../ubl/ubl-dom.ts` like the other UBL readers.
 */
import type { XElement as Element } from '../xml/xml-tree.js';
import { CetateError, type ProblemFieldError } from '@cetate/shared-errors';
import { ReceivedInvoiceSchema, type ReceivedInvoice, type ReceivedParty } from '@cetate/invoicing-contracts';
import { attr, child, children, childAt, childrenAt, ownText, parseUblDocument, text, type ParsedUblDocument } from '../ubl/index.js';

/** Stable code of {@link ReceivedUblError}. */
export type ReceivedUblErrorCode = 'RECEIVED_UBL_UNREADABLE';

/**
 * A received UBL Invoice / CreditNote lacks a term no purchase invoice can be recorded without (a {@link CetateError},
 * code `RECEIVED_UBL_UNREADABLE`): BT-1 (number), BT-2 (issue date, `YYYY-MM-DD`), BT-5 (currency, ISO 4217) or
 * BT-115 (amount due), absent or not in its UBL form. Keep the archived ZIP and record the message as unreadable.
 */
export class ReceivedUblError extends CetateError {
  declare readonly code: ReceivedUblErrorCode;
  /**
   * The EN 16931 term that is missing or unreadable (`BT-1`, `BT-2`, `BT-5`, `BT-115`); should a result not fit
   * `ReceivedInvoiceSchema` (a defect of this reader), the path of the field, with the zod issues in `errors`.
   */
  readonly term: string;
  /** Where it was looked for, e.g. `/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount`. */
  readonly path: string;
  constructor(term: string, path: string, message: string, opts: { errors?: ProblemFieldError[] } = {}) {
    super('RECEIVED_UBL_UNREADABLE', message, opts.errors ? { errors: opts.errors } : {});
    this.term = term;
    this.path = path;
  }
}

/** Trimmed text at `path` under `el`; `null` when absent or empty. */
function str(el: Element | undefined, path: string): string | null {
  return text(el, path) || null;
}

/**
 * An `xs:decimal` in the form of the contracts (`^-?\d+(\.\d+)?$`), otherwise as written (trailing zeros kept): the
 * lexical forms UBL allows besides it are normalised (`+5` → `5`, `.5` → `0.5`, `5.` → `5`); `null` when absent or
 * not a decimal.
 */
function decimalOf(value: string | undefined | null): string | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec((value ?? '').trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  return `${m[1] === '-' ? '-' : ''}${m[2] || '0'}${m[3] ? `.${m[3]}` : ''}`;
}

const decimal = (el: Element | undefined, path: string): string | null => decimalOf(text(el, path));

/** The `YYYY-MM-DD` of an `xs:date` (a time zone suffix such as `Z` or `+02:00` dropped); `null` otherwise. */
function dateOf(value: string | undefined | null): string | null {
  return /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$/.exec((value ?? '').trim())?.[1] ?? null;
}

/** An ISO 4217 code (`eur` → `EUR`); `null` when it is not three letters. */
function currencyOf(value: string | undefined | null): string | null {
  const c = (value ?? '').trim().toUpperCase();
  return /^[A-Z]{3}$/.test(c) ? c : null;
}

/** `xs:boolean`: `true`/`1` → true, `false`/`0` → false, else `null`. */
function booleanOf(value: string | undefined): boolean | null {
  const v = value?.trim();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : null;
}

/** A CUI (2..10 digits) or CNP (13 digits), optionally `RO`-prefixed, spaces ignored; thirteen zeros are no id. */
const CUI_RE = /^(RO)?(\d{2,10}|\d{13})$/;

/**
 * The Romanian CUI (digits) of a party from its identifiers in order of preference: an id written with the `RO`
 * prefix is Romanian whatever the address says; digits without prefix count only when the party's country (BT-40 /
 * BT-55) is RO or absent (a foreign supplier's registration number is not a CUI).
 */
function cifOf(candidates: (string | null)[], country: string | null): string | null {
  const romanianAddress = country === null || country === 'RO';
  for (const c of candidates) {
    const m = c ? CUI_RE.exec(c.replace(/\s+/g, '').toUpperCase()) : null;
    if (!m || /^0+$/.test(m[2]!)) continue;
    if (m[1] || romanianAddress) return m[2]!;
  }
  return null;
}

/**
 * A trading party (BG-4 seller / BG-7 buyer, `cac:Party` of `AccountingSupplierParty` / `AccountingCustomerParty`):
 * BT-27/44 `PartyLegalEntity/RegistrationName` (else BT-28/45 `PartyName/Name`), BT-31/48 the `CompanyID` of the
 * `PartyTaxScheme` whose `TaxScheme/ID` is VAT, BT-32 the seller's `PartyTaxScheme` of another scheme, BT-30/47
 * `PartyLegalEntity/CompanyID`, BG-5/8 `PostalAddress` (BT-35/50 `StreetName`, BT-37/52 `CityName`, BT-39/54
 * `CountrySubentity`, BT-40/55 `Country/IdentificationCode`). `cif`: from BT-31/48, else BT-32 (seller), else
 * BT-30/47 (see {@link cifOf}).
 */
function readParty(root: Element, role: 'seller' | 'buyer'): ReceivedParty {
  const p = childAt(root, `${role === 'seller' ? 'cac:AccountingSupplierParty' : 'cac:AccountingCustomerParty'}/cac:Party`);
  let vatId: string | null = null;
  let otherTaxId: string | null = null;
  for (const pts of children(p, 'cac:PartyTaxScheme')) {
    const id = str(pts, 'cbc:CompanyID');
    if (id === null) continue;
    if (text(pts, 'cac:TaxScheme/cbc:ID')?.toUpperCase() === 'VAT') vatId ??= id;
    else otherTaxId ??= id;
  }
  const tradeRegister = str(p, 'cac:PartyLegalEntity/cbc:CompanyID');
  const address = child(p, 'cac:PostalAddress');
  const country = str(address, 'cac:Country/cbc:IdentificationCode')?.toUpperCase() ?? null;
  return {
    name: str(p, 'cac:PartyLegalEntity/cbc:RegistrationName') ?? str(p, 'cac:PartyName/cbc:Name'),
    cif: cifOf([vatId, role === 'seller' ? otherTaxId : null, tradeRegister], country),
    vatId,
    tradeRegister,
    street: str(address, 'cbc:StreetName'),
    city: str(address, 'cbc:CityName'),
    countrySubentity: str(address, 'cbc:CountrySubentity'),
    country,
  };
}

/** The `cbc:TaxAmount` of a `cac:TaxTotal` and its `@currencyID` (trimmed, upper case). */
function taxAmountOf(taxTotal: Element): { el: Element | undefined; currency: string | null } {
  const el = child(taxTotal, 'cbc:TaxAmount');
  return { el, currency: currencyOf(attr(el, 'currencyID')) };
}

/**
 * The two `cac:TaxTotal`s (EN 16931 UBL binding): BT-110 is the one in the document currency BT-5, preferring one with
 * a VAT breakdown (else the first `TaxTotal`); BT-111 another one whose `@currencyID` is BT-6 (BR-53), in whatever
 * order the supplier wrote them.
 */
function taxTotals(root: Element, currency: string, taxCurrency: string | null): { vat?: Element; vatInTaxCurrency?: Element } {
  const all = children(root, 'cac:TaxTotal');
  const inCurrency = all.filter((t) => taxAmountOf(t).currency === currency || taxAmountOf(t).currency === null);
  const vat = inCurrency.find((t) => child(t, 'cac:TaxSubtotal')) ?? inCurrency[0] ?? all[0];
  const vatInTaxCurrency = taxCurrency === null ? undefined : all.find((t) => t !== vat && taxAmountOf(t).currency === taxCurrency);
  return { vat, vatInTaxCurrency };
}

/** The required term or a {@link ReceivedUblError}. */
function required<T>(value: T | null, term: string, path: string, what: string): T {
  if (value === null) throw new ReceivedUblError(term, path, `${term} (${what}) is missing or unreadable at ${path}: the received document cannot be recorded as a purchase invoice`);
  return value;
}

/**
 * Reads a supplier's UBL 2.1 Invoice or CreditNote received through ANAF into a `ReceivedInvoice`
 * (`@cetate/invoicing-contracts`, every field with its BT-/BG- term), accepted by `ReceivedInvoiceSchema`.
 *
 * Lenient (EN 16931 semantic model, UBL 2.1 syntax binding; CIUS-RO documents and any other UBL that ANAF accepted):
 * - texts trimmed, empty elements as absent (`null`); decimals as written (`"12.3450"`), only the other `xs:decimal`
 *   forms normalised (`+1`, `.5`, `5.`); an amount that is not a decimal is `null` (a VAT breakdown, allowance or
 *   charge without its amount, or without its category, is left out); dates `YYYY-MM-DD` (time zone dropped);
 * - BT-3 `InvoiceTypeCode` / `CreditNoteTypeCode`, `380` / `381` when absent; BT-9 `cbc:DueDate`, else the first
 *   `PaymentMeans/PaymentDueDate` (a CreditNote's place for it); BT-10 `BuyerReference`; BT-13
 *   `OrderReference/ID`; BT-25 the first `BillingReference/InvoiceDocumentReference/ID`; BT-22 every `cbc:Note`;
 * - lines BG-25 `cac:InvoiceLine` (Invoice) / `cac:CreditNoteLine` (CreditNote): BT-126 `ID` (its position, from 1,
 *   when absent), BT-129 `InvoicedQuantity` / `CreditedQuantity` (either, negative as written) with `@unitCode`
 *   BT-130, BT-131 `LineExtensionAmount`, BT-153 `Item/Name`, BT-151/152 `Item/ClassifiedTaxCategory` `ID` /
 *   `Percent` (no rate for O, E, ... is `null`), BT-146 `Price/PriceAmount` (per BT-149 base quantity, as written);
 * - BG-20/21 root `cac:AllowanceCharge`s in document order (BT-92/99 `Amount`, BT-97/104, BT-98/105, BT-95/102,
 *   BT-96/103 of `TaxCategory`); BG-23 the `TaxSubtotal`s of the BT-110 `TaxTotal` (BT-116..BT-119, BT-120
 *   `TaxExemptionReason`, else BT-121 `TaxExemptionReasonCode`);
 * - totals BG-22 from `LegalMonetaryTotal` (BT-106..BT-109, BT-112..BT-115) and the two `TaxTotal`s: BT-110 in BT-5,
 *   BT-111 in BT-6 (see {@link taxTotals});
 * - BG-16 every `cac:PaymentMeans` with a `PaymentMeansCode` BT-81: BT-83 `PaymentID`, BT-84
 *   `PayeeFinancialAccount/ID` (spaces removed, upper case), BT-85 `.../Name`, BT-86
 *   `.../FinancialInstitutionBranch/ID`;
 * - parties: see {@link readParty}; `cif` is set only for a Romanian party (the purchases module handles foreign
 *   suppliers by `vatId`).
 *
 * @param xml the `<index>.xml` of the ANAF ZIP: bytes (UTF-8/UTF-16 by BOM, or the declared encoding) or text
 * @returns the received invoice
 * @throws UblParseError (`UBL_MALFORMED`, `UBL_UNKNOWN_ROOT` when the root is not a UBL 2.1 Invoice or CreditNote,
 *   the `XML_*` limit codes) from the project's parser
 * @throws ReceivedUblError `RECEIVED_UBL_UNREADABLE` when BT-1, BT-2, BT-5 or BT-115 is missing or unreadable
 */
export function invoiceFromReceivedUbl(xml: Buffer | string): ReceivedInvoice {
  return invoiceFromParsedReceivedUbl(parseUblDocument(xml));
}

/**
 * {@link invoiceFromReceivedUbl} of a document already parsed by `parseUblDocument` (e.g. also given to
 * `validateParsedUbl`). Does not modify the tree.
 * @throws ReceivedUblError `RECEIVED_UBL_UNREADABLE` (BT-1, BT-2, BT-5, BT-115)
 */
export function invoiceFromParsedReceivedUbl(parsed: ParsedUblDocument): ReceivedInvoice {
  const root = parsed.document.documentElement as unknown as Element;
  const where = `/${parsed.root}`;
  const isCreditNote = parsed.root === 'CreditNote';

  const number = required(str(root, 'cbc:ID'), 'BT-1', `${where}/cbc:ID`, 'invoice number');
  const issueDate = required(dateOf(text(root, 'cbc:IssueDate')), 'BT-2', `${where}/cbc:IssueDate`, 'issue date');
  const currency = required(currencyOf(text(root, 'cbc:DocumentCurrencyCode')), 'BT-5', `${where}/cbc:DocumentCurrencyCode`, 'invoice currency');
  const monetary = child(root, 'cac:LegalMonetaryTotal');
  const payable = required(decimal(monetary, 'cbc:PayableAmount'), 'BT-115', `${where}/cac:LegalMonetaryTotal/cbc:PayableAmount`, 'amount due for payment');
  const taxCurrency = currencyOf(text(root, 'cbc:TaxCurrencyCode'));
  const totalsEls = taxTotals(root, currency, taxCurrency);

  const lineName = isCreditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const lines = children(root, lineName).map((line, i) => {
    const quantity = child(line, 'cbc:CreditedQuantity') ?? child(line, 'cbc:InvoicedQuantity');
    const category = childAt(line, 'cac:Item/cac:ClassifiedTaxCategory');
    return {
      lineId: str(line, 'cbc:ID') ?? String(i + 1),
      name: str(line, 'cac:Item/cbc:Name'),
      quantity: decimalOf(ownText(quantity)),
      unitCode: attr(quantity, 'unitCode')?.trim() || null,
      unitPrice: decimal(line, 'cac:Price/cbc:PriceAmount'),
      netAmount: decimal(line, 'cbc:LineExtensionAmount'),
      vatCategoryCode: str(category, 'cbc:ID'),
      vatRate: decimal(category, 'cbc:Percent'),
    };
  });

  const allowanceCharges = children(root, 'cac:AllowanceCharge').flatMap((ac) => {
    const chargeIndicator = booleanOf(text(ac, 'cbc:ChargeIndicator'));
    const amount = decimal(ac, 'cbc:Amount');
    if (chargeIndicator === null || amount === null) return [];
    return [
      {
        chargeIndicator,
        amount,
        reason: str(ac, 'cbc:AllowanceChargeReason'),
        reasonCode: str(ac, 'cbc:AllowanceChargeReasonCode'),
        vatCategoryCode: str(ac, 'cac:TaxCategory/cbc:ID'),
        vatRate: decimal(ac, 'cac:TaxCategory/cbc:Percent'),
      },
    ];
  });

  const vat = children(totalsEls.vat, 'cac:TaxSubtotal').flatMap((st) => {
    const category = child(st, 'cac:TaxCategory');
    const categoryCode = str(category, 'cbc:ID');
    const base = decimal(st, 'cbc:TaxableAmount');
    const amount = decimal(st, 'cbc:TaxAmount');
    if (categoryCode === null || base === null || amount === null) return [];
    return [
      {
        categoryCode,
        rate: decimal(category, 'cbc:Percent'),
        base,
        amount,
        exemptionReason: str(category, 'cbc:TaxExemptionReason') ?? str(category, 'cbc:TaxExemptionReasonCode'),
      },
    ];
  });

  const paymentMeans = children(root, 'cac:PaymentMeans').flatMap((pm) => {
    const code = str(pm, 'cbc:PaymentMeansCode');
    if (code === null) return [];
    const account = child(pm, 'cac:PayeeFinancialAccount');
    return [
      {
        code,
        accountId: str(account, 'cbc:ID')?.replace(/\s+/g, '').toUpperCase() ?? null,
        accountName: str(account, 'cbc:Name'),
        bic: str(account, 'cac:FinancialInstitutionBranch/cbc:ID'),
        paymentId: str(pm, 'cbc:PaymentID'),
      },
    ];
  });

  const invoice: ReceivedInvoice = {
    documentType: parsed.root,
    typeCode: str(root, isCreditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode') ?? (isCreditNote ? '381' : '380'),
    number,
    issueDate,
    dueDate: dateOf(text(root, 'cbc:DueDate')) ?? dateOf(childrenAt(root, 'cac:PaymentMeans/cbc:PaymentDueDate').map(ownText).find(Boolean)),
    currency,
    taxCurrency,
    buyerReference: str(root, 'cbc:BuyerReference'),
    orderReference: str(root, 'cac:OrderReference/cbc:ID'),
    precedingInvoice: str(root, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID'),
    supplier: readParty(root, 'seller'),
    buyer: readParty(root, 'buyer'),
    lines,
    allowanceCharges,
    vat,
    totals: {
      lineNet: decimal(monetary, 'cbc:LineExtensionAmount'),
      allowances: decimal(monetary, 'cbc:AllowanceTotalAmount'),
      charges: decimal(monetary, 'cbc:ChargeTotalAmount'),
      net: decimal(monetary, 'cbc:TaxExclusiveAmount'),
      vat: decimalOf(ownText(child(totalsEls.vat, 'cbc:TaxAmount'))),
      vatInTaxCurrency: decimalOf(ownText(child(totalsEls.vatInTaxCurrency, 'cbc:TaxAmount'))),
      gross: decimal(monetary, 'cbc:TaxInclusiveAmount'),
      prepaid: decimal(monetary, 'cbc:PrepaidAmount'),
      rounding: decimal(monetary, 'cbc:PayableRoundingAmount'),
      payable,
    },
    paymentMeans,
    notes: children(root, 'cbc:Note').flatMap((n) => ownText(n) || []),
  };

  // Every value above has the schema's form by construction; the check keeps it so (a failure is a bug here).
  const checked = ReceivedInvoiceSchema.safeParse(invoice);
  if (!checked.success) {
    const errors = checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ReceivedUblError(
      String(errors[0]?.path ?? ''),
      where,
      `the received ${parsed.root} ${number} does not fit ReceivedInvoiceSchema: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  return checked.data;
}
