/**
 * Second reading of the party names of a scanned page with the Romanian model alone (ADR 0028,
 * "Party names read twice").
 *
 * With `ron+eng` Tesseract reads codes and amounts best but often prefers the English model's reading
 * of a name without its diacritics ("Martisor" for "Mărțișor"); `ron` alone reads the names right but
 * codes worse. So the page is read with `ron+eng`, the fields are extracted from that page, and the
 * lines of the supplier (BT-27) and buyer (BT-44) names are read once more with `ron` only, in one
 * Tesseract run for all of them: a rasterised PDF page (PGM) has the name boxes (plus a margin) cut
 * out and stacked into one small picture; a picture file is read whole, restricted to those boxes by a
 * UNLV zone file (`IMAGE.uzn`, one `left top width height` row per box) next to it. Page segmentation
 * mode 6: each zone one block (mode 7 merges several zones into one line, measured on Tesseract 5.3).
 *
 * The second reading replaces the words of a name only when it is the same text up to diacritics and
 * letter case ({@link sameUpToDiacritics}): it can restore `ă â î ș ț`, never change a name into
 * another one. The replaced words carry the confidences of the second reading.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
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
function zoneOf(b: BBox, toPixels: number, width: number, height: number): Zone {
  const m = Math.max(4, 0.25 * (b.y1 - b.y0) * toPixels);
  const x0 = Math.max(0, Math.floor(b.x0 * toPixels - m));
  const y0 = Math.max(0, Math.floor(b.y0 * toPixels - m));
  const x1 = Math.min(width, Math.ceil(b.x1 * toPixels + m));
  const y1 = Math.min(height, Math.ceil(b.y1 * toPixels + m));
  return { left: x0, top: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** A rectangle of an image, pixels. */
interface Zone {
  left: number;
  top: number;
  width: number;
  height: number;
}

const STACK_GAP = 24;

/**
 * Cuts `zones` out of a binary 8-bit PGM (as `pdftoppm -gray` writes it) and writes them one under the
 * other, `STACK_GAP` white pixels apart, to `IMAGE-names.pgm`; returns that path and where each zone
 * now is. Undefined when the file is not such a PGM (the caller then uses zones on the whole image).
 */
async function stackZones(image: string, zones: readonly Zone[]): Promise<{ image: string; zones: Zone[] } | undefined> {
  const bytes = await readFile(image);
  const head = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!head) return undefined;
  const w = Number(head[1]);
  const h = Number(head[2]);
  const data = head[0].length;
  if (bytes.length < data + w * h) return undefined;
  const width = Math.max(...zones.map((z) => z.width)) + 2 * STACK_GAP;
  const height = zones.reduce((sum, z) => sum + z.height + STACK_GAP, STACK_GAP);
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const out = Buffer.alloc(header.length + width * height, 255);
  header.copy(out);
  const placed: Zone[] = [];
  let top = STACK_GAP;
  for (const z of zones) {
    for (let y = 0; y < z.height && z.top + y < h; y++) {
      const from = data + (z.top + y) * w + z.left;
      bytes.copy(out, header.length + (top + y) * width + STACK_GAP, from, from + Math.min(z.width, w - z.left));
    }
    placed.push({ left: STACK_GAP, top, width: z.width, height: z.height });
    top += z.height + STACK_GAP;
  }
  const path = image.replace(/\.pgm$/, '') + '-names.pgm';
  await writeFile(path, out, { mode: 0o600 });
  return { image: path, zones: placed };
}

/**
 * Reads the supplier and buyer name lines of one scanned page again with `o.languages` and returns the
 * page with the words of each name replaced by that reading when it is the same text up to diacritics
 * and case (otherwise the page's words are kept). One Tesseract run for all the names of the page.
 *
 * @param page the page as read by the page run, in the image's orientation (before {@link uprightPage});
 *   a page whose lines do not read left to right is returned as it is
 * @param image path of the image the page was read from: a rasterised PDF page (binary PGM; the name
 *   boxes are cut out to `IMAGE-names.pgm`) or a one-page picture; the zone file (`.uzn`, same name) and
 *   the cut-out are written next to it and removed afterwards
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
  // a rasterised PDF page (binary PGM): the zones cut out and stacked into a small picture, so that
  // Tesseract decodes and binarises a few lines instead of the whole page; a picture: zones on it
  const stack = image.endsWith('.pgm') ? await stackZones(image, zones) : undefined;
  const input = stack?.image ?? image;
  const placed = stack?.zones ?? zones;
  const uzn = input.replace(/\.[^./]*$/, '') + '.uzn';
  await writeFile(uzn, placed.map((z, i) => `${z.left} ${z.top} ${z.width} ${z.height} name${i + 1}\n`).join(''), { mode: 0o600 });
  let tsv: string;
  try {
    const run = await runTool('tesseract', [input, 'stdout', '-l', o.languages, '--psm', '6', ...(o.dpi ? ['--dpi', String(o.dpi)] : []), 'tsv'], {
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
    if (stack) await rm(stack.image, { force: true });
  }
  const again = parseTesseractTsv(tsv)[0]?.words ?? [];
  let words = page.words;
  let replaced = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    const z = zones[i]!;
    const p = placed[i]!;
    // the words of zone i (Tesseract gives each zone its own block), moved back to the page, in page units
    const dx = z.left - p.left;
    const dy = z.top - p.top;
    const read = again
      .filter((w) => {
        const cx = (w.bbox.x0 + w.bbox.x1) / 2;
        const cy = (w.bbox.y0 + w.bbox.y1) / 2;
        return cx >= p.left && cx <= p.left + p.width && cy >= p.top && cy <= p.top + p.height;
      })
      .map((w) => ({ ...w, bbox: { x0: (w.bbox.x0 + dx) * scale, y0: (w.bbox.y0 + dy) * scale, x1: (w.bbox.x1 + dx) * scale, y1: (w.bbox.y1 + dy) * scale } }));
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
