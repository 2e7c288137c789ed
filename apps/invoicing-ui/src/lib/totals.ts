/**
 * Live totals of the editor, computed as the user types with the SAME function the API's UBL builder uses
 * (`computeTotals` of `@cetate/invoicing-domain`: decimal.js, round2 half-up per line net BT-131 and per VAT
 * breakdown BT-117, EN 16931 BR-CO-10..17), so the totals on screen are the ones written in the XML.
 * Lines whose quantity or price is not (yet) a decimal are left out and reported in `incompleteLines`.
 */
import { computeTotals, type InvoiceTotals } from '@cetate/invoicing-domain';
import type { InvoiceDocument } from '@cetate/invoicing-contracts';
import { isDecimalText, normalizeDecimal } from './decimal-input.js';
import { VAT_CHOICES, type LineDraft } from './invoice-draft.js';

/** Totals of the typed lines (2-decimal strings, RON) and which lines (0-based) could not be counted yet. */
export interface DraftTotals {
  /** BT-131 per line, `null` for a line not counted. */
  lineNet: Array<string | null>;
  /** BG-23, one entry per (category, rate): BT-118, BT-119, BT-116, BT-117. */
  vatBreakdown: InvoiceTotals['vatBreakdown'];
  /** BT-109 total without VAT. */
  taxExclusiveAmount: string;
  /** BT-110 total VAT. */
  taxAmount: string;
  /** BT-115 amount due (no prepaid amount in this editor: = BT-112). */
  payableAmount: string;
  /** Indexes of lines left out (quantity or price empty or not a decimal, or a negative price, BR-27). */
  incompleteLines: number[];
}

/** Computes {@link DraftTotals}. Pure; never throws for any typed text. */
export function draftTotals(lines: LineDraft[]): DraftTotals {
  const counted: number[] = [];
  const incompleteLines: number[] = [];
  const docLines = lines.flatMap((l, i) => {
    const quantity = normalizeDecimal(l.quantity);
    const priceAmount = normalizeDecimal(l.priceAmount);
    if (!isDecimalText(quantity) || !isDecimalText(priceAmount) || priceAmount.startsWith('-')) {
      incompleteLines.push(i);
      return [];
    }
    counted.push(i);
    const vat = VAT_CHOICES[l.vat];
    return [{ id: String(i + 1), quantity, priceAmount, unitCode: 'H87', itemName: '-', vatCategory: vat.vatCategory, ...(vat.vatRate !== undefined ? { vatRate: vat.vatRate } : {}) }];
  });
  // computeTotals reads only the lines, currency, allowances/charges, exemptions and prepaid amount of the
  // document; the rest of the parties/dates is irrelevant to the amounts.
  const t = computeTotals({ currencyCode: 'RON', lines: docLines } as unknown as InvoiceDocument);
  const lineNet: Array<string | null> = lines.map(() => null);
  counted.forEach((lineIndex, j) => (lineNet[lineIndex] = t.lines[j]!.netAmount));
  return {
    lineNet,
    vatBreakdown: t.vatBreakdown,
    taxExclusiveAmount: t.taxExclusiveAmount,
    taxAmount: t.taxAmount,
    payableAmount: t.payableAmount,
    incompleteLines,
  };
}
