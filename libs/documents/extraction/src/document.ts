/**
 * The pages of one document as the field readers see them: lines in reading order, the labels of
 * every line, and where to look for the value of a label (same line, same row, below).
 */
import type { BBox, OcrPage } from './types.js';
import { below, layoutPage, makeLine, rowRightOf, spanInfo, type PageLayout, type TextLine } from './layout.js';
import { findLabels, valueEnd, type LabelHit, type LabelKind } from './labels.js';
import { CHECK, PLACE, combine } from './confidence.js';

/** A document ready for the field readers. */
export interface DocumentView {
  pages: PageLayout[];
  /** Labels of each line (left to right). */
  labels: Map<TextLine, LabelHit[]>;
  /** Every line of every page in reading order, with its position in that order. */
  lines: TextLine[];
  order: Map<TextLine, number>;
  /**
   * Rows: the lines of a page whose vertical centres are within half a line height of each other,
   * joined (the same object as the line when it is alone on its row). Engines that give each column
   * its own lines cut a table row into several lines; row-level questions (is this the header of the
   * invoice lines? which amounts are on this VAT line?) are asked of rows.
   */
  rows: TextLine[];
  rowOf: Map<TextLine, TextLine>;
}

/** Lays out the pages (sorted by page number) and finds the labels of every line. */
export function viewDocument(pages: readonly OcrPage[]): DocumentView {
  const layouts = [...pages].sort((a, b) => a.page - b.page).map(layoutPage);
  const labels = new Map<TextLine, LabelHit[]>();
  const lines: TextLine[] = [];
  const order = new Map<TextLine, number>();
  const rows: TextLine[] = [];
  const rowOf = new Map<TextLine, TextLine>();
  for (const p of layouts) {
    for (const l of p.lines) {
      labels.set(l, findLabels(l));
      order.set(l, lines.length);
      lines.push(l);
    }
    for (const group of rowGroups(p.lines)) {
      const row = group.length === 1 ? group[0]! : makeLine(p.page, group.flatMap((l) => l.words));
      if (!order.has(row)) order.set(row, order.get(group[0]!)!);
      rows.push(row);
      for (const l of group) rowOf.set(l, row);
    }
  }
  return { pages: layouts, labels, lines, order, rows, rowOf };
}

/** Groups lines (sorted by vertical centre) whose centres are within half a line height. */
function rowGroups(lines: readonly TextLine[]): TextLine[][] {
  const out: TextLine[][] = [];
  let current: TextLine[] = [];
  let yc = 0;
  for (const l of lines) {
    const c = (l.bbox.y0 + l.bbox.y1) / 2;
    if (current.length > 0 && Math.abs(c - yc) <= 0.5 * Math.min(l.height, current[0]!.height)) {
      current.push(l);
      yc += (c - yc) / current.length;
    } else {
      if (current.length > 0) out.push(current);
      current = [l];
      yc = c;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** True when the row of `line` is the header of a VAT breakdown table ("Cota TVA | Baza de impozitare | TVA"). */
export function isVatHeaderRow(doc: DocumentView, line: TextLine): boolean {
  const key = (doc.rowOf.get(line) ?? line).key;
  return /(?<![a-z])baz/.test(key) && /(?<![a-z])(?:tva|cota|vat)(?![a-z])/.test(key) && !/\d/.test(key);
}

/** True when the row of `line` is the header of the invoice lines table (two column titles or more). */
export function isItemHeaderRow(doc: DocumentView, line: TextLine): boolean {
  const row = doc.rowOf.get(line) ?? line;
  return labelsOf(doc, row).filter((h) => h.kind === 'itemHeader').length >= 2;
}

/** Labels of a line (computed on demand for lines built on the fly). */
export function labelsOf(doc: DocumentView, line: TextLine): LabelHit[] {
  let hits = doc.labels.get(line);
  if (!hits) {
    hits = findLabels(line);
    doc.labels.set(line, hits);
  }
  return hits;
}

/** Every label of the given kinds, in reading order. */
export function hitsOf(doc: DocumentView, ...kinds: LabelKind[]): LabelHit[] {
  const out: LabelHit[] = [];
  for (const l of doc.lines) for (const h of doc.labels.get(l)!) if (kinds.includes(h.kind)) out.push(h);
  return out;
}

/** A stretch of a line where a label's value may be, with the confidence factor of that place. */
export interface ValuePlace {
  line: TextLine;
  from: number;
  to: number;
  place: number;
}

/** Box of a label hit (the words it covers). */
export function hitBox(hit: LabelHit): BBox {
  return spanInfo(hit.line, hit.start, hit.end).box;
}

/** The page layout a line belongs to. */
export function pageOf(doc: DocumentView, line: TextLine): PageLayout {
  return doc.pages.find((p) => p.page === line.page)!;
}

/**
 * Where the value of `hit` may be, best first: the rest of its line up to the next label; the words
 * right of it on the same row that belong to other lines; the words under it. Each stretch ends at the
 * first label it contains (that text is another field's).
 */
export function valuePlaces(doc: DocumentView, hit: LabelHit): ValuePlace[] {
  const places: ValuePlace[] = [{ line: hit.line, from: hit.end, to: valueEnd(hit, labelsOf(doc, hit.line)), place: PLACE.sameLine }];
  const layout = pageOf(doc, hit.line);
  const box = hitBox(hit);
  const right = rowRightOf(layout, hit.line, { ...box, x1: spanInfo(hit.line, hit.start, places[0]!.to).box.x1 });
  if (right) places.push({ line: right, from: 0, to: firstLabelStart(doc, right), place: PLACE.sameRow });
  const under = below(layout, box);
  if (under) places.push({ line: under, from: 0, to: firstLabelStart(doc, under), place: PLACE.below });
  return places;
}

function firstLabelStart(doc: DocumentView, line: TextLine): number {
  const first = labelsOf(doc, line).find((h) => h.kind !== 'fieldWord' && h.kind !== 'itemHeader');
  return first ? first.start : line.key.length;
}

/** A value read somewhere, before it becomes a field. */
export interface Reading<T = string> {
  value: T;
  confidence: number;
  page: number;
  bbox: BBox;
  /** Strength of the label that introduced it (1 when none is involved). */
  strength: number;
  /** Position in reading order (line index across the document). */
  order: number;
}

/** What a value reader found in a stretch of a line. */
export interface RawValue<T> {
  value: T;
  start: number;
  end: number;
  /** Confidence factors of the reading itself (check digit, ambiguity...). */
  factors: number[];
  /** True when the reader read the display text and handled look-alikes itself (no key repair factor). */
  ownRepair?: boolean;
}

/** A reading together with the line stretch it came from. */
export type PlacedReading<T> = Reading<T> & { line: TextLine; start: number; end: number };

/**
 * Reads the first value of a label: `read` is tried on each of its {@link valuePlaces} in turn. The
 * confidence is the lowest OCR confidence of the value's words times the place factor, the label
 * strength factor, the reader's factors and {@link CHECK.repaired} when look-alikes were read as digits.
 * `loneWordUnless`: see the comment in the loop.
 */
export function readAfter<T>(
  doc: DocumentView,
  hit: LabelHit,
  read: (line: TextLine, from: number, to: number) => RawValue<T> | undefined,
  options: { loneWordUnless?: ReadonlySet<string>; loneWordIf?: (line: TextLine) => boolean } = {},
): PlacedReading<T> | undefined {
  for (const p of valuePlaces(doc, hit)) {
    // a value that happens to be a label word ("Serie:" then "TVA" in its own engine line) is still the
    // value when it is alone there and not one of the given label kinds
    if (options.loneWordUnless && p.line !== hit.line && p.to === 0 && p.line.words.length === 1) {
      const own = labelsOf(doc, p.line)[0];
      if (own && (!options.loneWordUnless.has(own.kind) || options.loneWordIf?.(p.line))) p.to = p.line.key.length;
    }
    if (p.to <= p.from) continue;
    const r = read(p.line, p.from, p.to);
    if (!r) continue;
    const info = spanInfo(p.line, r.start, r.end);
    return {
      value: r.value,
      confidence: combine(info.ocr, p.place, labelFactor(hit.strength), info.repaired && !r.ownRepair ? CHECK.repaired : 1, ...r.factors),
      page: info.page,
      bbox: info.bbox,
      strength: hit.strength,
      order: doc.order.get(hit.line) ?? 0,
      line: p.line,
      start: r.start,
      end: r.end,
    };
  }
  return undefined;
}

/** Confidence factor of a label's strength: 1 → 1, 0.5 → 0.75. */
export function labelFactor(strength: number): number {
  return 0.5 + 0.5 * strength;
}
