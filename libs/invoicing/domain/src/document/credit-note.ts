/**
 * Credit notes (UBL `CreditNote`, type code 381) derived from an accepted invoice: the whole invoice, or some of its
 * lines with the quantities to credit. ANAF-EFACTURA.md pitfall 12: a credit note is a 381 CreditNote with a
 * BillingReference to the original (BG-3: BT-25 number, BT-26 issue date), with positive quantities and amounts
 * (`cbc:CreditedQuantity`), never a mix with negative 380 invoices.
 */
import { CetateError } from '@cetate/shared-errors';
import type { InvoiceDocument, InvoiceLine } from '@cetate/invoicing-contracts';
import { Dec, dec, formatDecimal, formatMoney, roundMoney, sum } from './money.js';
import { computeTotals } from './totals.js';

/** One line to credit: the original line's BT-126 id and the quantity (BT-129 units, decimal string) to credit. */
export interface CreditNoteLineRequest {
  /** BT-126 of the original invoice line. */
  id: string;
  /** Quantity to credit, > 0; default what remains of the line (its quantity minus what earlier credit notes credited). */
  quantity?: string;
}

/** What to credit and the credit note's own terms. */
export interface CreditNoteRequest {
  /** Lines to credit; absent = the whole invoice (every line, what remains of it). */
  lines?: readonly CreditNoteLineRequest[];
  /** BT-1 of the credit note (must contain a digit, CIUS-RO BR-RO-010). */
  number: string;
  /** BT-2 of the credit note, `YYYY-MM-DD`. */
  issueDate: string;
  /** BT-22 note of the credit note (e.g. the reason). */
  note?: string;
}

/** A credit note issued earlier for the same invoice. */
export interface EarlierCreditNote {
  /** Its JSON document (current version); `null` when it was imported as XML (its lines are then unknown). */
  document: InvoiceDocument | null;
  /** Its BT-115 (decimal string); `null` when unknown. */
  payableAmount: string | null;
}

/** Stable codes of {@link CreditNoteError}. */
export type CreditNoteErrorCode =
  | 'CREDIT_NOTE_ORIGINAL_NOT_INVOICE'
  | 'CREDIT_NOTE_UNKNOWN_LINE'
  | 'CREDIT_NOTE_DUPLICATE_LINE'
  | 'CREDIT_NOTE_LINE_NOT_CREDITABLE'
  | 'CREDIT_EXCEEDS_REMAINING'
  | 'CREDIT_NOTHING_REMAINING';

/** A credit note that cannot be derived: the code says why, `lineId` which line (when one is concerned). */
export class CreditNoteError extends CetateError {
  declare readonly code: CreditNoteErrorCode;
  constructor(
    code: CreditNoteErrorCode,
    message: string,
    readonly lineId?: string,
  ) {
    super(code, message);
  }
}

/**
 * What the earlier credit notes credited: quantity per original line id (BT-126), the amounts of each line's
 * allowances and charges by position, and the sum of their BT-115 (their amount due, which for a credit note without
 * prepaid amount is its BT-112 total with VAT).
 */
export function creditedSoFar(earlier: readonly EarlierCreditNote[]): {
  quantities: Map<string, Dec>;
  lineAllowances: Map<string, Dec[]>;
  lineCharges: Map<string, Dec[]>;
  amount: Dec;
} {
  const quantities = new Map<string, Dec>();
  const lineAllowances = new Map<string, Dec[]>();
  const lineCharges = new Map<string, Dec[]>();
  const addAt = (m: Map<string, Dec[]>, id: string, amounts: readonly { amount: string }[] | undefined) => {
    const acc = m.get(id) ?? [];
    (amounts ?? []).forEach((a, i) => (acc[i] = (acc[i] ?? new Dec(0)).plus(dec(a.amount))));
    m.set(id, acc);
  };
  for (const cn of earlier) {
    for (const l of cn.document?.lines ?? []) {
      quantities.set(l.id, (quantities.get(l.id) ?? new Dec(0)).plus(dec(l.quantity)));
      addAt(lineAllowances, l.id, l.allowances);
      addAt(lineCharges, l.id, l.charges);
    }
  }
  const amount = sum(earlier.map((cn) => (cn.payableAmount ? dec(cn.payableAmount) : new Dec(0))));
  return { quantities, lineAllowances, lineCharges, amount };
}

/**
 * Derives the credit note (`CreditNote`, BT-3 = 381) of an invoice, as an `InvoiceDocument` for `buildCiusRoUbl`.
 *
 * - BG-3 BillingReference: BT-25 = the original's BT-1, BT-26 = its BT-2.
 * - Seller, buyer, currency (BT-5, BT-6 and the exchange rate), references (BT-10, BT-13), invoicing period, delivery,
 *   payment means are the original's. BT-9: kept only with payment means (a UBL CreditNote carries it there); the
 *   payment terms (BT-20) are the original's, else "Stornare factura <BT-25> din <BT-26>" (BR-CO-25 needs one of them).
 *   No prepaid amount (BT-113).
 * - Whole invoice (`lines` absent) and nothing credited before: every line as invoiced (negative storno lines
 *   included), with the document level allowances and charges (BG-20, BG-21): the mirror image of the invoice.
 * - Whole invoice after earlier credit notes: what remains of every line with a positive quantity, without document
 *   level allowances or charges.
 * - Given lines: each line with the given quantity (default: what remains). Line allowances and charges (BG-27,
 *   BG-28) are credited in proportion to the quantity, rounded half up to 2 decimals (kept in their positions, 0.00
 *   included); the credit that takes what remains of a line takes what remains of its allowances and charges, so the
 *   credits of a line add up to it exactly.
 * - BT-111 (VAT in RON) given as an amount rather than through the exchange rate: in proportion to BT-110.
 *
 * Limits checked: a line's credited quantities never exceed its invoiced quantity, and the credit notes' BT-115 never
 * exceed the invoice's BT-112 (total with VAT; the prepaid amount BT-113 is no reason to credit less) by more than the
 * rounding of split lines (0.01 per line and per VAT subtotal of the new credit note: crediting a line in parts can
 * add up to a cent more than crediting it at once, so the last of several partial credits may leave -0.01 due).
 *
 * @param original the invoice's JSON document (the accepted version)
 * @param earlier the credit notes already issued for it (whatever their e-Factura state: each may still be sent)
 * @throws CreditNoteError `CREDIT_NOTE_ORIGINAL_NOT_INVOICE` (the original is a credit note), `CREDIT_NOTE_UNKNOWN_LINE`,
 *   `CREDIT_NOTE_DUPLICATE_LINE`, `CREDIT_NOTE_LINE_NOT_CREDITABLE` (a given line whose invoiced quantity is not
 *   positive, or a quantity ≤ 0), `CREDIT_EXCEEDS_REMAINING` (quantity or amount over what remains),
 *   `CREDIT_NOTHING_REMAINING` (the whole invoice is credited already)
 */
export function deriveCreditNote(original: InvoiceDocument, req: CreditNoteRequest, earlier: readonly EarlierCreditNote[] = []): InvoiceDocument {
  if (original.documentType !== 'Invoice') {
    throw new CreditNoteError('CREDIT_NOTE_ORIGINAL_NOT_INVOICE', `${original.number} is a credit note itself; only an invoice is credited.`);
  }
  const done = creditedSoFar(earlier);
  const firstAndWhole = req.lines === undefined && earlier.length === 0;
  const byId = new Map(original.lines.map((l) => [l.id, l]));
  const remainingOf = (l: InvoiceLine) => dec(l.quantity).minus(done.quantities.get(l.id) ?? 0);

  let lines: InvoiceLine[];
  if (firstAndWhole) {
    lines = original.lines.map((l) => ({ ...l }));
  } else if (req.lines === undefined) {
    lines = original.lines
      .filter((l) => dec(l.quantity).greaterThan(0) && remainingOf(l).greaterThan(0))
      .map((l) => creditLine(l, remainingOf(l), done));
    if (lines.length === 0) {
      throw new CreditNoteError('CREDIT_NOTHING_REMAINING', `Invoice ${original.number} is credited in full already; nothing remains to credit.`);
    }
  } else {
    const seen = new Set<string>();
    lines = req.lines.map((r) => {
      if (seen.has(r.id)) throw new CreditNoteError('CREDIT_NOTE_DUPLICATE_LINE', `Line ${r.id} is given twice; give each line once with its quantity.`, r.id);
      seen.add(r.id);
      const l = byId.get(r.id);
      if (!l) {
        throw new CreditNoteError(
          'CREDIT_NOTE_UNKNOWN_LINE',
          `Invoice ${original.number} has no line ${r.id} (BT-126); its lines are ${original.lines.map((x) => x.id).join(', ')}.`,
          r.id,
        );
      }
      if (!dec(l.quantity).greaterThan(0)) {
        throw new CreditNoteError('CREDIT_NOTE_LINE_NOT_CREDITABLE', `Line ${r.id} invoices a quantity of ${l.quantity}; only lines with a positive quantity are credited by line.`, r.id);
      }
      const remaining = remainingOf(l);
      const q = r.quantity === undefined ? remaining : dec(r.quantity);
      if (!q.greaterThan(0)) {
        if (r.quantity === undefined) throw new CreditNoteError('CREDIT_EXCEEDS_REMAINING', `Line ${r.id} is credited in full already.`, r.id);
        throw new CreditNoteError('CREDIT_NOTE_LINE_NOT_CREDITABLE', `The quantity to credit on line ${r.id} must be greater than zero, got ${r.quantity}.`, r.id);
      }
      if (q.greaterThan(remaining)) {
        throw new CreditNoteError(
          'CREDIT_EXCEEDS_REMAINING',
          `Line ${r.id}: ${formatDecimal(q)} ${l.unitCode} asked, but only ${formatDecimal(remaining)} of ${l.quantity} remain to credit.`,
          r.id,
        );
      }
      return creditLine(l, q, done);
    });
  }

  const categories = new Set([
    ...lines.map((l) => l.vatCategory),
    ...(firstAndWhole ? [...(original.allowances ?? []), ...(original.charges ?? [])].map((a) => a.vatCategory) : []),
  ]);
  const note = req.note?.trim();
  const cn: InvoiceDocument = {
    documentType: 'CreditNote',
    typeCode: '381',
    number: req.number,
    issueDate: req.issueDate,
    currencyCode: original.currencyCode,
    taxCurrencyCode: original.taxCurrencyCode,
    exchangeRate: original.exchangeRate,
    dueDate: original.paymentMeans ? original.dueDate : undefined,
    paymentTerms:
      original.paymentTerms ??
      (original.paymentMeans && original.dueDate ? undefined : `Stornare factura ${original.number} din ${original.issueDate}`),
    notes: note ? [note] : undefined,
    buyerReference: original.buyerReference,
    orderReference: original.orderReference,
    precedingInvoice: { number: original.number, issueDate: original.issueDate },
    invoicePeriod: original.invoicePeriod,
    delivery: original.delivery,
    seller: original.seller,
    buyer: original.buyer,
    paymentMeans: original.paymentMeans,
    allowances: firstAndWhole ? original.allowances : undefined,
    charges: firstAndWhole ? original.charges : undefined,
    vatExemptions: original.vatExemptions?.filter((e) => categories.has(e.vatCategory)),
    lines,
  };
  if (original.taxTotalInTaxCurrency !== undefined && original.exchangeRate === undefined) {
    if (firstAndWhole) cn.taxTotalInTaxCurrency = original.taxTotalInTaxCurrency;
    else {
      const base = dec(computeTotals(original).taxAmount);
      const mine = dec(computeTotals({ ...cn, taxTotalInTaxCurrency: '0' }).taxAmount);
      cn.taxTotalInTaxCurrency = base.isZero() ? '0.00' : formatMoney(dec(original.taxTotalInTaxCurrency).times(mine).dividedBy(base));
    }
  }
  const stripped = Object.fromEntries(Object.entries(cn).filter(([, v]) => v !== undefined)) as InvoiceDocument;

  // the amounts: every credit note together never credits more than the invoice's total with VAT (BT-112), give or
  // take the rounding of split lines (EN 16931 rounds each line net and each VAT subtotal to 2 decimals, so parts of a
  // line may add up to a cent more than the line): at most 0.01 per line and per VAT subtotal of this credit note
  const invoiceTotal = dec(computeTotals(original).taxInclusiveAmount);
  const mine = computeTotals(stripped);
  const thisTotal = dec(mine.payableAmount);
  const remainingAmount = invoiceTotal.minus(done.amount);
  const rounding = new Dec('0.01').times(firstAndWhole ? 0 : mine.lines.length + mine.vatBreakdown.length);
  if (thisTotal.greaterThan(remainingAmount.plus(rounding))) {
    throw new CreditNoteError(
      'CREDIT_EXCEEDS_REMAINING',
      `This credit note totals ${formatMoney(thisTotal)} ${original.currencyCode}, but only ${formatMoney(remainingAmount)} of the invoice's ` +
        `${formatMoney(invoiceTotal)} (BT-112) remain to credit.`,
    );
  }
  return stripped;
}

/** Line `l` credited for quantity `q` (> 0), its allowances and charges in proportion (see {@link deriveCreditNote}). */
function creditLine(l: InvoiceLine, q: Dec, done: ReturnType<typeof creditedSoFar>): InvoiceLine {
  const invoiced = dec(l.quantity);
  const takesTheRest = q.equals(invoiced.minus(done.quantities.get(l.id) ?? 0));
  const share = (items: InvoiceLine['allowances'], credited: Dec[] | undefined) => {
    // every allowance/charge is kept, 0.00 included, so that positions match the invoice line's in later credits
    const out = (items ?? []).map((a, i) => {
      const amount = takesTheRest
        ? Dec.max(0, dec(a.amount).minus(credited?.[i] ?? 0))
        : roundMoney(dec(a.amount).times(q).dividedBy(invoiced));
      return { ...a, amount: formatMoney(amount) };
    });
    return out.length ? out : undefined;
  };
  const line: InvoiceLine = { ...l, quantity: formatDecimal(q) };
  const allowances = share(l.allowances, done.lineAllowances.get(l.id));
  const charges = share(l.charges, done.lineCharges.get(l.id));
  if (allowances) line.allowances = allowances;
  else delete line.allowances;
  if (charges) line.charges = charges;
  else delete line.charges;
  return line;
}
