/**
 * Readers of the invoice header: series and number (BT-1), issue and due dates (BT-2, BT-9) and the
 * currency (BT-5). Each works on the labels of {@link DocumentView}; see labels.ts for the wording.
 */
import type { TextLine } from './layout.js';
import { spanInfo } from './layout.js';
import { addDays, findDates } from './dates.js';
import { CHECK, PLACE, combine } from './confidence.js';
import { hitBox, hitsOf, labelsOf, readAfter, type DocumentView, type PlacedReading, type RawValue, type Reading } from './document.js';
import type { LabelHit } from './labels.js';

/**
 * Best reading: the strongest label first (a specific label read through OCR noise beats a vague one
 * read cleanly: "Total TVA" over a bare "TVA"), then the highest confidence, then the earliest (or
 * latest when `latest`) in reading order.
 */
export function best<T>(readings: readonly (Reading<T> | undefined)[], latest = false): Reading<T> | undefined {
  let out: Reading<T> | undefined;
  for (const r of readings) {
    if (!r) continue;
    const better =
      !out ||
      r.strength > out.strength ||
      (r.strength === out.strength && (r.confidence > out.confidence || (r.confidence === out.confidence && (latest ? r.order > out.order : r.order < out.order))));
    if (better) out = r;
  }
  return out;
}

/** Series token (letters, maybe digits, at least one letter) at the start of `[from, to)`. */
function seriesToken(line: TextLine, from: number, to: number): RawValue<string> | undefined {
  const m = /^[\s:.#]*([a-z0-9]{1,10})(?![a-z0-9])/.exec(line.key.slice(from, to));
  if (!m || !/[a-z]/.test(m[1]!)) return undefined;
  const start = from + m[0].length - m[1]!.length;
  const end = start + m[1]!.length;
  return { value: line.text.slice(start, end).toUpperCase(), start, end, factors: [] };
}

/** Number token at the start of `[from, to)`: digits first, then letters, digits, `-` or `/`. */
const NUMBER_RE = /^[\s:.#]*(?:([a-z]{1,8})\s?[-/.]?\s?)?(\d[0-9a-z]*(?:[-/][0-9a-z]+)*)/;

interface SeriesNumber {
  series?: string;
  seriesStart?: number;
  number: string;
  start: number;
  end: number;
}

/** "ABC-00123", "ABC 00123", "ABC/00123", "00123" → series (optional, upper case) and number. */
function seriesNumberToken(line: TextLine, from: number, to: number): SeriesNumber | undefined {
  const slice = line.key.slice(from, to);
  const m = NUMBER_RE.exec(slice);
  if (!m) return undefined;
  // a date is not a number ("nr. 12.03.2025" is a misread label, not invoice 12)
  const numberStart = from + m[0].length - m[2]!.length;
  if (findDates(line.key, numberStart, to)[0]?.start === numberStart) return undefined;
  // "123/12.03.2025": the number stops before a slash followed by a date
  let numberEnd = numberStart + m[2]!.length;
  for (let p = numberStart; p < numberEnd; p++) {
    if (line.key[p] === '/' && findDates(line.key.slice(p + 1, to))[0]?.start === 0) {
      numberEnd = p;
      break;
    }
  }
  const number = line.key.slice(numberStart, numberEnd).toUpperCase();
  if (m[1] !== undefined) {
    const seriesStart = from + m[0].indexOf(m[1]);
    return { series: line.text.slice(seriesStart, seriesStart + m[1].length).toUpperCase(), seriesStart, number, start: seriesStart, end: numberEnd };
  }
  return { number, start: numberStart, end: numberEnd };
}

/** Labels of the invoice header: never a series even when printed right after "Seria" (a header row). */
const HEADER_KINDS = new Set(['series', 'seriesSlashNumber', 'invoiceNumber', 'number', 'issueDate', 'dueDate', 'currency']);

/** "NR" printed as a series: upper case, no dot after it (the label is "Nr." or "Număr"). */
function looksLikeSeries(line: TextLine, token: { start: number; end: number }): boolean {
  return /^[A-Z]+$/.test(line.text.slice(token.start, token.end)) && line.text[token.end] !== '.';
}

/** What the series/number readers found. */
export interface SeriesNumberResult {
  series?: Reading;
  number?: Reading;
  /** "Factura nr. 123 din 12.03.2025": the date after the number (an issue date reading). */
  issueDate?: Reading;
}

/**
 * Series and number: "Seria ABC nr. 00123", "Serie/Număr: ABC/00123", "Factura nr. ABC-00123 din
 * 12.03.2025", "Nr. factură: 00123", and a header row "Seria | Nr. | Data" with the values under it.
 * A number glued to letters ("ABC-00123") is split into series and number.
 */
export function readSeriesAndNumber(doc: DocumentView): SeriesNumberResult {
  const series: Reading[] = [];
  const numbers: Reading[] = [];
  const issue: Reading[] = [];
  const addSplit = (r: PlacedReading<SeriesNumber> | undefined, strength: number) => {
    if (!r) return;
    const v = r.value;
    const numberInfo = spanInfo(r.line, v.end - v.number.length, v.end);
    numbers.push({ ...r, value: v.number, bbox: numberInfo.bbox, confidence: combine(r.confidence, strength) });
    if (v.series !== undefined && v.seriesStart !== undefined) {
      const s = spanInfo(r.line, v.seriesStart, v.seriesStart + v.series.length);
      series.push({ ...r, value: v.series, bbox: s.bbox, confidence: combine(r.confidence, strength) });
    }
    // "... nr. 123 din 12.03.2025" / "nr. 123 / 12.03.2025"
    const after = /^\s*(?:din|\/|,|-)\s*(?:data\s*)?(?:de\s*)?[:.]?\s*/.exec(r.line.key.slice(v.end));
    if (after) {
      const at = v.end + after[0].length;
      const d = findDates(r.line.key.slice(at))[0];
      if (d && d.start === 0) {
        const info = spanInfo(r.line, at, at + d.end);
        issue.push({
          value: d.value,
          confidence: combine(info.ocr, PLACE.sameLine, 0.97, info.repaired ? CHECK.repaired : 1, d.shortYear ? CHECK.shortYear : 1),
          page: info.page,
          bbox: info.bbox,
          strength: 0.95,
          order: r.order,
        });
      }
    }
  };
  for (const hit of hitsOf(doc, 'seriesSlashNumber')) {
    addSplit(readAfter(doc, hit, (l, f, t) => {
      const v = seriesNumberToken(l, f, t);
      return v && v.series !== undefined ? { value: v, start: v.start, end: v.end, factors: [] } : undefined;
    }), 1);
  }
  for (const hit of hitsOf(doc, 'invoiceNumber')) {
    addSplit(readAfter(doc, hit, (l, f, t) => {
      const v = seriesNumberToken(l, f, t);
      return v ? { value: v, start: v.start, end: v.end, factors: [] } : undefined;
    }), 1);
  }
  // series letters may happen to be a label word ("Seria NR nr. 12", "Serie: RC", "Seria TVA nr. 3"):
  // the token right after "Seria" is still the series when it is not a header label itself and a
  // "nr." label, a column gap or the line end follows it ("Seria NR nr. 12": before another "nr.")
  const consumed = new Set<string>();
  for (const hit of hitsOf(doc, 'series')) {
    const line = hit.line;
    const hits = labelsOf(doc, line);
    const token = seriesToken(line, hit.end, line.key.length);
    const own = token && hits.find((h) => h.start === token.start);
    const next = token && hits.find((h) => h.start >= token.end);
    const gapAfter = token && /^[\s:.,]*$/.test(line.key.slice(token.end, next ? next.start : line.key.length));
    const followedBy = next === undefined || next.kind === 'number' || line.key.slice(token?.end ?? 0, next.start).includes('\t');
    const accepted =
      token && own && gapAfter && (own.kind === 'number' ? next?.kind === 'number' || (next === undefined && looksLikeSeries(line, token)) : !HEADER_KINDS.has(own.kind) && followedBy);
    if (token && accepted) {
      const info = spanInfo(line, token.start, token.end);
      series.push({ value: token.value, confidence: combine(info.ocr, PLACE.sameLine), page: info.page, bbox: info.bbox, strength: 1, order: doc.order.get(line) ?? 0 });
      consumed.add(`${doc.order.get(line)}:${token.start}`);
      continue;
    }
    const r = readAfter(doc, hit, seriesToken, {
      loneWordUnless: HEADER_KINDS,
      loneWordIf: (l) => labelsOf(doc, l)[0]?.kind === 'number' && looksLikeSeries(l, { start: 0, end: l.text.length }),
    });
    if (r) series.push(r);
  }
  // a bare "Nr."/"Număr" is the invoice number only next to a "Seria" label (same line; same row: a
  // header; up to 3 lines above or below with the labels aligned: a stacked form) or on the row of
  // the "Factura" title
  for (const hit of hitsOf(doc, 'number')) {
    if (consumed.has(`${doc.order.get(hit.line)}:${hit.start}`)) continue; // it was the series
    const onLine = labelsOf(doc, hit.line);
    const row = doc.rowOf.get(hit.line) ?? hit.line;
    const onRow = labelsOf(doc, row);
    let strength: number;
    if (onLine.some((h) => h.kind === 'series' && h.end <= hit.start && hit.start - h.end <= 14)) strength = 1;
    else if (onRow.some((h) => h.kind === 'series') || stackedWithSeries(doc, hit) || /(?<![a-z])factur[ai](?![a-z])/.test(row.key)) strength = 0.8;
    else continue;
    const r = readAfter(doc, { ...hit, strength }, (l, f, t) => {
      const v = seriesNumberToken(l, f, t);
      return v && v.series === undefined ? { value: v, start: v.start, end: v.end, factors: [] } : undefined;
    });
    addSplit(r, 1);
  }
  return { series: best(series), number: best(numbers), issueDate: best(issue) };
}

/** True when a "Seria" label is within 3 lines above or below `hit`, left-aligned with it (a stacked form). */
function stackedWithSeries(doc: DocumentView, hit: LabelHit): boolean {
  const i = doc.order.get(hit.line);
  if (i === undefined) return false;
  const box = hitBox(hit);
  const h = hit.line.height;
  for (let j = Math.max(0, i - 3); j <= i + 3 && j < doc.lines.length; j++) {
    const line = doc.lines[j]!;
    if (j === i || line.page !== hit.line.page) continue;
    for (const s of labelsOf(doc, line)) {
      if (s.kind === 'series' && Math.abs(hitBox(s).x0 - box.x0) <= 3 * h) return true;
    }
  }
  return false;
}

/** First date in `[from, to)` of a line. */
function dateReader(line: TextLine, from: number, to: number): RawValue<string> | undefined {
  const d = findDates(line.key, from, to)[0];
  return d ? { value: d.value, start: d.start, end: d.end, factors: d.shortYear ? [CHECK.shortYear] : [] } : undefined;
}

/** What the date readers found. */
export interface DatesResult {
  issueDate?: Reading;
  dueDate?: Reading;
  /** Warnings about the dates. */
  warnings: string[];
}

/**
 * Issue date ("Data emiterii", "Data facturii", a bare "Data", the date after the invoice number) and
 * due date ("Data scadenței", "Scadența", "Termen de plată": a date, or "30 zile" counted from the
 * issue date). With no issue date label, the first date of the first page is taken, with a low
 * confidence. A due date before the issue date is kept with half its confidence and a warning.
 */
export function readDates(doc: DocumentView, fromNumber?: Reading): DatesResult {
  const warnings: string[] = [];
  const issue: Reading[] = fromNumber ? [fromNumber] : [];
  for (const hit of hitsOf(doc, 'issueDate')) {
    const r = readAfter(doc, hit, dateReader);
    if (r) issue.push(r);
  }
  const due: Reading[] = [];
  const dueDays: Reading<number>[] = [];
  for (const hit of hitsOf(doc, 'dueDate')) {
    const r = readAfter(doc, hit, (l, f, t) => {
      const d = dateReader(l, f, t);
      if (d) return d;
      const m = /^[\s:.]*(\d{1,3})\s*(?:de\s+)?zile(?![a-z])/.exec(l.key.slice(f, t));
      return m ? { value: `+${m[1]}`, start: f + m[0].indexOf(m[1]!), end: f + m[0].length, factors: [] } : undefined;
    });
    if (!r) continue;
    if (r.value.startsWith('+')) dueDays.push({ ...r, value: Number(r.value.slice(1)) });
    else due.push(r);
  }
  let issueDate = best(issue);
  if (!issueDate) {
    const dueOrders = new Set(due.map((d) => `${d.page}:${d.bbox.x0}:${d.bbox.y0}`));
    for (const line of doc.lines) {
      if (line.page !== doc.pages[0]?.page) break;
      const d = findDates(line.key).find((x) => {
        const info = spanInfo(line, x.start, x.end);
        return !dueOrders.has(`${info.page}:${info.bbox.x0}:${info.bbox.y0}`);
      });
      if (d) {
        const info = spanInfo(line, d.start, d.end);
        issueDate = { value: d.value, confidence: combine(info.ocr, PLACE.guess), page: info.page, bbox: info.bbox, strength: 0.3, order: doc.order.get(line) ?? 0 };
        warnings.push('issueDate: no issue date label, the first date of the page was taken');
        break;
      }
    }
  }
  let dueDate = best(due);
  if (!dueDate && issueDate) {
    const days = best(dueDays);
    if (days) {
      dueDate = { ...days, value: addDays(issueDate.value, days.value), confidence: combine(Math.min(days.confidence, issueDate.confidence), 0.9) };
      warnings.push(`dueDate: computed as issue date + ${days.value} days`);
    }
  }
  if (dueDate && issueDate && dueDate.value < issueDate.value) {
    dueDate = { ...dueDate, confidence: combine(dueDate.confidence, 0.5) };
    warnings.push(`dueDate ${dueDate.value} is before issueDate ${issueDate.value}`);
  }
  return { issueDate, dueDate, warnings };
}

/** Currency words and symbols → ISO 4217 code. "lei"/"leu"/"ron" are RON. */
const CURRENCY_CODES: Readonly<Record<string, string>> = {
  ron: 'RON', lei: 'RON', leu: 'RON', eur: 'EUR', euro: 'EUR', '€': 'EUR', usd: 'USD', $: 'USD', gbp: 'GBP', '£': 'GBP',
  chf: 'CHF', huf: 'HUF', pln: 'PLN', czk: 'CZK', bgn: 'BGN', mdl: 'MDL', sek: 'SEK', nok: 'NOK', dkk: 'DKK',
};
const CURRENCY_RE = /(?<![a-z])(ron|lei|leu|eur|euro|usd|gbp|chf|huf|pln|czk|bgn|mdl|sek|nok|dkk)(?![a-z])|[€$£]/g;

/** Currency tokens of a line stretch. */
function currencyTokens(line: TextLine, from = 0, to = line.key.length): { code: string; start: number; end: number }[] {
  const out: { code: string; start: number; end: number }[] = [];
  CURRENCY_RE.lastIndex = from;
  for (let m = CURRENCY_RE.exec(line.key); m && m.index < to; m = CURRENCY_RE.exec(line.key)) {
    out.push({ code: CURRENCY_CODES[m[1] ?? m[0]]!, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Invoice currency: after a "Monedă"/"Valută" label (strongest); else the currency written on a
 * totals line (payable first); else the most frequent currency word of the document. Lines with an
 * exchange rate ("Curs BNR 1 EUR = 4,97 lei") do not count. Undefined when no currency is written.
 */
export function readCurrency(doc: DocumentView): Reading | undefined {
  const labelled: Reading[] = [];
  for (const hit of hitsOf(doc, 'currency')) {
    const r = readAfter(doc, hit, (l, f, t) => {
      const c = currencyTokens(l, f, t)[0];
      return c && /^[\s:.]*$/.test(l.key.slice(f, c.start)) ? { value: c.code, start: c.start, end: c.end, factors: [] } : undefined;
    });
    if (r) labelled.push(r);
  }
  const fromLabel = best(labelled);
  if (fromLabel) return fromLabel;
  const totals: Reading[] = [];
  const counts = new Map<string, { n: number; first: Reading }>();
  for (const line of doc.lines) {
    const hits = labelsOf(doc, doc.rowOf.get(line) ?? line);
    if (hits.some((h) => h.kind === 'exchangeRate')) continue;
    const totalKind = hits.find((h) => h.kind === 'payableTotal' || h.kind === 'netTotal' || h.kind === 'vatTotal' || h.kind === 'total');
    for (const c of currencyTokens(line)) {
      const info = spanInfo(line, c.start, c.end);
      const reading: Reading = { value: c.code, confidence: combine(info.ocr, PLACE.shapeOnly), page: info.page, bbox: info.bbox, strength: 0.6, order: doc.order.get(line) ?? 0 };
      if (totalKind) {
        const strength = totalKind.kind === 'payableTotal' ? 1 : 0.9;
        totals.push({ ...reading, confidence: combine(info.ocr, PLACE.sameRow, strength), strength });
      }
      const seen = counts.get(c.code);
      if (seen) seen.n++;
      else counts.set(c.code, { n: 1, first: reading });
    }
  }
  const onTotals = best(totals);
  if (onTotals) return onTotals;
  let most: { n: number; first: Reading } | undefined;
  for (const v of counts.values()) if (!most || v.n > most.n) most = v;
  return most?.first;
}
