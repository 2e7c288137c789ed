/**
 * Totals (BT-109 net, BT-110 VAT, BT-115 payable) and the VAT breakdown per rate (BG-23), with
 * their cross-checks.
 *
 * Rules (Romanian fiscal code, Law 227/2015 art. 291, and EN 16931 BR-CO-13/14/15):
 * - VAT rates: 24% until 2015, 20% in 2016, 19% standard with 9% and 5% reduced from 2017-01-01 to
 *   2025-07-31, 21% standard with 11% reduced from 2025-08-01 (Law 141/2025); 0% for exempt or
 *   reverse-charged supplies.
 * - For each rate the VAT amount is the base times the rate, rounded to 2 decimals, within 0.01 per
 *   invoice line (each line may have been rounded on its own).
 * - Net total + VAT total = total to pay (within 0.01).
 * When they disagree the confidences of the amounts involved are halved and a warning says why; when
 * one of net/VAT/payable is missing and the other two were read with a confidence of at least
 * {@link HIGH_CONFIDENCE}, it is computed from them with a lower confidence.
 */
import type { ExtractedVatBreakdown } from './types.js';
import { Dec, findAmounts, formatMoney, type AmountToken } from './amounts.js';
import { spanInfo, unionBox, type TextLine } from './layout.js';
import { CHECK, PLACE, agree, combine } from './confidence.js';
import { hitsOf, isItemHeaderRow, isVatHeaderRow, labelsOf, readAfter, type DocumentView, type Reading } from './document.js';
import type { LabelHit } from './labels.js';
import { best } from './header-fields.js';

/** Every VAT rate Romanian invoices have carried since 2010, in percent. */
export const KNOWN_VAT_RATES: readonly number[] = [21, 11, 19, 9, 5, 24, 20, 0];

/**
 * VAT rates (percent) in force in Romania on an ISO date: `[21, 11, 0]` from 2025-08-01,
 * `[19, 9, 5, 0]` from 2017-01-01, `[20, 9, 5, 0]` in 2016, `[24, 9, 5, 0]` before.
 */
export function vatRatesInForce(isoDate: string): number[] {
  if (isoDate >= '2025-08-01') return [21, 11, 0];
  if (isoDate >= '2017-01-01') return [19, 9, 5, 0];
  if (isoDate >= '2016-01-01') return [20, 9, 5, 0];
  return [24, 9, 5, 0];
}

/** VAT of a base at a rate in percent, rounded half up to 2 decimals: `vatOf('1000', '21') === '210.00'`. */
export function vatOf(base: string, ratePercent: string): string {
  return formatMoney(new Dec(base).times(ratePercent).dividedBy(100));
}

/** True when two amounts differ by at most `tolerance`. */
export function amountsAgree(a: string, b: string, tolerance = '0.01'): boolean {
  return new Dec(a).minus(b).abs().lte(tolerance);
}

/** Confidence at or above which two totals may be used to compute the third. */
export const HIGH_CONFIDENCE = 0.6;

/** Amounts of a whole line, computed once per line. */
const lineAmounts = new WeakMap<TextLine, AmountToken[]>();
function amountsOf(line: TextLine): AmountToken[] {
  let a = lineAmounts.get(line);
  if (!a) {
    a = findAmounts(line.key);
    lineAmounts.set(line, a);
  }
  return a;
}

const PERCENT_RE = /(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%/g;

function percentsOf(key: string): { rate: string; start: number; end: number }[] {
  const out: { rate: string; start: number; end: number }[] = [];
  PERCENT_RE.lastIndex = 0;
  for (let m = PERCENT_RE.exec(key); m; m = PERCENT_RE.exec(key)) {
    out.push({ rate: new Dec(m[1]!.replace(',', '.')).toFixed(), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Number of invoice lines (rows with at least two amounts between the header of the lines table and
 * the first totals label): the rounding tolerance of the cross-checks is 0.01 per line.
 */
export function estimateItemLines(doc: DocumentView): number {
  let count = 0;
  let inTable = false;
  for (const line of doc.rows) {
    const hits = labelsOf(doc, line);
    if (isItemHeaderRow(doc, line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    if (hits.some((h) => h.kind === 'netTotal' || h.kind === 'vatTotal' || h.kind === 'payableTotal' || h.kind === 'total')) {
      inTable = false;
      continue;
    }
    if (amountsOf(line).length >= 2) count++;
  }
  return count;
}

/** One sighting of a rate's base and/or amount on a line. */
interface VatObservation {
  rate: string;
  base?: string;
  amount?: string;
  consistent: boolean;
  confidence: number;
  page: number;
  bbox: import('./types.js').BBox;
  order: number;
}

/** Chooses base and VAT amount among the amounts of a VAT line: the pair where amount = base × rate. */
function pairAmounts(amounts: readonly AmountToken[], rate: string, tolerance: string): { base: AmountToken; amount: AmountToken; consistent: boolean } {
  const pairs: [number, number][] = [];
  for (let d = 1; d < amounts.length; d++) for (let i = 0; i + d < amounts.length; i++) pairs.push([i, i + d]);
  for (const [i, j] of pairs) {
    const a = amounts[i]!;
    const b = amounts[j]!;
    if (amountsAgree(vatOf(a.value, rate), b.value, tolerance)) return { base: a, amount: b, consistent: true };
    if (amountsAgree(vatOf(b.value, rate), a.value, tolerance)) return { base: b, amount: a, consistent: true };
  }
  return { base: amounts[0]!, amount: amounts[1]!, consistent: false };
}

/** VAT lines: a percentage on a line that speaks of VAT ("TVA", "cota", "baza") or under a VAT table header. */
function vatObservations(doc: DocumentView, tolerance: string): VatObservation[] {
  const out: VatObservation[] = [];
  let inVatTable = false;
  // column titles of the current VAT table: x centre of "Baza..." and of the VAT amount title
  let baseColumn: number | undefined;
  let amountColumn: number | undefined;
  for (const line of doc.rows) {
    const key = line.key;
    const hits = labelsOf(doc, line);
    const amountsOnLine = amountsOf(line);
    if (isVatHeaderRow(doc, line)) {
      inVatTable = true;
      const centre = (h: LabelHit) => {
        const b = spanInfo(line, h.start, h.end).box;
        return (b.x0 + b.x1) / 2;
      };
      const base = hits.find((h) => h.kind === 'netTotal');
      const amount = hits.filter((h) => h.kind === 'vatTotal' && (!base || h.start > base.start)).pop();
      baseColumn = base ? centre(base) : undefined;
      amountColumn = amount ? centre(amount) : undefined;
      continue;
    }
    const percents = percentsOf(key);
    if (percents.length === 0) {
      // a VAT table row whose rate cell was not read: the rate whose VAT of the first amount is the
      // second one, when exactly one known rate fits
      if (inVatTable && amountsOnLine.length === 2 && !hits.some((h) => h.kind === 'netTotal' || h.kind === 'vatTotal' || h.kind === 'payableTotal' || h.kind === 'total')) {
        const [b, a] = amountsOnLine as [AmountToken, AmountToken];
        const fits = KNOWN_VAT_RATES.filter((r) => r > 0 && amountsAgree(vatOf(b.value, String(r)), a.value, tolerance) && new Dec(a.value).gt(0));
        if (fits.length === 1) {
          const infos = [spanInfo(line, b.start, b.end), spanInfo(line, a.start, a.end)];
          out.push({
            rate: String(fits[0]),
            base: b.value,
            amount: a.value,
            consistent: true,
            confidence: combine(Math.min(...infos.map((i) => i.ocr)), PLACE.sameLine, CHECK.derived, infos.some((i) => i.repaired) ? CHECK.repaired : 1),
            page: line.page,
            bbox: unionBox(infos.map((i) => i.bbox)),
            order: doc.order.get(line) ?? 0,
          });
          continue;
        }
      }
      if (amountsOnLine.length > 0) inVatTable = false;
      continue;
    }
    if (!inVatTable && !/(?<![a-z])(?:tva|cota|baza|vat)(?![a-z])/.test(key)) continue;
    if (isItemHeaderRow(doc, line)) continue;
    percents.forEach((p, k) => {
      const from = k === 0 ? 0 : p.start;
      const to = k + 1 < percents.length ? percents[k + 1]!.start : key.length;
      const amounts = findAmounts(key, from, to);
      if (amounts.length === 0) return;
      const rateInfo = spanInfo(line, p.start, p.end);
      const known = KNOWN_VAT_RATES.includes(Number(p.rate)) ? 1 : 0.6;
      const obs = (base: AmountToken | undefined, amount: AmountToken | undefined, consistent: boolean) => {
        const toks = [base, amount].filter((t): t is AmountToken => !!t);
        const infos = toks.map((t) => spanInfo(line, t.start, t.end));
        const ocr = Math.min(rateInfo.ocr, ...infos.map((i) => i.ocr));
        const factors = [PLACE.sameLine, known, infos.some((i) => i.repaired) || rateInfo.repaired ? CHECK.repaired : 1, toks.some((t) => t.ambiguous) ? CHECK.ambiguousNumber : 1];
        out.push({
          rate: p.rate,
          base: base?.value,
          amount: amount?.value,
          consistent,
          confidence: combine(ocr, ...factors),
          page: line.page,
          bbox: unionBox([rateInfo.bbox, ...infos.map((i) => i.bbox)]),
          order: doc.order.get(line) ?? 0,
        });
      };
      if (amounts.length >= 2) {
        const pair = pairAmounts(amounts, p.rate, tolerance);
        obs(pair.base, pair.amount, pair.consistent);
        return;
      }
      const a = amounts[0]!;
      const before = hits.filter((h) => h.end <= a.start && (h.kind === 'netTotal' || h.kind === 'vatTotal' || h.kind === 'payableTotal')).pop();
      let isBase = before ? before.kind === 'netTotal' : /(?<![a-z])baz/.test(key);
      if (!before && inVatTable && baseColumn !== undefined && amountColumn !== undefined) {
        // one figure of a VAT table row (the other one not read): the column it stands under
        const b = spanInfo(line, a.start, a.end).box;
        const x = (b.x0 + b.x1) / 2;
        isBase = Math.abs(x - baseColumn) < Math.abs(x - amountColumn);
      }
      if (before?.kind === 'payableTotal') return;
      if (isBase) obs(a, undefined, true);
      else obs(undefined, a, true);
    });
  }
  return out;
}

/**
 * A VAT line whose amount is not base × rate has one misread figure. When the labelled totals say
 * which one, it is set right (confidence × {@link CHECK.derived}, a warning): the amount = base ×
 * rate when the VAT amounts then add up to the VAT total; the base = net total − the other bases
 * when base × rate then gives the amount read. Otherwise the line stays as read (its confidence
 * already halved, its warning already given).
 */
function correctBreakdown(
  breakdown: ExtractedVatBreakdown[],
  inconsistent: ReadonlySet<ExtractedVatBreakdown>,
  net: Reading | undefined,
  vat: Reading | undefined,
  tolerance: string,
  warnings: string[],
): void {
  for (const e of breakdown) {
    if (!inconsistent.has(e)) continue;
    const others = breakdown.filter((b) => b !== e);
    const computedAmount = vatOf(e.base, e.rate);
    const sumWith = (amount: string) => others.reduce((s, b) => s.plus(b.amount), new Dec(amount)).toFixed();
    if (vat && amountsAgree(sumWith(computedAmount), vat.value, new Dec(tolerance).times(breakdown.length).toFixed())) {
      warnings.push(`vat ${e.rate}%: amount ${e.amount} read, ${computedAmount} = base × rate agrees with vatTotal: corrected`);
      e.amount = computedAmount;
      e.confidence = combine(e.confidence / CHECK.crossCheckFailed, CHECK.derived);
      continue;
    }
    if (net) {
      const base = others.reduce((s, b) => s.minus(b.base), new Dec(net.value));
      if (base.gt(0) && amountsAgree(vatOf(base.toFixed(), e.rate), e.amount, tolerance)) {
        warnings.push(`vat ${e.rate}%: base ${e.base} read, ${formatMoney(base)} = netTotal − the other bases agrees with the amount: corrected`);
        e.base = formatMoney(base);
        e.confidence = combine(e.confidence / CHECK.crossCheckFailed, CHECK.derived);
      }
    }
  }
}

/** What {@link readTotals} found. */
export interface TotalsResult {
  netTotal?: Reading;
  vatTotal?: Reading;
  payableTotal?: Reading;
  vat: ExtractedVatBreakdown[];
  warnings: string[];
}

type TotalKind = 'netTotal' | 'vatTotal' | 'payableTotal';

const LEI = /(?<![a-z])(?:lei|ron)(?![a-z])/;

/**
 * Reads the totals and the VAT breakdown, then cross-checks them (see the module comment).
 * @param currency the invoice currency when known: on a non-RON invoice, an amount whose label or
 *   unit says "lei"/"RON" (the VAT in lei the fiscal code requires) is not a total.
 * @param issueDate ISO issue date when known: a rate not in force that day gets a warning.
 */
export function readTotals(doc: DocumentView, currency?: string, issueDate?: string): TotalsResult {
  const warnings: string[] = [];
  const items = estimateItemLines(doc);
  const tolerance = new Dec('0.01').times(Math.max(1, items)).toFixed();

  // ---- labelled totals ----
  const found: Record<TotalKind, Reading[]> = { netTotal: [], vatTotal: [], payableTotal: [] };
  for (const hit of hitsOf(doc, 'netTotal', 'vatTotal', 'payableTotal', 'total')) {
    const hits = labelsOf(doc, hit.line);
    // not an exchange rate line, not a column title of the invoice lines or VAT tables
    if (hits.some((h) => h.kind === 'exchangeRate') || isItemHeaderRow(doc, hit.line) || isVatHeaderRow(doc, hit.line)) continue;
    const hasPercent = percentsOf(hit.line.key).length > 0;
    if (hasPercent && (hit.kind === 'vatTotal' || hit.kind === 'total' || (hit.kind === 'netTotal' && hit.strength < 1))) continue;
    // on a non-RON invoice, an amount in lei (the VAT in lei the fiscal code asks for) is not a total
    const foreign = currency !== undefined && currency !== 'RON';
    const inLei = (line: TextLine, start: number, end: number) =>
      foreign && (LEI.test(line.key.slice(hit.line === line ? hit.start : 0, start)) || /^\s?(?:lei|ron)(?![a-z])/.test(line.key.slice(end, end + 5)));
    if (hit.kind !== 'total') {
      const r = readAfter(doc, hit, (line, from, to) => {
        const a = findAmounts(line.key, from, to).find((t) => !inLei(line, t.start, t.end));
        return a ? { value: a.value, start: a.start, end: a.end, factors: a.ambiguous ? [CHECK.ambiguousNumber] : [] } : undefined;
      });
      if (r) found[hit.kind as TotalKind].push(r);
      continue;
    }
    // a bare "Total": one amount is the total to pay; on a table footer, 2-3 amounts are net/VAT/payable
    const r = readAfter(doc, hit, (line, from, to) => {
      const all = findAmounts(line.key, from, to).filter((t) => !inLei(line, t.start, t.end));
      return all.length ? { value: all, start: all[0]!.start, end: all[all.length - 1]!.end, factors: [] } : undefined;
    });
    if (!r) continue;
    const base = { order: r.order, strength: hit.strength };
    const reading = (t: AmountToken, factor: number): Reading => {
      const info = spanInfo(r.line, t.start, t.end);
      const placeFactor = r.line === hit.line ? PLACE.sameLine : PLACE.below;
      return { ...base, value: t.value, page: info.page, bbox: info.bbox, confidence: combine(info.ocr, placeFactor, factor, info.repaired ? CHECK.repaired : 1, t.ambiguous ? CHECK.ambiguousNumber : 1) };
    };
    const a = r.value;
    if (a.length >= 3) {
      const [n, v, p] = a.slice(-3) as [AmountToken, AmountToken, AmountToken];
      if (amountsAgree(new Dec(n.value).plus(v.value).toFixed(), p.value)) {
        found.netTotal.push(reading(n, 0.85));
        found.vatTotal.push(reading(v, 0.85));
        found.payableTotal.push(reading(p, 0.85));
      } else found.payableTotal.push(reading(p, 0.6));
    } else if (a.length === 2) {
      const [n, v] = a as [AmountToken, AmountToken];
      const rate = KNOWN_VAT_RATES.find((k) => k > 0 && amountsAgree(vatOf(n.value, String(k)), v.value, tolerance));
      const grossRate = KNOWN_VAT_RATES.find((k) => k > 0 && amountsAgree(new Dec(n.value).plus(vatOf(n.value, String(k))).toFixed(), v.value, tolerance));
      if (rate !== undefined) {
        found.netTotal.push(reading(n, 0.8));
        found.vatTotal.push(reading(v, 0.8));
      } else if (grossRate !== undefined) {
        found.netTotal.push(reading(n, 0.8));
        found.payableTotal.push(reading(v, 0.8));
      } else found.payableTotal.push(reading(v, 0.55));
    } else {
      found.payableTotal.push(reading(a[0]!, 0.8));
    }
  }
  let net = best(found.netTotal, true);
  let vat = best(found.vatTotal, true);
  let payable = best(found.payableTotal, true);

  // ---- VAT breakdown ----
  const observations = vatObservations(doc, tolerance);
  const rates: string[] = [];
  for (const o of observations) if (!rates.includes(o.rate)) rates.push(o.rate);
  const breakdown: ExtractedVatBreakdown[] = [];
  const inconsistent = new Set<ExtractedVatBreakdown>();
  for (const rate of rates) {
    const obs = observations.filter((o) => o.rate === rate);
    const complete = obs.filter((o) => o.base !== undefined && o.amount !== undefined);
    let entry = complete.find((o) => o.consistent) ?? complete[0];
    if (!entry) {
      const b = obs.find((o) => o.base !== undefined);
      const a = obs.find((o) => o.amount !== undefined);
      if (b && a) {
        entry = { ...b, amount: a.amount, consistent: amountsAgree(vatOf(b.base!, rate), a.amount!, tolerance), confidence: Math.min(a.confidence, b.confidence), bbox: unionBox([a.bbox, b.bbox]) };
      } else if (b) {
        entry = { ...b, amount: vatOf(b.base!, rate), consistent: true, confidence: combine(b.confidence, CHECK.derived) };
        warnings.push(`vat ${rate}%: amount computed from the base`);
      } else if (a) {
        const onlyRate = rates.length === 1 && net && amountsAgree(vatOf(net.value, rate), a.amount!, tolerance);
        const baseValue = onlyRate ? net!.value : new Dec(a.amount!).times(100).dividedBy(rate === '0' ? 1 : rate).toFixed();
        entry = { ...a, base: baseValue, consistent: true, confidence: combine(a.confidence, onlyRate ? 1 : CHECK.derived * 0.8) };
        warnings.push(`vat ${rate}%: base ${onlyRate ? 'taken from the net total' : 'computed from the VAT amount'}`);
      }
    }
    if (!entry) continue;
    let confidence = entry.confidence;
    if (!entry.consistent) {
      confidence = combine(confidence, CHECK.crossCheckFailed);
      warnings.push(`vat ${rate}%: ${formatMoney(entry.base!)} × ${rate}% = ${vatOf(entry.base!, rate)}, but ${formatMoney(entry.amount!)} is written`);
    }
    if (issueDate && !vatRatesInForce(issueDate).includes(Number(rate))) {
      confidence = combine(confidence, 0.9);
      warnings.push(`vat ${rate}%: not a Romanian VAT rate in force on ${issueDate}`);
    }
    breakdown.push({ rate, base: formatMoney(entry.base!), amount: formatMoney(entry.amount!), confidence, page: entry.page, bbox: entry.bbox });
    if (!entry.consistent) inconsistent.add(breakdown[breakdown.length - 1]!);
  }

  // ---- a misread VAT figure, set right by the totals ----
  correctBreakdown(breakdown, inconsistent, net, vat, tolerance, warnings);

  // ---- cross-checks ----
  if (breakdown.length > 0) {
    const sumAmount = breakdown.reduce((s, b) => s.plus(b.amount), new Dec(0)).toFixed();
    const sumBase = breakdown.reduce((s, b) => s.plus(b.base), new Dec(0)).toFixed();
    const minConf = Math.min(...breakdown.map((b) => b.confidence));
    const sumTolerance = new Dec(tolerance).times(breakdown.length).toFixed();
    const where = { page: breakdown[0]!.page, bbox: unionBox(breakdown.filter((b) => b.page === breakdown[0]!.page).map((b) => b.bbox)) };
    if (vat) {
      if (amountsAgree(vat.value, sumAmount, sumTolerance)) vat = { ...vat, confidence: agree(vat.confidence) };
      else {
        warnings.push(`vatTotal ${formatMoney(vat.value)} differs from the sum of the VAT per rate ${formatMoney(sumAmount)}`);
        vat = { ...vat, confidence: combine(vat.confidence, CHECK.crossCheckFailed) };
        for (const b of breakdown) b.confidence = combine(b.confidence, CHECK.crossCheckFailed);
      }
    } else {
      vat = { value: sumAmount, confidence: combine(minConf, breakdown.length === 1 ? 0.9 : CHECK.derived), ...where, strength: 0.5, order: 0 };
      warnings.push('vatTotal: computed as the sum of the VAT per rate');
    }
    if (net) {
      if (amountsAgree(net.value, sumBase, sumTolerance)) net = { ...net, confidence: agree(net.confidence) };
      else {
        warnings.push(`netTotal ${formatMoney(net.value)} differs from the sum of the VAT bases ${formatMoney(sumBase)}`);
        net = { ...net, confidence: combine(net.confidence, CHECK.crossCheckFailed) };
      }
    }
  }
  if (net && vat && payable) {
    const sum = new Dec(net.value).plus(vat.value).toFixed();
    if (amountsAgree(sum, payable.value)) {
      net = { ...net, confidence: agree(net.confidence) };
      vat = { ...vat, confidence: agree(vat.confidence) };
      payable = { ...payable, confidence: agree(payable.confidence) };
    } else {
      warnings.push(`totals disagree: netTotal ${formatMoney(net.value)} + vatTotal ${formatMoney(vat.value)} = ${formatMoney(sum)}, payableTotal is ${formatMoney(payable.value)}`);
      net = { ...net, confidence: combine(net.confidence, CHECK.crossCheckFailed) };
      vat = { ...vat, confidence: combine(vat.confidence, CHECK.crossCheckFailed) };
      payable = { ...payable, confidence: combine(payable.confidence, CHECK.crossCheckFailed) };
    }
  } else {
    const high = (r: Reading | undefined) => r !== undefined && r.confidence >= HIGH_CONFIDENCE;
    const derive = (value: Dec, from: Reading[], name: string): Reading => {
      warnings.push(`${name}: computed from the other two totals`);
      return { value: value.toFixed(), confidence: combine(Math.min(...from.map((f) => f.confidence)), CHECK.derived), page: from[0]!.page, bbox: from[0]!.bbox, strength: 0.5, order: 0 };
    };
    if (!payable && high(net) && high(vat)) payable = derive(new Dec(net!.value).plus(vat!.value), [net!, vat!], 'payableTotal');
    else if (!net && high(vat) && high(payable)) net = derive(new Dec(payable!.value).minus(vat!.value), [payable!, vat!], 'netTotal');
    else if (!vat && high(net) && high(payable)) vat = derive(new Dec(payable!.value).minus(net!.value), [payable!, net!], 'vatTotal');
  }
  const money = (r: Reading | undefined) => (r ? { ...r, value: formatMoney(r.value) } : undefined);
  return { netTotal: money(net), vatTotal: money(vat), payableTotal: money(payable), vat: breakdown, warnings };
}
