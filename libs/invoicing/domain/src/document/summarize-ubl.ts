/**
 * Reads the key facts of a UBL 2.1 Invoice / CreditNote (an imported XML, or one Cetate built).
 */
import type { XElement as Element } from '../xml/xml-tree.js';
import { CetateError } from '@cetate/shared-errors';
import { attr, child, children, childrenAt, parseUblDocument, text, type ParsedUblDocument } from '../ubl/index.js';

/** Stable error codes of {@link UblSummaryError}. */
export type UblSummaryErrorCode = 'UBL_SUMMARY_MISSING_FIELD';

/** A mandatory EN 16931 term is missing from the XML, so it cannot be summarised (a {@link CetateError}). */
export class UblSummaryError extends CetateError {
  /** Always `UBL_SUMMARY_MISSING_FIELD`. */
  declare readonly code: UblSummaryErrorCode;
  /** The missing business term, e.g. "BT-1". */
  readonly term: string;
  constructor(term: string, message: string) {
    super('UBL_SUMMARY_MISSING_FIELD', message);
    this.term = term;
  }
}

/** Summary of a UBL invoice or credit note. Amounts are the decimal strings written in the XML. */
export interface InvoiceSummary {
  /** Root element: `Invoice` or `CreditNote`. */
  documentType: 'Invoice' | 'CreditNote';
  /** BT-1 invoice number. */
  number: string;
  /** BT-2 issue date (as written, normally YYYY-MM-DD). */
  issueDate: string;
  /** BT-3 `InvoiceTypeCode` / `CreditNoteTypeCode`. */
  typeCode: string;
  /** BT-5 document currency. */
  currencyCode: string;
  /** BT-27 seller name (`PartyLegalEntity/RegistrationName`, else BT-28 `PartyName/Name`). */
  sellerName: string | null;
  /** BT-31 seller VAT identifier (`PartyTaxScheme` with `TaxScheme/ID` = VAT), e.g. "RO18547290". */
  sellerVatId: string | null;
  /**
   * The seller's CUI digits, as ANAF's `upload?cif=` parameter wants them (no "RO"): from BT-31 when
   * it is a Romanian VAT id, else from BT-32 (tax registration id) or BT-30 (legal registration id)
   * when that is a CUI ("RO"? + 2..10 digits); `null` otherwise (e.g. a foreign seller).
   */
  sellerCif: string | null;
  /** BT-44 buyer name (`PartyLegalEntity/RegistrationName`, else BT-45). */
  buyerName: string | null;
  /** BT-48 buyer VAT identifier. */
  buyerVatId: string | null;
  /** Number of `InvoiceLine` / `CreditNoteLine` elements (BG-25). */
  lineCount: number;
  /** BT-109 `LegalMonetaryTotal/TaxExclusiveAmount`. */
  taxExclusiveAmount: string;
  /** BT-110 `TaxTotal/TaxAmount` in the document currency; `null` if absent. */
  taxAmount: string | null;
  /** BT-115 `LegalMonetaryTotal/PayableAmount`. */
  payableAmount: string;
}

const CUI_RE = /^(?:RO)?\s*([1-9][0-9]{1,9})$/;

function taxSchemeIds(party: Element | undefined): { vat: string | null; other: string | null } {
  let vat: string | null = null;
  let other: string | null = null;
  for (const pts of children(party, 'cac:PartyTaxScheme')) {
    const id = text(pts, 'cbc:CompanyID');
    if (!id) continue;
    if (text(pts, 'cac:TaxScheme/cbc:ID') === 'VAT') vat ??= id;
    else other ??= id;
  }
  return { vat, other };
}

function partyName(party: Element | undefined): string | null {
  return text(party, 'cac:PartyLegalEntity/cbc:RegistrationName') || text(party, 'cac:PartyName/cbc:Name') || null;
}

/**
 * Summarises a UBL 2.1 Invoice or CreditNote (used when importing XML and to check built XML):
 * `summarizeParsedUbl(parseUblDocument(xml))`.
 *
 * @param xml XML text or bytes (decoded by `parseUblDocument`)
 * @throws UblParseError (`UBL_MALFORMED`, `UBL_UNKNOWN_ROOT`) from the parser
 * @throws UblSummaryError when BT-1, BT-2, BT-3, BT-5, BT-109 or BT-115 is missing (mandatory in EN 16931)
 */
export function summarizeUbl(xml: string | Uint8Array): InvoiceSummary {
  return summarizeParsedUbl(parseUblDocument(xml));
}

/**
 * {@link summarizeUbl} of a document already parsed by `parseUblDocument` (no second parse, e.g. when
 * the same document is also validated with `validateParsedUbl`). Does not modify the DOM.
 *
 * @throws UblSummaryError when BT-1, BT-2, BT-3, BT-5, BT-109 or BT-115 is missing (mandatory in EN 16931)
 */
export function summarizeParsedUbl(parsed: ParsedUblDocument): InvoiceSummary {
  const { root, document } = parsed;
  const el = document.documentElement as unknown as Element;
  const required = (term: string, path: string): string => {
    const v = text(el, path);
    if (!v) throw new UblSummaryError(term, `${term} (${path}) is missing`);
    return v;
  };
  const number = required('BT-1', 'cbc:ID');
  const issueDate = required('BT-2', 'cbc:IssueDate');
  const typeCode = required('BT-3', root === 'Invoice' ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode');
  const currencyCode = required('BT-5', 'cbc:DocumentCurrencyCode');
  const taxExclusiveAmount = required('BT-109', 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount');
  const payableAmount = required('BT-115', 'cac:LegalMonetaryTotal/cbc:PayableAmount');

  const taxAmounts = childrenAt(el, 'cac:TaxTotal/cbc:TaxAmount');
  const inDocCurrency = taxAmounts.find((t) => attr(t, 'currencyID') === currencyCode);
  const taxAmount = (inDocCurrency ?? (taxAmounts.length === 1 ? taxAmounts[0] : undefined))?.textContent?.trim() ?? null;

  const seller = child(child(el, 'cac:AccountingSupplierParty'), 'cac:Party');
  const buyer = child(child(el, 'cac:AccountingCustomerParty'), 'cac:Party');
  const sellerIds = taxSchemeIds(seller);
  const buyerIds = taxSchemeIds(buyer);

  let sellerCif: string | null = null;
  const candidates = [
    sellerIds.vat?.startsWith('RO') ? sellerIds.vat : undefined,
    sellerIds.other ?? undefined,
    text(seller, 'cac:PartyLegalEntity/cbc:CompanyID'),
  ];
  for (const c of candidates) {
    const m = c ? CUI_RE.exec(c.trim().toUpperCase()) : null;
    if (m) {
      sellerCif = m[1]!;
      break;
    }
  }

  return {
    documentType: root,
    number,
    issueDate,
    typeCode,
    currencyCode,
    sellerName: partyName(seller),
    sellerVatId: sellerIds.vat,
    sellerCif,
    buyerName: partyName(buyer),
    buyerVatId: buyerIds.vat,
    lineCount: children(el, root === 'Invoice' ? 'cac:InvoiceLine' : 'cac:CreditNoteLine').length,
    taxExclusiveAmount,
    taxAmount,
    payableAmount,
  };
}
