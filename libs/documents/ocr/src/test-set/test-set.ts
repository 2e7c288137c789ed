/**
 * The project's own OCR test set (issue 9): invoices generated from random data ({@link randomInvoice}),
 * printed to a PDF with a text layer ({@link renderInvoicePdf}), rasterised at 300 dpi and saved as the
 * files a supplier invoice arrives as: clean (PNG, TIFF, a scan wrapped in a PDF without text layer)
 * and degraded (scaled down, rotated 1-2°, blurred, noisy, JPEG-compressed, and a degraded scan in a
 * PDF). Each invoice's folder holds its files and `truth.json` (the {@link InvoiceTruth}).
 *
 * Deterministic by seed: the same seed and count give the same files (the bench regenerates nothing
 * when `manifest.json` already matches). Written to an ignored folder, never committed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomInvoice, type InvoiceTruth, type TestInvoice } from './invoice-data.js';
import { Rng } from './random.js';
import { addNoise, blurImage, encodeJpeg, encodePng, encodeTiff, imagePdf, rasterizePdfPage, rotateImage, scaleImage, type GrayImage } from './raster.js';
import { renderInvoicePdf } from './render-pdf.js';

/** How a file of the test set was made. */
export type TestSetVariant =
  | 'text-pdf'
  | 'clean-png'
  | 'clean-tiff'
  | 'clean-scan-pdf'
  | 'scaled'
  | 'rotated'
  | 'blurred'
  | 'noisy'
  | 'jpeg'
  | 'degraded-scan-pdf';

/** Accuracy group of a variant: a text-layer PDF, a clean scan, or a degraded scan. */
export type TestSetGroup = 'text-layer' | 'clean' | 'degraded';

/** Group of each variant. */
export const VARIANT_GROUPS: Readonly<Record<TestSetVariant, TestSetGroup>> = {
  'text-pdf': 'text-layer',
  'clean-png': 'clean',
  'clean-tiff': 'clean',
  'clean-scan-pdf': 'clean',
  scaled: 'degraded',
  rotated: 'degraded',
  blurred: 'degraded',
  noisy: 'degraded',
  jpeg: 'degraded',
  'degraded-scan-pdf': 'degraded',
};

/** Every variant, in the order files are made. */
export const ALL_VARIANTS = Object.keys(VARIANT_GROUPS) as TestSetVariant[];

/** One file of the test set. */
export interface TestSetItem {
  invoice: string;
  variant: TestSetVariant;
  group: TestSetGroup;
  /** Path relative to the test set folder. */
  file: string;
  /** Ground truth, path relative to the test set folder. */
  truthFile: string;
  /** What was done to the picture, in words ("rotated -1.42°, 300 dpi"). */
  description: string;
}

/** `manifest.json` of a generated test set. */
export interface TestSetManifest {
  /** Generator version: a new version regenerates the files. */
  version: number;
  seed: string;
  invoices: number;
  variants: TestSetVariant[];
  items: TestSetItem[];
}

/** Bumped whenever the generator's output changes. */
export const TEST_SET_VERSION = 2;

/** Options of {@link generateOcrTestSet}. */
export interface GenerateOptions {
  /** Number of invoices (each gives one file per variant). */
  invoices: number;
  /** Seed of the random data and of the faults (default `"cetate-ocr"`). */
  seed?: string;
  /** Variants to make (default all). */
  variants?: readonly TestSetVariant[];
  /** Called after each invoice's files are written. */
  onInvoice?: (done: number, total: number) => void;
}

/** Reads the ground truth saved next to a test set file. */
export async function readTruth(dir: string, item: TestSetItem): Promise<InvoiceTruth> {
  return JSON.parse(await readFile(join(dir, item.truthFile), 'utf8')) as InvoiceTruth;
}

/**
 * Generates the test set into `dir` (created; its previous content is replaced unless `manifest.json`
 * already describes the same version, seed, count and variants, in which case nothing is done).
 * @returns the manifest (also written to `dir/manifest.json`)
 */
export async function generateOcrTestSet(dir: string, opts: GenerateOptions): Promise<TestSetManifest> {
  const seed = opts.seed ?? 'cetate-ocr';
  const variants = [...(opts.variants ?? ALL_VARIANTS)];
  const manifestFile = join(dir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const old = JSON.parse(await readFile(manifestFile, 'utf8')) as TestSetManifest;
    if (old.version === TEST_SET_VERSION && old.seed === seed && old.invoices === opts.invoices && old.variants.join() === variants.join()) return old;
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const items: TestSetItem[] = [];
  for (let i = 0; i < opts.invoices; i++) {
    const inv = randomInvoice(`${seed}-${i + 1}`);
    const id = `invoice-${String(i + 1).padStart(4, '0')}`;
    items.push(...(await writeInvoiceFiles(dir, id, inv, variants)));
    opts.onInvoice?.(i + 1, opts.invoices);
  }
  const manifest: TestSetManifest = { version: TEST_SET_VERSION, seed, invoices: opts.invoices, variants, items };
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
  return manifest;
}

/** The bytes of one variant of an invoice, and its file extension and description. */
export interface VariantFile {
  bytes: Uint8Array;
  ext: string;
  description: string;
}

/**
 * Makes the files of one invoice: `pdf` is its text-layer PDF, `page` its 300 dpi rasterisation.
 * Fault sizes are drawn from a generator seeded with the invoice id, so they vary between invoices
 * and stay the same between runs.
 */
export async function makeVariant(variant: TestSetVariant, pdf: Uint8Array, page: GrayImage, rng: Rng): Promise<VariantFile> {
  const between = (a: number, b: number) => a + (b - a) * rng.next();
  const sign = () => (rng.chance(0.5) ? -1 : 1);
  switch (variant) {
    case 'text-pdf':
      return { bytes: pdf, ext: 'pdf', description: 'PDF with text layer' };
    case 'clean-png':
      return { bytes: encodePng(page), ext: 'png', description: 'PNG, 300 dpi' };
    case 'clean-tiff':
      return { bytes: await encodeTiff(page), ext: 'tif', description: 'TIFF (LZW), 300 dpi' };
    case 'clean-scan-pdf':
      return { bytes: await imagePdf(page), ext: 'pdf', description: 'PDF without text layer (Flate gray page), 300 dpi' };
    case 'scaled': {
      const f = between(0.5, 0.6);
      return { bytes: encodePng(scaleImage(page, f)), ext: 'png', description: `scaled to ${Math.round(300 * f)} dpi` };
    }
    case 'rotated': {
      const deg = sign() * between(1, 2);
      return { bytes: encodePng(rotateImage(page, deg)), ext: 'png', description: `rotated ${deg.toFixed(2)}°` };
    }
    case 'blurred': {
      const sigma = between(1.0, 1.6);
      return { bytes: encodePng(blurImage(page, sigma)), ext: 'png', description: `Gaussian blur σ ${sigma.toFixed(2)} px at 300 dpi` };
    }
    case 'noisy': {
      const sigma = between(20, 35);
      const specks = between(0.002, 0.005);
      return { bytes: encodePng(addNoise(page, rng, sigma, specks)), ext: 'png', description: `Gaussian noise σ ${sigma.toFixed(0)} + ${(specks * 100).toFixed(2)}% specks` };
    }
    case 'jpeg': {
      const q = Math.round(between(20, 40));
      return { bytes: await encodeJpeg(scaleImage(page, 2 / 3), q), ext: 'jpg', description: `JPEG quality ${q}, 200 dpi` };
    }
    case 'degraded-scan-pdf': {
      const deg = sign() * between(0.5, 1.5);
      const q = Math.round(between(35, 60));
      let img = scaleImage(rotateImage(page, deg), 2 / 3);
      img = addNoise(blurImage(img, 0.7), rng, 12, 0.001);
      const jpeg = await encodeJpeg(img, q);
      return {
        bytes: await imagePdf({ jpeg, width: img.width, height: img.height, dpi: img.dpi }),
        ext: 'pdf',
        description: `PDF without text layer: 200 dpi, rotated ${deg.toFixed(2)}°, blur, noise, JPEG quality ${q}`,
      };
    }
  }
}

async function writeInvoiceFiles(dir: string, id: string, inv: TestInvoice, variants: readonly TestSetVariant[]): Promise<TestSetItem[]> {
  const folder = join(dir, id);
  await mkdir(folder, { recursive: true });
  const truthFile = `${id}/truth.json`;
  await writeFile(join(dir, truthFile), JSON.stringify(inv.truth, null, 2));
  await writeFile(join(folder, 'invoice.json'), JSON.stringify(inv, null, 2));
  const pdf = await renderInvoicePdf(inv);
  const textPdf = join(folder, 'text.pdf');
  await writeFile(textPdf, pdf);
  const needsPage = variants.some((v) => v !== 'text-pdf');
  const page = needsPage ? await rasterizePdfPage(textPdf, 300) : undefined;
  const items: TestSetItem[] = [];
  for (const variant of variants) {
    const rng = new Rng(`${id}/${variant}`);
    const made = variant === 'text-pdf' ? { bytes: pdf, ext: 'pdf', description: 'PDF with text layer' } : await makeVariant(variant, pdf, page!, rng);
    const file = variant === 'text-pdf' ? `${id}/text.pdf` : `${id}/${variant}.${made.ext}`;
    if (variant !== 'text-pdf') await writeFile(join(dir, file), made.bytes);
    items.push({ invoice: id, variant, group: VARIANT_GROUPS[variant], file, truthFile, description: `${made.description} (${inv.style.layout}, ${inv.style.font})` });
  }
  return items;
}
