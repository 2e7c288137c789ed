/**
 * Supplier (BG-4) and buyer (BG-7) blocks: name, CUI/CIF and trade register number of each.
 *
 * A party block starts at its label ("Furnizor", "Vânzător", "Emitent", "Prestator" / "Cumpărător",
 * "Client", "Beneficiar", "Achizitor") and is bounded by geometry: to the right by a party label of the
 * same rows further right (two-column layout), below by the next party label of the same column
 * (top/bottom layout) or the invoice lines table, and by at most 12 line heights. When a block has no
 * label (many invoices print the supplier at the top without one), the parties are taken in page
 * order from the valid CIFs outside the labelled blocks, with a lower confidence.
 */
import type { BBox, ExtractedParty, Field } from './types.js';
import { makeLine, spanInfo, type LaidOutWord, type PageLayout, type TextLine } from './layout.js';
import { valueEnd, type LabelHit } from './labels.js';
import { readCif } from './cif.js';
import { readTradeRegister } from './trade-register.js';
import { CHECK, PLACE, combine } from './confidence.js';
import { hitBox, hitsOf, isItemHeaderRow, labelsOf, pageOf, type DocumentView } from './document.js';

/** A party block on a page. */
export interface PartyRegion {
  kind: 'supplier' | 'buyer';
  page: number;
  box: BBox;
  /** The block's words, line by line (only the words inside the box). */
  lines: TextLine[];
}

/** Legal-form suffixes of Romanian (and a few foreign) company names, on the line key. */
const COMPANY_SUFFIX =
  /(?<![a-z])(?:s\.?\s?r\.?\s?l\.?(?:-?\s?d)?|s\.?\s?a|p\.?\s?f\.?\s?a|i\.?\s?i|i\.?\s?f|s\.?\s?n\.?\s?c|s\.?\s?c\.?\s?s|r\.?\s?a|gmbh|ltd|sarl|s\.?\s?p\.?\s?a|kft|b\.?\s?v|sp\.?\s?z\s?o\.?\s?o)\.?(?![a-z])/;

/** True when the text (line key form) carries a company legal form: "ABC S.R.L.", "XYZ SA", "Ion Pop PFA". */
export function hasCompanySuffix(key: string): boolean {
  return COMPANY_SUFFIX.test(key);
}

const OTHER_FIELD = new Set(['cif', 'tradeRegister', 'iban', 'fieldWord', 'supplier', 'buyer', 'invoiceNumber', 'series', 'issueDate', 'dueDate']);

/** Finds the labelled party blocks of the document (first page that has each label). */
export function partyRegions(doc: DocumentView): { supplier?: PartyRegion; buyer?: PartyRegion } {
  const out: { supplier?: PartyRegion; buyer?: PartyRegion } = {};
  const hits = hitsOf(doc, 'supplier', 'buyer');
  for (const hit of hits) {
    const kind = hit.kind as 'supplier' | 'buyer';
    if (out[kind]) continue;
    out[kind] = regionOf(doc, hit, hits.filter((h) => h !== hit && h.line.page === hit.line.page));
  }
  return out;
}

function regionOf(doc: DocumentView, hit: LabelHit, others: LabelHit[]): PartyRegion {
  const layout = pageOf(doc, hit.line);
  const h = layout.lineHeight;
  const b = hitBox(hit);
  const x0 = b.x0 - h;
  const y0 = b.y0 - 0.3 * h;
  let y1 = b.y1 + 12 * h;
  let x1 = layout.width;
  for (const o of others) {
    const ob = hitBox(o);
    const oc = (ob.y0 + ob.y1) / 2;
    if (ob.x0 > b.x1 && oc >= y0 && oc <= y1) x1 = Math.min(x1, ob.x0 - 0.3 * h);
  }
  for (const o of others) {
    const ob = hitBox(o);
    if (ob.y0 > b.y1 - 0.1 * h && ob.x1 > x0 && ob.x0 < x1) y1 = Math.min(y1, ob.y0 - 0.1 * h);
  }
  for (const line of layout.lines) {
    if (line.bbox.y0 <= b.y1) continue;
    if (line.bbox.y0 >= y1) break;
    if (isItemHeaderRow(doc, line)) {
      y1 = Math.min(y1, line.bbox.y0 - 0.1 * h);
      break;
    }
  }
  const box = { x0, y0, x1, y1 };
  return { kind: hit.kind as 'supplier' | 'buyer', page: layout.page, box, lines: wordsIn(layout, box) };
}

/** The words of a page whose centre is inside `box`, as lines. */
function wordsIn(layout: PageLayout, box: BBox): TextLine[] {
  const out: TextLine[] = [];
  for (const line of layout.lines) {
    if (line.bbox.y1 < box.y0 || line.bbox.y0 > box.y1) continue;
    const words: LaidOutWord[] = line.words.filter((w) => {
      const cx = (w.bbox.x0 + w.bbox.x1) / 2;
      const cy = (w.bbox.y0 + w.bbox.y1) / 2;
      return cx >= box.x0 && cx < box.x1 && cy >= box.y0 && cy < box.y1;
    });
    if (words.length > 0) out.push(makeLine(layout.page, words));
  }
  return out;
}

/** True when the centre of `b` (a layout-frame box, {@link SpanInfo.box}) is inside `region`. */
export function inRegion(region: PartyRegion | undefined, page: number, b: BBox): boolean {
  if (!region || region.page !== page) return false;
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  return cx >= region.box.x0 && cx < region.box.x1 && cy >= region.box.y0 && cy < region.box.y1;
}

/** A name candidate: the display text of `[start, end)` cleaned, or undefined when it is no name. */
function nameIn(doc: DocumentView, line: TextLine, start: number, end: number, place: number): Field | undefined {
  // stop at the first other field on the stretch ("ABC SRL  CIF: RO123")
  for (const h of labelsOf(doc, line)) if (h.start >= start && h.start < end && OTHER_FIELD.has(h.kind) && h.start > start) end = h.start;
  const tab = line.text.indexOf('\t', start);
  if (tab >= 0 && tab < end) end = tab;
  let s = start;
  let e = end;
  while (s < e && /[\s:;,\-–]/.test(line.text[s]!)) s++;
  while (e > s && /[\s:;,\-–]/.test(line.text[e - 1]!)) e--;
  const text = line.text.slice(s, e).replace(/\s+/g, ' ');
  const key = line.key.slice(s, e);
  if ((text.match(/\p{L}/gu) ?? []).length < 2) return undefined;
  if (readCif(text)?.start === 0 || readTradeRegister(text)?.start === 0) return undefined;
  const first = labelsOf(doc, line).find((h) => h.start >= s && h.start < e);
  if (first && first.start === s && OTHER_FIELD.has(first.kind)) return undefined;
  const info = spanInfo(line, s, e);
  const suffix = hasCompanySuffix(key);
  return { value: text, confidence: combine(info.ocr, place, suffix ? 1 : 0.85), page: info.page, bbox: info.bbox };
}

/** Reads name, CIF and trade register number of a labelled block. */
export function readRegion(doc: DocumentView, region: PartyRegion, warnings: string[]): ExtractedParty {
  const party: ExtractedParty = {};
  const [first, ...rest] = region.lines;
  if (!first) return party;
  const label = labelsOf(doc, first).find((h) => h.kind === region.kind);
  // name: after the label on its line, else the first line below with a legal form, else the first name-like line
  if (label) {
    const n = nameIn(doc, first, label.end, valueEnd(label, labelsOf(doc, first)), PLACE.sameLine);
    if (n) party.name = n;
  }
  if (!party.name) {
    let plain: Field | undefined;
    for (const line of (label ? rest : region.lines).slice(0, 5)) {
      const n = nameIn(doc, line, 0, line.text.length, PLACE.below);
      if (!n) continue;
      if (hasCompanySuffix(line.key.slice(0, line.text.indexOf('\t') >= 0 ? line.text.indexOf('\t') : line.key.length))) {
        party.name = n;
        break;
      }
      plain ??= { ...n, confidence: combine(n.confidence, 0.9) };
    }
    party.name ??= plain;
  }
  const cif = cifIn(doc, region.lines, warnings, region.kind);
  if (cif) party.cif = cif;
  const tr = tradeRegisterIn(doc, region.lines);
  if (tr) party.tradeRegister = tr;
  return party;
}

/** The first CIF of some lines: after a CIF label (same line or the line below), else an `RO…` with a valid check digit. */
function cifIn(doc: DocumentView, lines: readonly TextLine[], warnings: string[], who: string): Field | undefined {
  let invalid: Field | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (const h of labelsOf(doc, line)) {
      if (h.kind !== 'cif') continue;
      const to = valueEnd(h, labelsOf(doc, line));
      const here = readCif(line.text, h.end);
      const onLine = here && here.start < to && /^[\s:.,;]*$/.test(line.text.slice(h.end, here.start)) ? here : undefined;
      const next = lines[i + 1];
      const under = !onLine && next ? readCif(next.text) : undefined;
      const r = onLine ?? (under && under.start === 0 ? under : undefined);
      if (!r) continue;
      const src = onLine ? line : next!;
      const info = spanInfo(src, r.start, r.end);
      const field: Field = {
        value: r.value,
        confidence: combine(info.ocr, onLine ? PLACE.sameLine : PLACE.below, r.valid ? CHECK.checkDigitPassed : CHECK.checkDigitFailed, r.repaired ? CHECK.repaired : 1),
        page: info.page,
        bbox: info.bbox,
      };
      if (r.valid) return field;
      invalid ??= field;
    }
  }
  for (const line of lines) {
    for (let from = 0; ; ) {
      const r = readCif(line.text, from);
      if (!r) break;
      from = r.end;
      if (!r.valid || !r.value.startsWith('RO')) continue;
      const info = spanInfo(line, r.start, r.end);
      return { value: r.value, confidence: combine(info.ocr, PLACE.shapeOnly, r.repaired ? CHECK.repaired : 1), page: info.page, bbox: info.bbox };
    }
  }
  if (invalid) warnings.push(`${who}.cif: ${invalid.value} fails the CUI check digit`);
  return invalid;
}

/** The first trade register number of some lines (labelled: sameLine factor; else by its shape). */
function tradeRegisterIn(doc: DocumentView, lines: readonly TextLine[]): Field | undefined {
  for (const line of lines) {
    const r = readTradeRegister(line.text);
    if (!r) continue;
    const labelled = labelsOf(doc, line).some((h) => h.kind === 'tradeRegister' && h.end <= r.start);
    const info = spanInfo(line, r.start, r.end);
    const newFormat = !r.value.includes('/');
    return {
      value: r.value,
      confidence: combine(info.ocr, labelled || newFormat ? PLACE.sameLine : PLACE.shapeOnly, r.repaired ? CHECK.repaired : 1),
      page: info.page,
      bbox: info.bbox,
    };
  }
  return undefined;
}

/** Segments (TAB-separated stretches) of a line. */
function segments(line: TextLine): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = 0; i <= line.text.length; i++) {
    if (i === line.text.length || line.text[i] === '\t') {
      if (i > start) out.push({ start, end: i });
      start = i + 1;
    }
  }
  return out;
}

/**
 * Parties without labels, in page order of their valid CIFs (an `RO…` or one after a CIF label) on the
 * first page, outside the labelled blocks: name = the nearest line above (up to 6 lines, same column)
 * with a legal form, trade register = the nearest one within 4 lines in the same column. Confidences
 * carry {@link PLACE.shapeOnly}: the role comes from the order only.
 */
export function unlabeledParties(doc: DocumentView, exclude: readonly (PartyRegion | undefined)[], skipCifs: ReadonlySet<string>): ExtractedParty[] {
  const layout = doc.pages[0];
  if (!layout) return [];
  const out: ExtractedParty[] = [];
  const seen = new Set(skipCifs);
  const lines = layout.lines;
  const h = layout.lineHeight;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (let from = 0; ; ) {
      const r = readCif(line.text, from);
      if (!r) break;
      from = r.end;
      if (!r.valid) continue;
      const labelled = labelsOf(doc, line).some((x) => x.kind === 'cif' && x.end <= r.start && /^[\s:.]*$/.test(line.text.slice(x.end, r.start)));
      if (!labelled && !r.value.startsWith('RO')) continue;
      const info = spanInfo(line, r.start, r.end);
      if (exclude.some((e) => inRegion(e, line.page, info.box))) continue;
      const digits = r.value.replace(/^RO/, '');
      if (seen.has(digits)) continue;
      seen.add(digits);
      const party: ExtractedParty = {
        cif: { value: r.value, confidence: combine(info.ocr, labelled ? PLACE.sameLine : PLACE.shapeOnly, 0.9, r.repaired ? CHECK.repaired : 1), page: info.page, bbox: info.bbox },
      };
      const column = { x0: info.box.x0 - 4 * h, x1: info.box.x1 + 8 * h };
      const inColumn = (l: TextLine, s: { start: number; end: number }) => {
        const b = spanInfo(l, s.start, s.end).box;
        return b.x1 >= column.x0 && b.x0 <= column.x1;
      };
      for (let j = i; j >= Math.max(0, i - 6) && !party.name; j--) {
        const l = lines[j]!;
        for (const s of segments(l)) {
          if (!inColumn(l, s) || !hasCompanySuffix(l.key.slice(s.start, s.end))) continue;
          const n = nameIn(doc, l, s.start, s.end, PLACE.shapeOnly);
          if (n && !exclude.some((e) => inRegion(e, l.page, spanInfo(l, s.start, s.end).box))) {
            party.name = n;
            break;
          }
        }
      }
      for (let d = 0; d <= 4 && !party.tradeRegister; d++) {
        for (const j of d === 0 ? [i] : [i - d, i + d]) {
          const l = lines[j];
          if (!l) continue;
          const t = readTradeRegister(l.text);
          if (!t) continue;
          const ti = spanInfo(l, t.start, t.end);
          if (ti.box.x1 < column.x0 || ti.box.x0 > column.x1 || exclude.some((e) => inRegion(e, l.page, ti.box))) continue;
          party.tradeRegister = { value: t.value, confidence: combine(ti.ocr, PLACE.shapeOnly, t.repaired ? CHECK.repaired : 1), page: ti.page, bbox: ti.bbox };
          break;
        }
      }
      out.push(party);
    }
  }
  return out;
}

/** Supplier and buyer: labelled blocks first, unlabelled ones (page order) for what is missing. */
export function readParties(doc: DocumentView, warnings: string[]): { supplier: ExtractedParty; buyer: ExtractedParty; regions: { supplier?: PartyRegion; buyer?: PartyRegion } } {
  const regions = partyRegions(doc);
  const supplier = regions.supplier ? readRegion(doc, regions.supplier, warnings) : {};
  const buyer = regions.buyer ? readRegion(doc, regions.buyer, warnings) : {};
  if (!supplier.cif || !buyer.cif) {
    const known = new Set([supplier.cif?.value, buyer.cif?.value].filter((x): x is string => !!x).map((v) => v.replace(/^RO/, '')));
    const others = unlabeledParties(doc, [regions.supplier, regions.buyer], known);
    const fill = (p: ExtractedParty, labelled: boolean) => {
      const o = others.shift();
      if (!o) return;
      p.cif ??= o.cif;
      if (!labelled) {
        p.name ??= o.name;
        p.tradeRegister ??= o.tradeRegister;
      }
    };
    if (!supplier.cif) fill(supplier, !!regions.supplier);
    if (!buyer.cif) fill(buyer, !!regions.buyer);
    if (!regions.supplier && supplier.cif) warnings.push('supplier: no supplier label, taken as the first party of the page');
    if (!regions.buyer && buyer.cif) warnings.push('buyer: no buyer label, taken as the next party of the page');
  }
  if (supplier.cif && buyer.cif && supplier.cif.value.replace(/^RO/, '') === buyer.cif.value.replace(/^RO/, '')) {
    warnings.push('supplier.cif and buyer.cif are the same number');
  }
  return { supplier, buyer, regions };
}
