/**
 * tesseract.js (Tesseract compiled to WebAssembly, run in Node worker threads) as an alternative OCR
 * engine for {@link readDocument}, so it can be measured against the Tesseract CLI on the same pages
 * and the same traineddata (issue 9, ADR 0028). It is NOT the production engine: the CLI measured
 * better (ADR 0028), and `tesseract.js` is a devDependency, loaded here with a dynamic `import()` only
 * when {@link createTesseractJsEngine} is called.
 *
 * Nothing is downloaded: the WebAssembly core comes from the installed `tesseract.js-core` package
 * (tesseract.js `require`s it in Node), and the traineddata are read uncompressed (`gzip: false`) from
 * `langPath`, by default Debian's `/usr/share/tesseract-ocr/5/tessdata` (the files the CLI reads), with
 * the cache turned off (`cacheMethod: 'none'`: no copy written to the working directory, no CDN).
 */
import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Worker } from 'tesseract.js';
import { DocumentReadError } from './errors.js';

/** What {@link readDocument} asks an {@link OcrEngine} to read. */
export interface OcrRecognizeRequest {
  /** Path of a picture: PGM (a rasterised PDF page), PNG, JPEG or a single-page TIFF. */
  image: string;
  /** `+`-separated traineddata names; must be the ones the engine was created with. */
  languages: string;
  /** Resolution to assume (a rasterised PDF page); absent: the picture's own (PNG pHYs, TIFF, JPEG). */
  dpi?: number;
  /** Time limit in ms; reached: `OCR_TIMEOUT`. */
  timeoutMs: number;
  /** For messages ("page 3", "the picture"). */
  what: string;
  signal?: AbortSignal;
}

/**
 * An OCR engine other than the default Tesseract CLI, for {@link ReadDocumentOptions.ocrEngine}: reads
 * one picture with page segmentation mode 3 (automatic layout, as the CLI) and returns Tesseract's TSV
 * (the columns of `tesseract IMAGE stdout tsv`, page number 1), which {@link parseTesseractTsv} reads.
 */
export interface OcrEngine {
  /** Name for reports (`tesseract.js 7.0.0`). */
  readonly name: string;
  /** False when the engine reads only the first page of a multi-page TIFF (then such a TIFF is refused). */
  readonly multiPageTiff: boolean;
  /** @returns the TSV text; @throws DocumentReadError `OCR_TIMEOUT`, `DOCUMENT_CORRUPT` (the picture cannot be decoded). */
  recognize(req: OcrRecognizeRequest): Promise<string>;
}

/** A tesseract.js engine: {@link OcrEngine} plus the time its workers took to start, and `terminate`. */
export interface TesseractJsEngine extends OcrEngine {
  /** Milliseconds it took to start the workers (load the WebAssembly core, read and initialise the traineddata). */
  readonly startMs: number;
  /** Stops every worker thread; the engine cannot be used afterwards. */
  terminate(): Promise<void>;
}

/** Options of {@link createTesseractJsEngine}. */
export interface TesseractJsEngineOptions {
  /** `+`-separated traineddata names (default `ron+eng`, as the CLI engine). */
  languages?: string;
  /** Folder of the uncompressed `.traineddata` files (default `/usr/share/tesseract-ocr/5/tessdata`, Debian's). */
  langPath?: string;
  /** Worker threads, i.e. pages read at the same time (default 2, one per core as the CLI engine). */
  workers?: number;
}

/** Debian's tessdata folder (packages `tesseract-ocr-eng`, `tesseract-ocr-ron`). */
export const DEBIAN_TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';

/**
 * Starts `workers` tesseract.js workers on the local traineddata (LSTM engine, OEM 1, as the CLI uses
 * with these "fast" models) and returns an {@link OcrEngine} that hands each page to a free worker.
 * A page that exceeds its time limit terminates its worker (WebAssembly cannot be interrupted
 * otherwise); a new one is started for the next page.
 * @throws DocumentReadError `OCR_ENGINE_MISSING` when tesseract.js or a traineddata file is missing
 */
export async function createTesseractJsEngine(opts: TesseractJsEngineOptions = {}): Promise<TesseractJsEngine> {
  const languages = opts.languages ?? 'ron+eng';
  const langPath = opts.langPath ?? DEBIAN_TESSDATA;
  const size = Math.max(1, opts.workers ?? 2);
  let tesseract: typeof import('tesseract.js');
  try {
    tesseract = await import('tesseract.js');
  } catch (err) {
    throw new DocumentReadError('OCR_ENGINE_MISSING', `tesseract.js is not installed (npm package tesseract.js): ${(err as Error).message}`);
  }
  const { version } = createRequire(import.meta.url)('tesseract.js/package.json') as { version: string };
  for (const lang of languages.split('+')) {
    try {
      await access(`${langPath}/${lang}.traineddata`);
    } catch {
      // checked here: tesseract.js would otherwise report a bare "Error: ENOENT" from its worker thread
      throw new DocumentReadError('OCR_ENGINE_MISSING', `${langPath}/${lang}.traineddata is missing (Debian package tesseract-ocr-${lang})`);
    }
  }
  const start = async (): Promise<Worker> => {
    const worker = await tesseract.createWorker(languages, tesseract.OEM.LSTM_ONLY, { langPath, gzip: false, cacheMethod: 'none' });
    await worker.setParameters({ tessedit_pageseg_mode: tesseract.PSM.AUTO });
    return worker;
  };
  const t0 = performance.now();
  const idle: Worker[] = await Promise.all(Array.from({ length: size }, start));
  const startMs = performance.now() - t0;
  const waiting: ((w: Worker) => void)[] = [];
  let closed = false;
  const acquire = () => new Promise<Worker>((resolve) => (idle.length ? resolve(idle.pop()!) : waiting.push(resolve)));
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };

  return {
    name: `tesseract.js ${version} (WebAssembly, ${size} worker threads)`,
    multiPageTiff: false,
    startMs,
    async recognize(req) {
      if (closed) throw new Error('the tesseract.js engine was terminated');
      if (req.languages !== languages) throw new RangeError(`this tesseract.js engine reads ${languages}, not ${req.languages}`);
      req.signal?.throwIfAborted();
      const bytes = await readFile(req.image);
      const worker = await acquire();
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      try {
        await worker.setParameters({ user_defined_dpi: String(req.dpi ?? 0) });
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new DocumentReadError('OCR_TIMEOUT', `reading ${req.what} took longer than ${req.timeoutMs} ms`));
          }, req.timeoutMs);
        });
        const result = await Promise.race([worker.recognize(bytes, {}, { tsv: true, text: false, blocks: false }), deadline]);
        return result.data.tsv ?? '';
      } catch (err) {
        if (err instanceof DocumentReadError) throw err;
        throw new DocumentReadError('DOCUMENT_CORRUPT', `tesseract.js could not read ${req.what}: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
      } finally {
        clearTimeout(timer);
        if (timedOut) {
          // the worker is still busy with the page: stop it and start a fresh one for the next page
          void worker.terminate().catch(() => undefined);
          if (!closed) void start().then(release, () => undefined);
        } else release(worker);
      }
    },
    async terminate() {
      closed = true;
      await Promise.all(idle.splice(0).map((w) => w.terminate()));
    },
  };
}
