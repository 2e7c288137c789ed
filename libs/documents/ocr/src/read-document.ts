/**
 * `readDocument`: the words of every page of a supplier document, with their boxes and confidences.
 *
 * - PDF pages WITH a text layer are read directly with `pdftotext -bbox-layout` (no OCR, confidence 1);
 * - PDF pages without one (scans) are rasterised with `pdftoppm` (gray, 300 dpi by default) and read by
 *   the Tesseract CLI (`tsv` output: words, boxes, confidences), several pages at a time;
 * - PNG, JPEG and TIFF pictures are read by Tesseract directly (a multi-page TIFF in one run);
 * - a page scanned a quarter turn off (landscape) gets its boxes turned back upright ({@link uprightPage}).
 *
 * Everything runs as child processes with argument arrays (no shell), in a private temporary
 * directory (mode 0700, removed afterwards, also on errors), each page under a time limit. The engine
 * choice (Tesseract CLI rather than tesseract.js) is ADR 0028.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OcrPage } from '@cetate/documents-extraction';
import { detectDocumentType, pictureSize, tiffPageCount, type DocumentType } from './detect.js';
import { DocumentReadError, MAX_DOCUMENT_BYTES } from './errors.js';
import { parseBboxLayout, parseTesseractTsv, uprightPage } from './parse-output.js';
import { runTool, type ToolPaths } from './run-tool.js';
import { rereadNames } from './reread-names.js';
import type { OcrEngine } from './tesseract-js.js';

/** Where the words of a page came from. */
export type PageSource = 'text-layer' | 'ocr';

/** One progress event: a page was read (`page` 1-based, of `pages`), how, and how long it took (ms). */
export interface PageProgress {
  page: number;
  pages: number;
  source: PageSource;
  ms: number;
}

/** Options of {@link readDocument}. */
export interface ReadDocumentOptions {
  /** Declared MIME type, for messages only: the type is decided by the magic bytes. */
  mime?: string;
  /** Most pages accepted (default 50); more is `DOCUMENT_TOO_MANY_PAGES`, refused before any page is read. */
  maxPages?: number;
  /** Pages read at the same time (default 2: one Tesseract process per core on the 2-core target machine). */
  concurrency?: number;
  /** Tesseract languages, `+`-separated traineddata names (default `ron+eng`). */
  ocrLanguages?: string;
  /**
   * Languages of the second reading of the supplier and buyer name lines of a scanned page (default
   * `ron`; `''` turns it off): see {@link rereadNames} (ADR 0028). Skipped when it equals `ocrLanguages`,
   * with an `ocrEngine`, and for a multi-page TIFF.
   */
  nameLanguages?: string;
  /** Time limit per page in ms (default 60,000); reached: `OCR_TIMEOUT`. */
  pageTimeoutMs?: number;
  /** Rasterisation resolution of scanned PDF pages, dots per inch (default 300). */
  dpi?: number;
  /**
   * Largest picture handed to Tesseract, in pixels (default 50,000,000: A4 at 300 dpi is 8.7 million,
   * A3 at 400 dpi 31 million). A picture file announcing more is `DOCUMENT_TOO_LARGE` (checked on its
   * header, before anything decodes it); a scanned PDF page that would be larger at `dpi` is rasterised
   * at the lower resolution that fits.
   */
  maxPixels?: number;
  /**
   * Threads per Tesseract process (`OMP_THREAD_LIMIT`, default 1): pages already run in parallel, and
   * OpenMP threads on top of that only compete for the same cores (ADR 0028).
   */
  ocrThreads?: number;
  /**
   * Tesseract variables passed as `-c name=value` (e.g. `{ tessedit_do_invert: '0' }`); names and
   * values must match `^[a-z_][a-z0-9_]*$` and `^[\w.+-]*$` (they are arguments, never shell text).
   */
  ocrConfig?: Record<string, string>;
  /**
   * Engine for scanned pages and pictures instead of the Tesseract CLI (the default and production
   * engine, ADR 0028), e.g. {@link createTesseractJsEngine} to measure tesseract.js on the same pages.
   * `ocrThreads` and `ocrConfig` apply to the CLI only; an engine without `multiPageTiff` refuses a
   * multi-page TIFF (RangeError).
   */
  ocrEngine?: OcrEngine;
  /** Called once per page as soon as it is read (pages may complete out of order). */
  onPage?: (p: PageProgress) => void;
  signal?: AbortSignal;
  /** Paths of the programs (default: looked up in `PATH`). */
  tools?: ToolPaths;
}

/** Result of {@link readDocument}. */
export interface ReadDocumentResult {
  /** One entry per page, sorted by page number; boxes in PDF points for PDFs, in pixels for pictures. */
  pages: OcrPage[];
  /** `text-layer` when no page needed OCR, `ocr` when every page did, `mixed` otherwise. */
  source: PageSource | 'mixed';
  pageCount: number;
  /** Type found by the magic bytes. */
  type: DocumentType;
  /** Source of each page, same order as `pages`. */
  pageSources: PageSource[];
}

const DEFAULTS = { maxPages: 50, concurrency: 2, ocrLanguages: 'ron+eng', nameLanguages: 'ron', pageTimeoutMs: 60_000, dpi: 300, ocrThreads: 1, maxPixels: 50_000_000 };

/** Tesseract's answer when a language pack is missing: which one, and its Debian package. */
function missingLanguage(stderr: string): DocumentReadError | undefined {
  const m = /Failed loading language '([^']+)'/.exec(stderr);
  if (!m) return undefined;
  return new DocumentReadError(
    'OCR_ENGINE_MISSING',
    `Tesseract language data "${m[1]}" is not installed (Debian package tesseract-ocr-${m[1]}: apt-get install tesseract-ocr-${m[1]})`,
  );
}

/**
 * Reads every page of a document (PDF, PNG, JPEG, TIFF) into words with boxes and confidences.
 *
 * @param bytes the whole file (at most {@link MAX_DOCUMENT_BYTES})
 * @returns pages (sorted), how they were read, page count and type; see {@link ReadDocumentResult}
 * @throws DocumentReadError with code
 *   `DOCUMENT_TOO_LARGE` (more than 20 MiB, checked first; or a picture of more than `maxPixels`), `DOCUMENT_UNSUPPORTED_TYPE` (not a PDF,
 *   PNG, JPEG or TIFF by its magic bytes), `DOCUMENT_EMPTY` (0 bytes, or no word on any page),
 *   `DOCUMENT_TOO_MANY_PAGES` (more than `maxPages`, before any page is read), `DOCUMENT_ENCRYPTED`
 *   (a PDF that needs a password; a PDF with only an owner password is read), `DOCUMENT_CORRUPT`
 *   (the programs cannot read it), `OCR_ENGINE_MISSING` (a program or language pack is not installed;
 *   the message names the Debian package), `OCR_TIMEOUT` (one page took longer than `pageTimeoutMs`);
 *   the signal's reason when `signal` aborts.
 */
export async function readDocument(bytes: Uint8Array, opts: ReadDocumentOptions = {}): Promise<ReadDocumentResult> {
  const o = { ...DEFAULTS, ...definedOnly(opts) };
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    throw new DocumentReadError('DOCUMENT_TOO_LARGE', `the document has ${bytes.byteLength} bytes, more than the ${MAX_DOCUMENT_BYTES} accepted`);
  }
  if (bytes.byteLength === 0) throw new DocumentReadError('DOCUMENT_EMPTY', 'the document is an empty file (0 bytes)');
  const type = detectDocumentType(bytes);
  if (!type) {
    throw new DocumentReadError(
      'DOCUMENT_UNSUPPORTED_TYPE',
      `the document is not a PDF, PNG, JPEG or TIFF file (by its first bytes${opts.mime ? `; declared as ${opts.mime}` : ''})`,
    );
  }
  o.signal?.throwIfAborted();
  const dir = await mkdtemp(join(tmpdir(), 'cetate-ocr-'));
  try {
    const input = join(dir, `input.${type === 'jpeg' ? 'jpg' : type}`);
    await writeFile(input, bytes, { mode: 0o600 });
    const read = type === 'pdf' ? await readPdf(input, dir, o) : await readPicture(input, type, bytes, o);
    if (read.pages.every((p) => p.words.length === 0)) {
      throw new DocumentReadError('DOCUMENT_EMPTY', `no text was found on any of the ${read.pages.length} page(s)`);
    }
    const kinds = new Set(read.sources);
    return {
      pages: read.pages,
      pageSources: read.sources,
      source: kinds.size === 1 ? read.sources[0]! : 'mixed',
      pageCount: read.pages.length,
      type,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Resolved = typeof DEFAULTS & ReadDocumentOptions;

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface PagesRead {
  pages: OcrPage[];
  sources: PageSource[];
}

async function readPdf(input: string, dir: string, o: Resolved): Promise<PagesRead> {
  // One pdftotext run gives the page count, the page sizes and every text layer. It stops after
  // maxPages + 1 pages, so a 200-page file is refused after reading 51 pages of text, not 200.
  const t0 = performance.now();
  const textRun = await runTool('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', '-l', String(o.maxPages + 1), input, '-'], {
    timeoutMs: o.pageTimeoutMs,
    what: 'the text layer',
    signal: o.signal,
    paths: o.tools,
  });
  if (textRun.code !== 0) throw pdfOpenError(textRun.stderr);
  const layer = parseBboxLayout(textRun.stdout.toString('utf8'));
  const pageCount = layer.length;
  if (pageCount === 0) throw new DocumentReadError('DOCUMENT_CORRUPT', `the PDF has no page that can be read${firstLine(textRun.stderr) ? `: ${firstLine(textRun.stderr)}` : ''}`);
  if (pageCount > o.maxPages) {
    throw new DocumentReadError('DOCUMENT_TOO_MANY_PAGES', `the PDF has more than the ${o.maxPages} pages accepted`);
  }
  const perPage = (performance.now() - t0) / pageCount;
  const pages: OcrPage[] = [];
  const sources: PageSource[] = [];
  const toOcr: number[] = [];
  for (const page of layer) {
    if (page.words.some((w) => /[\p{L}\p{N}]/u.test(w.text))) {
      pages[page.page - 1] = page;
      sources[page.page - 1] = 'text-layer';
      o.onPage?.({ page: page.page, pages: pageCount, source: 'text-layer', ms: perPage });
    } else toOcr.push(page.page);
  }
  await eachLimited(toOcr, o.concurrency, async (p) => {
    const t = performance.now();
    const size = layer[p - 1]!;
    pages[p - 1] = await ocrPdfPage(input, dir, p, { ...o, dpi: fittingDpi(size.width, size.height, o.dpi, o.maxPixels) });
    sources[p - 1] = 'ocr';
    o.onPage?.({ page: p, pages: pageCount, source: 'ocr', ms: performance.now() - t });
  });
  return { pages, sources };
}

/**
 * Resolution (dots per inch) at which a page of `width` × `height` PDF points stays within `maxPixels`:
 * `dpi`, or the highest whole resolution that fits for an oversized page (at least 1).
 */
export function fittingDpi(width: number, height: number, dpi: number, maxPixels: number): number {
  const pixels = ((width * dpi) / 72) * ((height * dpi) / 72);
  if (pixels <= maxPixels || width <= 0 || height <= 0) return dpi;
  return Math.max(1, Math.floor(dpi * Math.sqrt(maxPixels / pixels)));
}

/** Rasterises one PDF page and reads it with Tesseract; coordinates converted to PDF points. */
async function ocrPdfPage(input: string, dir: string, page: number, o: Resolved): Promise<OcrPage> {
  const deadline = performance.now() + o.pageTimeoutMs;
  const prefix = join(dir, `page-${page}`);
  const raster = await runTool('pdftoppm', ['-r', String(o.dpi), '-gray', '-f', String(page), '-l', String(page), '-singlefile', input, prefix], {
    timeoutMs: o.pageTimeoutMs,
    what: `page ${page}`,
    signal: o.signal,
    paths: o.tools,
  });
  if (raster.code !== 0) throw pdfOpenError(raster.stderr);
  const image = `${prefix}.pgm`;
  try {
    const read = await tesseract(image, { ...o, pageTimeoutMs: Math.max(1, deadline - performance.now()) }, `page ${page}`, o.dpi);
    const [ocr] = parseTesseractTsv(read, page - 1, 72 / o.dpi);
    if (!ocr) return { page, width: 0, height: 0, words: [] };
    return uprightPage(await namesAgain(ocr, image, 72 / o.dpi, o, deadline, o.dpi));
  } finally {
    await rm(image, { force: true });
  }
}

async function readPicture(input: string, type: Exclude<DocumentType, 'pdf'>, bytes: Uint8Array, o: Resolved): Promise<PagesRead> {
  const pageCount = type === 'tiff' ? tiffPageCount(bytes) : 1;
  if (pageCount === 0) throw new DocumentReadError('DOCUMENT_CORRUPT', 'the TIFF file has no image directory');
  if (pageCount > o.maxPages) {
    throw new DocumentReadError('DOCUMENT_TOO_MANY_PAGES', `the TIFF file has ${pageCount} pages, more than the ${o.maxPages} accepted`);
  }
  const size = pictureSize(bytes);
  if (size && size.width * size.height > o.maxPixels) {
    throw new DocumentReadError('DOCUMENT_TOO_LARGE', `the picture has ${size.width} × ${size.height} pixels, more than the ${o.maxPixels} accepted`);
  }
  if (pageCount > 1 && o.ocrEngine && !o.ocrEngine.multiPageTiff) throw new RangeError(`${o.ocrEngine.name} reads one page of a TIFF file, this one has ${pageCount}`);
  const t = performance.now();
  const tsv = await tesseract(input, { ...o, pageTimeoutMs: o.pageTimeoutMs * pageCount }, pageCount === 1 ? 'the picture' : `${pageCount} pages`);
  const deadline = t + o.pageTimeoutMs * pageCount;
  let read = parseTesseractTsv(tsv);
  if (pageCount === 1 && read[0]) read = [await namesAgain(read[0], input, 1, o, deadline)];
  read = read.map(uprightPage);
  const ms = (performance.now() - t) / Math.max(1, read.length);
  const pages: OcrPage[] = [];
  for (let p = 1; p <= pageCount; p++) {
    pages.push(read.find((r) => r.page === p) ?? { page: p, width: 0, height: 0, words: [] });
    o.onPage?.({ page: p, pages: pageCount, source: 'ocr', ms });
  }
  return { pages, sources: pages.map(() => 'ocr') };
}

/**
 * The page with its party names read a second time with `o.nameLanguages` ({@link rereadNames}), within
 * what is left of the page's time limit; the page as it is when that is off or not possible (an
 * `ocrEngine`, the same languages as the page run).
 */
async function namesAgain(page: OcrPage, image: string, scale: number, o: Resolved, deadline: number, dpi?: number): Promise<OcrPage> {
  if (!o.nameLanguages || o.nameLanguages === o.ocrLanguages || o.ocrEngine) return page;
  const r = await rereadNames(page, image, scale, {
    languages: o.nameLanguages,
    timeoutMs: Math.max(1, deadline - performance.now()),
    threads: o.ocrThreads,
    ...(dpi ? { dpi } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.tools ? { tools: o.tools } : {}),
  });
  return r.page;
}

/**
 * Runs `tesseract IMAGE stdout -l LANGS --psm 3 [--dpi DPI] tsv` and returns the TSV text, or asks
 * `o.ocrEngine` when one is given. `dpi`: the resolution of a rasterised PDF page (absent for a picture).
 */
async function tesseract(image: string, o: Resolved, what: string, dpi?: number): Promise<string> {
  if (o.ocrEngine) {
    return o.ocrEngine.recognize({ image, languages: o.ocrLanguages, timeoutMs: o.pageTimeoutMs, what, ...(dpi ? { dpi } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  }
  const extra = dpi ? ['--dpi', String(dpi)] : [];
  const config = Object.entries(o.ocrConfig ?? {}).flatMap(([k, v]) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(k) || !/^[\w.+-]*$/.test(v)) throw new RangeError(`invalid Tesseract variable ${k}=${v}`);
    return ['-c', `${k}=${v}`];
  });
  const run = await runTool('tesseract', [image, 'stdout', '-l', o.ocrLanguages, '--psm', '3', ...extra, ...config, 'tsv'], {
    timeoutMs: o.pageTimeoutMs,
    what,
    signal: o.signal,
    paths: o.tools,
    env: { OMP_THREAD_LIMIT: String(o.ocrThreads) },
  });
  if (run.code !== 0) {
    throw (
      missingLanguage(run.stderr) ??
      new DocumentReadError('DOCUMENT_CORRUPT', `Tesseract could not read ${what}: ${firstLine(run.stderr) || `exit code ${run.code}`}`)
    );
  }
  return run.stdout.toString('utf8');
}

/** The error for a PDF that poppler could not open: a password is needed, or it is damaged. */
function pdfOpenError(stderr: string): DocumentReadError {
  if (/incorrect password/i.test(stderr)) {
    return new DocumentReadError('DOCUMENT_ENCRYPTED', 'the PDF is encrypted and needs a password to be opened');
  }
  return new DocumentReadError('DOCUMENT_CORRUPT', `the PDF cannot be read: ${firstLine(stderr) || 'no reason given'}`);
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !/^(Estimating resolution|Warning|Detected \d+ diacritics)/.test(l)) ?? ''
  ).slice(0, 200);
}

/** Runs `fn` over `items` with at most `limit` at a time; the first failure is thrown once all started ones settle. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failed) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.err;
}

/** Reads a file from disk and calls {@link readDocument} (convenience for tools). */
export async function readDocumentFile(path: string, opts: ReadDocumentOptions = {}): Promise<ReadDocumentResult> {
  return readDocument(await readFile(path), opts);
}
