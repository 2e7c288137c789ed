/**
 * Second reading of the party names of a scanned page with the Romanian model alone (ADR 0028,
 * "Party names read twice").
 *
 * With `ron+eng` Tesseract reads codes and amounts best but often prefers the English model's reading
 * of a name without its diacritics ("Martisor" for "Mărțișor"); `ron` alone reads the names right but
 * codes worse. So the page is read with `ron+eng`, the fields are extracted from that page, and the
 * lines of the supplier (BT-27) and buyer (BT-44) names are read once more with `ron` only, in one
 * Tesseract run over the same image restricted to those lines: a UNLV zone file (`IMAGE.uzn`, one
 * `left top width height` row per name box plus a margin) next to the image, page segmentation mode 6
 * (each zone one block; mode 7 merges several zones into one line, measured on Tesseract 5.3).
 *
 * The second reading replaces the words of a name only when it is the same text up to diacritics and
 * letter case ({@link sameUpToDiacritics}): it can restore `ă â î ș ț`, never change a name into
 * another one. The replaced words carry the confidences of the second reading.
 */
import { writeFile, rm } from 'node:fs/promises';
import { extractInvoice, foldForMatch, normalizeDiacritics, type BBox, type Field, type OcrPage, type OcrWord } from '@cetate/documents-extraction';
import { parseTesseractTsv, textOrientation } from './parse-output.js';
import { runTool, type ToolPaths } from './run-tool.js';

/** What {@link rereadNames} needs of the page run's settings. */
export interface RereadOptions {
  /** Languages of the second reading (default `ron`). */
  languages: string;
  /** Time limit of the Tesseract run, ms. */
  timeoutMs: number;
  /** `OMP_THREAD_LIMIT` of the Tesseract run (as for the page). */
  threads: number;
  /** Resolution of the image in dots per inch (a rasterised PDF page), absent for a picture. */
  dpi?: number;
  signal?: AbortSignal;
  tools?: ToolPaths;
}

/** What the second reading did, for tests and the bench. */
export interface RereadReport {
  /** Names whose line was read again (0 when the page has none, or is not upright). */
  zones: number;
  /** Names whose words were replaced by the second reading (same text up to diacritics and case). */
  replaced: number;
}

/**
 * True when `a` and `b` are the same text once diacritics (ă â î ș ț, cedilla or comma below), letter
 * case and runs of white space are ignored: `'MARTISOR  SA'` and `'Mărțișor SA'` are, `'Martisor SA'`
 * and `'Marțișor SRL'` are not.
 */
export function sameUpToDiacritics(a: string, b: string): boolean {
  const key = (s: string) => foldForMatch(normalizeDiacritics(s)).replace(/\s+/g, ' ').trim();
  return key(a) === key(b);
}

/** The words of `page` that a name field covers: their centre inside the field's box. */
function wordsOf(page: OcrPage, f: Field): OcrWord[] {
  return page.words.filter((w) => {
    const cx = (w.bbox.x0 + w.bbox.x1) / 2;
    const cy = (w.bbox.y0 + w.bbox.y1) / 2;
    return cx >= f.bbox.x0 && cx <= f.bbox.x1 && cy >= f.bbox.y0 && cy <= f.bbox.y1;
  });
}

/** The zone of a name box in image pixels: the box grown by a quarter of its height (at least 4 px), inside the image. */
function zoneOf(b: BBox, toPixels: number, width: number, height: number): { left: number; top: number; width: number; height: number } {
  const m = Math.max(4, 0.25 * (b.y1 - b.y0) * toPixels);
  const x0 = Math.max(0, Math.floor(b.x0 * toPixels - m));
  const y0 = Math.max(0, Math.floor(b.y0 * toPixels - m));
  const x1 = Math.min(width, Math.ceil(b.x1 * toPixels + m));
  const y1 = Math.min(height, Math.ceil(b.y1 * toPixels + m));
  return { left: x0, top: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/**
 * Reads the supplier and buyer name lines of one scanned page again with `o.languages` and returns the
 * page with the words of each name replaced by that reading when it is the same text up to diacritics
 * and case (otherwise the page's words are kept). One Tesseract run for all the names of the page.
 *
 * @param page the page as read by the page run, in the image's orientation (before {@link uprightPage});
 *   a page whose lines do not read left to right is returned as it is
 * @param image path of the image the page was read from (a rasterised PDF page, or a one-page picture);
 *   `IMAGE.uzn` (same name, `.uzn` extension) is written next to it and removed afterwards
 * @param scale page units per image pixel (72/dpi for a PDF page in points, 1 for a picture)
 * @throws DocumentReadError as `runTool` does (`OCR_TIMEOUT`, `OCR_ENGINE_MISSING`); a Tesseract exit
 *   code other than 0 keeps the page as it is (the first reading stands)
 */
export async function rereadNames(page: OcrPage, image: string, scale: number, o: RereadOptions): Promise<{ page: OcrPage; report: RereadReport }> {
  const none = { page, report: { zones: 0, replaced: 0 } };
  if (page.words.length === 0 || textOrientation(page) !== 'upright') return none;
  const inv = extractInvoice([page]);
  const names = [inv.supplier.name, inv.buyer.name].filter((f): f is Field => !!f && f.page === page.page);
  const targets = names
    .map((f) => ({ field: f, words: wordsOf(page, f) }))
    .filter((t, i, all) => t.words.length > 0 && all.findIndex((u) => u.words[0] === t.words[0]) === i);
  if (targets.length === 0) return none;
  const toPixels = 1 / scale;
  const width = Math.round(page.width * toPixels);
  const height = Math.round(page.height * toPixels);
  const zones = targets.map((t) => zoneOf(t.field.bbox, toPixels, width, height));
  const uzn = image.replace(/\.[^./]*$/, '') + '.uzn';
  await writeFile(uzn, zones.map((z, i) => `${z.left} ${z.top} ${z.width} ${z.height} name${i + 1}\n`).join(''), { mode: 0o600 });
  let tsv: string;
  try {
    const run = await runTool('tesseract', [image, 'stdout', '-l', o.languages, '--psm', '6', ...(o.dpi ? ['--dpi', String(o.dpi)] : []), 'tsv'], {
      timeoutMs: o.timeoutMs,
      what: `the party names of page ${page.page}`,
      signal: o.signal,
      paths: o.tools,
      env: { OMP_THREAD_LIMIT: String(o.threads) },
    });
    if (run.code !== 0) return { page, report: { zones: zones.length, replaced: 0 } };
    tsv = run.stdout.toString('utf8');
  } finally {
    await rm(uzn, { force: true });
  }
  const [again] = parseTesseractTsv(tsv, page.page - 1, scale);
  let words = page.words;
  let replaced = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    const z = zones[i]!;
    // the words of zone i: Tesseract gives each zone its own block, in zone order; the boxes tell them apart
    const read = (again?.words ?? []).filter((w) => {
      const cx = (w.bbox.x0 + w.bbox.x1) / 2 / scale;
      const cy = (w.bbox.y0 + w.bbox.y1) / 2 / scale;
      return cx >= z.left && cx <= z.left + z.width && cy >= z.top && cy <= z.top + z.height;
    });
    if (read.length === 0 || !sameUpToDiacritics(read.map((w) => w.text).join(' '), t.words.map((w) => w.text).join(' '))) continue;
    const line = t.words[0]!.line;
    const at = words.indexOf(t.words[0]!);
    const gone = new Set(t.words);
    const fresh = read.map(({ line: _own, ...w }) => (line !== undefined ? { ...w, line } : w));
    words = [...words.slice(0, at).filter((w) => !gone.has(w)), ...fresh, ...words.slice(at).filter((w) => !gone.has(w))];
    replaced++;
  }
  return { page: replaced ? { ...page, words } : page, report: { zones: zones.length, replaced } };
}
