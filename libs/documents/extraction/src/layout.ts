/**
 * From OCR words to text lines that keep the way back to the words.
 *
 * A {@link TextLine} joins its words left to right with one space, or with a TAB where the gap is
 * wider than a word space (a table column or a second column of the page; see COLUMN_GAP). Its `key` (lowercase, no
 * diacritics, look-alike letters in numbers read as digits) has the same length as its `text`, so any
 * match in the key maps back to the words it covers: their box, page and OCR confidence.
 */
import type { BBox, OcrPage, OcrWord } from './types.js';
import { foldForMatch, normalizeDiacritics, repairDigitWord } from './text.js';

/**
 * A word as laid out: `bbox` in the deskewed page frame used for all geometry, `source` the box the
 * engine gave (what the output fields report) when the page was deskewed.
 */
export interface LaidOutWord extends OcrWord {
  source?: BBox;
}

/** A line of words, left to right. */
export interface TextLine {
  /** 1-based page number. */
  page: number;
  /** The words, left to right, with their display text (diacritics normalised). */
  words: LaidOutWord[];
  /** Offset of each word in `text`/`key`. */
  starts: number[];
  /** Display text: words joined by `' '`, or `'\t'` across a wide gap. */
  text: string;
  /** Matching key, same length as `text`: lowercase, no diacritics, look-alikes in numbers as digits. */
  key: string;
  /** Per word: true when look-alike letters were read as digits in the key. */
  repaired: boolean[];
  /** Union of the word boxes. */
  bbox: BBox;
  /** Median word height (the unit of distances on this line). */
  height: number;
}

/** The lines of one page in reading order (top to bottom, then left to right). */
export interface PageLayout {
  page: number;
  width: number;
  height: number;
  lines: TextLine[];
  /** Median line height of the page. */
  lineHeight: number;
}

/**
 * A gap wider than this many line heights, and than {@link COLUMN_GAP_CHARS} character widths,
 * between two words is a column gap (TAB). The second bound matters for monospace fonts, whose word
 * space is a whole character (0.6 em) against about 0.28 em in proportional fonts.
 */
const COLUMN_GAP = 0.9;
const COLUMN_GAP_CHARS = 1.6;

const yCenter = (b: BBox) => (b.y0 + b.y1) / 2;
const heightOf = (b: BBox) => Math.max(1e-6, b.y1 - b.y0);

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Union of boxes (the first box when there is one). */
export function unionBox(boxes: readonly BBox[]): BBox {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const b of boxes) {
    if (b.x0 < x0) x0 = b.x0;
    if (b.y0 < y0) y0 = b.y0;
    if (b.x1 > x1) x1 = b.x1;
    if (b.y1 > y1) y1 = b.y1;
  }
  return { x0, y0, x1, y1 };
}

/** Display text, key and repair flag of words already laid out (rows re-join the words of lines). */
const wordForms = new WeakMap<OcrWord, { display: string; key: string; repaired: boolean }>();

/**
 * Builds a line from words of one page (any order: they are sorted left to right). Word texts are
 * normalised ({@link normalizeDiacritics}); the key applies {@link repairDigitWord} then
 * {@link foldForMatch} word by word.
 */
export function makeLine(page: number, words: readonly LaidOutWord[]): TextLine {
  const sorted = [...words].sort((a, b) => a.bbox.x0 - b.bbox.x0);
  const height = median(sorted.map((w) => heightOf(w.bbox)));
  const charWidths = sorted.filter((w) => w.text.length >= 2).map((w) => (w.bbox.x1 - w.bbox.x0) / w.text.length);
  const columnGap = Math.max(COLUMN_GAP * height, COLUMN_GAP_CHARS * median(charWidths));
  const starts: number[] = [];
  const repaired: boolean[] = [];
  const out: LaidOutWord[] = [];
  let text = '';
  let key = '';
  sorted.forEach((w, i) => {
    let forms = wordForms.get(w);
    if (!forms) {
      const display = normalizeDiacritics(w.text).replace(/\s+/g, ' ');
      const fixed = repairDigitWord(display);
      forms = { display, key: foldForMatch(fixed.text), repaired: fixed.repaired };
    }
    if (i > 0) {
      const sep = w.bbox.x0 - sorted[i - 1]!.bbox.x1 > columnGap ? '\t' : ' ';
      text += sep;
      key += sep;
    }
    starts.push(text.length);
    repaired.push(forms.repaired);
    text += forms.display;
    key += forms.key;
    const word = w.text === forms.display ? w : { ...w, text: forms.display };
    wordForms.set(word, forms);
    out.push(word);
  });
  return { page, words: out, starts, text, key, repaired, bbox: unionBox(out.map((w) => w.bbox)), height };
}

/** Clamps a confidence into 0..1 (NaN → 0). */
function clampConfidence(c: number): number {
  return Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0;
}

/**
 * Groups the words of a page into lines: by the engine's `line` ids when every word has one,
 * otherwise by geometry (a word joins the row whose mean vertical centre is within half a word
 * height of its own and where it does not mostly cover another word). Empty words are dropped. Lines are
 * returned top to bottom, then left to right.
 */
export function groupLines(page: OcrPage): TextLine[] {
  let words: LaidOutWord[] = page.words
    .filter((w) => w.text.trim() !== '' && w.bbox.x1 >= w.bbox.x0 && w.bbox.y1 >= w.bbox.y0)
    .map((w) => ({ ...w, text: w.text.trim(), confidence: clampConfidence(w.confidence) }));
  const slope = estimateSkew(words);
  if (Math.abs(slope) > MIN_SKEW && Math.abs(slope) < MAX_SKEW) words = deskew(words, slope);
  let groups: LaidOutWord[][];
  if (words.length > 0 && words.every((w) => w.line !== undefined)) {
    const byId = new Map<number, LaidOutWord[]>();
    for (const w of words) {
      const g = byId.get(w.line!);
      if (g) g.push(w);
      else byId.set(w.line!, [w]);
    }
    groups = [...byId.values()];
  } else {
    groups = clusterRows(words);
  }
  const lines = groups.map((g) => makeLine(page.page, g));
  lines.sort((a, b) => yCenter(a.bbox) - yCenter(b.bbox) || a.bbox.x0 - b.bbox.x0);
  return lines;
}

interface Row {
  words: LaidOutWord[];
  yc: number;
  h: number;
}

function clusterRows(words: LaidOutWord[]): LaidOutWord[][] {
  const sorted = [...words].sort((a, b) => yCenter(a.bbox) - yCenter(b.bbox));
  const rows: Row[] = [];
  for (const w of sorted) {
    const c = yCenter(w.bbox);
    const h = heightOf(w.bbox);
    let best: Row | undefined;
    let bestD = Infinity;
    for (let i = rows.length - 1; i >= 0 && i >= rows.length - 12; i--) {
      const r = rows[i]!;
      const d = Math.abs(c - r.yc);
      if (d > 0.5 * Math.max(h, r.h) || d >= bestD) continue;
      // a word mostly on top of another one is another row (text overlapping a little, as a
      // right-aligned value running into its label, stays on the row)
      if (r.words.some((o) => Math.min(o.bbox.x1, w.bbox.x1) - Math.max(o.bbox.x0, w.bbox.x0) > 0.6 * Math.min(o.bbox.x1 - o.bbox.x0, w.bbox.x1 - w.bbox.x0))) continue;
      best = r;
      bestD = d;
    }
    if (best) {
      best.words.push(w);
      best.yc += (c - best.yc) / best.words.length;
      best.h += (h - best.h) / best.words.length;
    } else {
      rows.push({ words: [w], yc: c, h });
    }
  }
  return rows.map((r) => r.words);
}

/** Below this slope (about 0.15°) a page is taken as straight. */
const MIN_SKEW = 0.0025;
/** Above this slope (about 6°) the estimate is not trusted (rotated page, not a skewed scan). */
const MAX_SKEW = 0.1;

/**
 * Skew of a page as the slope dy/dx of its text lines (positive: lines go down to the right), the
 * median over pairs of neighbouring words: with engine line ids, consecutive words of a line; without,
 * each word and the nearest word right of it (gap under 2 word heights, centres within 0.7 height).
 * 0 when fewer than 5 pairs.
 */
export function estimateSkew(words: readonly OcrWord[]): number {
  const slopes: number[] = [];
  const cx = (w: OcrWord) => (w.bbox.x0 + w.bbox.x1) / 2;
  if (words.length > 0 && words.every((w) => w.line !== undefined)) {
    const byId = new Map<number, OcrWord[]>();
    for (const w of words) {
      const g = byId.get(w.line!);
      if (g) g.push(w);
      else byId.set(w.line!, [w]);
    }
    for (const g of byId.values()) {
      g.sort((a, b) => a.bbox.x0 - b.bbox.x0);
      for (let i = 1; i < g.length; i++) {
        const dx = cx(g[i]!) - cx(g[i - 1]!);
        if (dx > 0) slopes.push((yCenter(g[i]!.bbox) - yCenter(g[i - 1]!.bbox)) / dx);
      }
    }
  } else {
    const byY = [...words].sort((a, b) => yCenter(a.bbox) - yCenter(b.bbox));
    for (let i = 0; i < byY.length; i++) {
      const w = byY[i]!;
      const h = heightOf(w.bbox);
      let best: OcrWord | undefined;
      for (const dir of [-1, 1]) {
        for (let j = i + dir; j >= 0 && j < byY.length; j += dir) {
          const o = byY[j]!;
          if (Math.abs(yCenter(o.bbox) - yCenter(w.bbox)) > 0.7 * h) break;
          const gap = o.bbox.x0 - w.bbox.x1;
          if (gap < -0.1 * h || gap > 2 * h || Math.abs(heightOf(o.bbox) - h) > 0.3 * h) continue;
          if (!best || o.bbox.x0 < best.bbox.x0) best = o;
        }
      }
      if (best) slopes.push((yCenter(best.bbox) - yCenter(w.bbox)) / (cx(best) - cx(w)));
    }
  }
  return slopes.length >= 5 ? median(slopes) : 0;
}

/**
 * Undoes a small skew: each word moves as its centre rotates by -atan(slope) around the origin (to
 * first order: x + y·slope, y - x·slope); its size is kept and its engine box kept in `source`.
 */
function deskew(words: readonly LaidOutWord[], slope: number): LaidOutWord[] {
  return words.map((w) => {
    const cx = (w.bbox.x0 + w.bbox.x1) / 2;
    const cy = yCenter(w.bbox);
    const dx = cy * slope;
    const dy = -cx * slope;
    return { ...w, source: w.bbox, bbox: { x0: w.bbox.x0 + dx, y0: w.bbox.y0 + dy, x1: w.bbox.x1 + dx, y1: w.bbox.y1 + dy } };
  });
}

/** Lines of a page in reading order, with the page's median line height. */
export function layoutPage(page: OcrPage): PageLayout {
  const lines = groupLines(page);
  return { page: page.page, width: page.width, height: page.height, lines, lineHeight: median(lines.map((l) => l.height)) || 1 };
}

/** Where a span of a line was read. */
export interface SpanInfo {
  page: number;
  /** Box in the engine's page coordinates (what output fields report). */
  bbox: BBox;
  /** Box in the layout frame (deskewed): for geometry against other layout boxes. */
  box: BBox;
  /** Lowest OCR confidence of the words covered. */
  ocr: number;
  /** True when a covered word had look-alike letters read as digits. */
  repaired: boolean;
}

/** Indices of the words that overlap `[start, end)` of the line text. */
export function wordIndices(line: TextLine, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < line.words.length; i++) {
    const ws = line.starts[i]!;
    const we = ws + line.words[i]!.text.length;
    if (ws < end && we > start) out.push(i);
  }
  return out;
}

/** Box, page, lowest OCR confidence and repair flag of the words under `[start, end)`. */
export function spanInfo(line: TextLine, start: number, end: number): SpanInfo {
  const idx = wordIndices(line, start, end);
  if (idx.length === 0) return { page: line.page, bbox: line.bbox, box: line.bbox, ocr: 0, repaired: false };
  return {
    page: line.page,
    bbox: unionBox(idx.map((i) => line.words[i]!.source ?? line.words[i]!.bbox)),
    box: unionBox(idx.map((i) => line.words[i]!.bbox)),
    ocr: Math.min(...idx.map((i) => line.words[i]!.confidence)),
    repaired: idx.some((i) => line.repaired[i]),
  };
}

/**
 * Words of OTHER lines on the same row, right of `box` (their vertical centre within the box's
 * vertical extent, their horizontal centre right of it): for engines that give each column its own
 * line ids, and values overlapping their label. Undefined when none.
 */
export function rowRightOf(layout: PageLayout, line: TextLine, box: BBox): TextLine | undefined {
  const words: LaidOutWord[] = [];
  for (const other of layout.lines) {
    if (other === line || other.bbox.y1 < box.y0 || other.bbox.y0 > box.y1) continue;
    for (const w of other.words) {
      const c = yCenter(w.bbox);
      if (c >= box.y0 && c <= box.y1 && (w.bbox.x0 + w.bbox.x1) / 2 >= box.x1) words.push(w);
    }
  }
  return words.length > 0 ? makeLine(layout.page, words) : undefined;
}

/**
 * The words under `box`: the first line below it (starting at most 2.5 line heights under its
 * bottom) that has words overlapping the box horizontally (widened by one line height each side),
 * and of that line only those words, plus the words glued to them by single spaces. For values
 * printed under their label (table headers, stacked forms). Undefined when none.
 */
export function below(layout: PageLayout, box: BBox): TextLine | undefined {
  const h = layout.lineHeight;
  const left = box.x0 - h;
  const right = box.x1 + h;
  for (const l of layout.lines) {
    if (yCenter(l.bbox) <= box.y1 || l.bbox.y0 < box.y1 - 0.3 * h) continue;
    if (l.bbox.y0 - box.y1 > 2.5 * h) break;
    const hit = l.words.map((w) => w.bbox.x1 >= left && w.bbox.x0 <= right);
    if (!hit.some(Boolean)) continue;
    // extend to the words of the same segment (single-space neighbours)
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < l.words.length; i++) {
        if (hit[i]) continue;
        const neighbour = (j: number) => hit[j] === true && l.text[Math.max(l.starts[i]!, l.starts[j]!) - 1] === ' ';
        if ((i > 0 && neighbour(i - 1)) || (i + 1 < l.words.length && neighbour(i + 1))) {
          hit[i] = true;
          changed = true;
        }
      }
    }
    return makeLine(layout.page, l.words.filter((_, i) => hit[i]));
  }
  return undefined;
}
