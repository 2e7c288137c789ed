/**
 * Invoice totals: line nets, VAT breakdown and document totals of an `InvoiceDocument`, computed with
 * exact decimals and rounded only through `money.ts`.
 */
import type { InvoiceDocument } from '@cetate/invoicing-contracts';
import { dec, Dec, formatDecimal, formatMoney, roundMoney, sum, vatOf } from './money.js';

/** One computed invoice line (BG-25). Amounts are decimal strings with 2 decimals. */
export interface LineTotals {
  /** BT-126 line id. */
  id: string;
  /** round2(BT-129 × BT-146), before allowances/charges. */
  grossAmount: string;
  /** Σ BT-136 line allowances. */
  allowanceTotal: string;
  /** Σ BT-141 line charges. */
  chargeTotal: string;
  /** BT-131 line net amount = grossAmount − allowanceTotal + chargeTotal. */
  netAmount: string;
}

/** One VAT breakdown entry (BG-23), one per (category, rate). */
export interface VatBreakdownEntry {
  /** BT-118 VAT category code. */
  vatCategory: 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';
  /** BT-119 VAT rate in percent as given ("19", "9.00"), `null` for category O. */
  vatRate: string | null;
  /** BT-116 taxable amount = Σ line nets − doc allowances + doc charges of that (category, rate) (BR-S-08…). */
  taxableAmount: string;
  /** BT-117 tax amount = round2(BT-116 × BT-119 / 100) (BR-CO-17); "0.00" for Z/E/AE/K/G/O. */
  taxAmount: string;
  /** BT-120 exemption reason text (categories E, AE, K, G, O). */
  exemptionReason?: string;
  /** BT-121 exemption reason code, VATEX list (categories E, AE, K, G, O). */
  exemptionReasonCode?: string;
}

/** All totals of a document. Amounts are 2-decimal strings in BT-5 unless stated otherwise. */
export interface InvoiceTotals {
  /** BT-5 document currency. */
  currencyCode: string;
  /** Per line, in document order. */
  lines: LineTotals[];
  /** BG-23 VAT breakdown, ordered by category then rate. */
  vatBreakdown: VatBreakdownEntry[];
  /** BT-106 Σ BT-131 (BR-CO-10). */
  lineExtensionAmount: string;
  /** BT-107 Σ BT-92 document allowances (BR-CO-11). */
  allowanceTotalAmount: string;
  /** BT-108 Σ BT-99 document charges (BR-CO-12). */
  chargeTotalAmount: string;
  /** BT-109 = BT-106 − BT-107 + BT-108 (BR-CO-13). */
  taxExclusiveAmount: string;
  /** BT-110 = Σ BT-117 (BR-CO-14). */
  taxAmount: string;
  /** BT-112 = BT-109 + BT-110 (BR-CO-15). */
  taxInclusiveAmount: string;
  /** BT-113 paid amount ("0.00" when none). */
  prepaidAmount: string;
  /** BT-115 = BT-112 − BT-113 (BR-CO-16; no rounding amount BT-114 is used). */
  payableAmount: string;
  /** BT-6 VAT accounting currency (RON) when BT-5 ≠ RON, else `null`. */
  taxCurrencyCode: string | null;
  /** BT-111 total VAT in BT-6: as given, or round2(BT-110 × exchangeRate); `null` without BT-6. */
  taxAmountInTaxCurrency: string | null;
}

/** Default exemption reasons (BT-120/BT-121, CEF VATEX list) for categories whose code is unambiguous. */
export const DEFAULT_VAT_EXEMPTIONS: Readonly<Record<string, { reason: string; reasonCode: string }>> = {
  AE: { reasonCode: 'VATEX-EU-AE', reason: 'Taxare inversa (reverse charge)' },
  K: { reasonCode: 'VATEX-EU-IC', reason: 'Livrare intracomunitara scutita (intra-community supply)' },
  G: { reasonCode: 'VATEX-EU-G', reason: 'Export scutit (export outside the EU)' },
  O: { reasonCode: 'VATEX-EU-O', reason: 'Operatiune in afara sferei TVA (not subject to VAT)' },
};

const CATEGORY_ORDER = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'];

/** Group key of a (category, rate) pair: rates compared numerically ("9" and "9.00" are one group). */
function groupKey(category: string, rate: string | undefined): string {
  return rate === undefined ? `${category}|` : `${category}|${formatDecimal(dec(rate))}`;
}

/**
 * Computes every derived amount of an invoice document.
 *
 * - BT-131 = round2(BT-129 × BT-146) − Σ BT-136 + Σ BT-141 (price per 1 unit, no base quantity);
 * - BG-23 per (BT-151 category, BT-152 rate): BT-116 = Σ BT-131 − Σ BT-92 + Σ BT-99 of that pair,
 *   BT-117 = round2(BT-116 × rate / 100) (EN 16931 BR-CO-17, BR-S-08/09, BR-Z-08, BR-E-08, BR-AE-08,
 *   BR-IC-08, BR-G-08, BR-O-08);
 * - BT-106, BT-107, BT-108, BT-109, BT-110, BT-112, BT-115 add up exactly (BR-CO-10..16) because they
 *   are sums of already-rounded 2-decimal amounts;
 * - BT-111 (CIUS-RO BR-RO-030, EN 16931 BR-53) = `taxTotalInTaxCurrency` when given, else
 *   round2(BT-110 × `exchangeRate`).
 *
 * Expects a document accepted by `InvoiceDocumentSchema`; pure, no I/O, never throws for such input.
 */
export function computeTotals(doc: InvoiceDocument): InvoiceTotals {
  const groups = new Map<string, { category: VatBreakdownEntry['vatCategory']; rate: string | undefined; taxable: Dec }>();
  const group = (category: VatBreakdownEntry['vatCategory'], rate: string | undefined) => {
    const key = groupKey(category, rate);
    let g = groups.get(key);
    if (!g) {
      g = { category, rate, taxable: new Dec(0) };
      groups.set(key, g);
    }
    return g;
  };

  const lines: LineTotals[] = doc.lines.map((line) => {
    const gross = roundMoney(dec(line.quantity).times(dec(line.priceAmount)));
    const allowances = sum((line.allowances ?? []).map((a) => dec(a.amount)));
    const charges = sum((line.charges ?? []).map((c) => dec(c.amount)));
    const net = roundMoney(gross.minus(allowances).plus(charges));
    const g = group(line.vatCategory, line.vatRate);
    g.taxable = g.taxable.plus(net);
    return {
      id: line.id,
      grossAmount: formatMoney(gross),
      allowanceTotal: formatMoney(allowances),
      chargeTotal: formatMoney(charges),
      netAmount: formatMoney(net),
    };
  });

  for (const a of doc.allowances ?? []) {
    const g = group(a.vatCategory, a.vatRate);
    g.taxable = g.taxable.minus(dec(a.amount));
  }
  for (const c of doc.charges ?? []) {
    const g = group(c.vatCategory, c.vatRate);
    g.taxable = g.taxable.plus(dec(c.amount));
  }

  const exemptions = new Map((doc.vatExemptions ?? []).map((e) => [e.vatCategory as string, e]));
  const breakdown = [...groups.values()].sort(
    (x, y) =>
      CATEGORY_ORDER.indexOf(x.category) - CATEGORY_ORDER.indexOf(y.category) ||
      dec(y.rate ?? '0').comparedTo(dec(x.rate ?? '0')),
  );
  let taxTotal = new Dec(0);
  const vatBreakdown: VatBreakdownEntry[] = breakdown.map((g) => {
    const tax = g.category === 'S' && g.rate !== undefined ? vatOf(g.taxable, dec(g.rate)) : new Dec(0);
    taxTotal = taxTotal.plus(tax);
    const entry: VatBreakdownEntry = {
      vatCategory: g.category,
      vatRate: g.rate ?? null,
      taxableAmount: formatMoney(g.taxable),
      taxAmount: formatMoney(tax),
    };
    if (g.category !== 'S' && g.category !== 'Z') {
      const given = exemptions.get(g.category);
      const fallback = DEFAULT_VAT_EXEMPTIONS[g.category];
      const reason = given ? given.reason : fallback?.reason;
      const reasonCode = given ? given.reasonCode : fallback?.reasonCode;
      if (reason !== undefined) entry.exemptionReason = reason;
      if (reasonCode !== undefined) entry.exemptionReasonCode = reasonCode;
    }
    return entry;
  });

  const lineExtension = sum(lines.map((l) => dec(l.netAmount)));
  const allowanceTotal = sum((doc.allowances ?? []).map((a) => dec(a.amount)));
  const chargeTotal = sum((doc.charges ?? []).map((c) => dec(c.amount)));
  const taxExclusive = lineExtension.minus(allowanceTotal).plus(chargeTotal);
  const taxInclusive = taxExclusive.plus(taxTotal);
  const prepaid = dec(doc.prepaidAmount ?? '0');
  const payable = taxInclusive.minus(prepaid);

  let taxInTaxCurrency: string | null = null;
  if (doc.taxCurrencyCode !== undefined) {
    if (doc.taxTotalInTaxCurrency !== undefined) taxInTaxCurrency = formatMoney(dec(doc.taxTotalInTaxCurrency));
    else if (doc.exchangeRate !== undefined) taxInTaxCurrency = formatMoney(taxTotal.times(dec(doc.exchangeRate)));
  }

  return {
    currencyCode: doc.currencyCode,
    lines,
    vatBreakdown,
    lineExtensionAmount: formatMoney(lineExtension),
    allowanceTotalAmount: formatMoney(allowanceTotal),
    chargeTotalAmount: formatMoney(chargeTotal),
    taxExclusiveAmount: formatMoney(taxExclusive),
    taxAmount: formatMoney(taxTotal),
    taxInclusiveAmount: formatMoney(taxInclusive),
    prepaidAmount: formatMoney(prepaid),
    payableAmount: formatMoney(payable),
    taxCurrencyCode: doc.taxCurrencyCode ?? null,
    taxAmountInTaxCurrency: taxInTaxCurrency,
  };
}
