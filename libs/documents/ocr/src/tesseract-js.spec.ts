/**
 * The tesseract.js engine (ADR 0028: measured against the CLI, not the production engine) against the
 * real WebAssembly core and Debian's traineddata: it reads the same scanned page as the CLI into
 * words the extraction uses, in the same units, and it fetches nothing (the traineddata folder is the
 * only source: pointed at an empty folder it fails with OCR_ENGINE_MISSING instead of downloading).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, imagePdf, randomInvoice, rasterizePdfPage, renderInvoicePdf, type GrayImage, type TestInvoice } from './test-set/index.js';
import { DocumentReadError, createTesseractJsEngine, extractInvoiceFromDocument, readDocument, type TesseractJsEngine } from './index.js';

let work: string;
let inv: TestInvoice;
let page: GrayImage;
let engine: TesseractJsEngine;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tesseract-js-spec-'));
  inv = randomInvoice('tesseract-js-spec');
  writeFileSync(join(work, 'text.pdf'), await renderInvoicePdf(inv));
  page = await rasterizePdfPage(join(work, 'text.pdf'), 300);
  engine = await createTesseractJsEngine({ workers: 1 });
}, 120_000);
afterAll(async () => {
  await engine?.terminate();
  rmSync(work, { recursive: true, force: true });
});

describe('tesseract.js engine', () => {
  it('reads a scanned PDF page (rasterised by pdftoppm) into words in PDF points, and the extraction finds the CIFs and the number', { timeout: 180_000 }, async () => {
    const scan = await imagePdf(page);
    const r = await extractInvoiceFromDocument(scan, { ocrEngine: engine });
    expect(r.document).toMatchObject({ type: 'pdf', source: 'ocr', pageCount: 1 });
    expect(engine.name).toMatch(/^tesseract\.js 7\./);
    expect(r.invoice.supplier.cif?.value).toBe(inv.truth.supplier.cif);
    expect(r.invoice.buyer.cif?.value).toBe(inv.truth.buyer.cif);
    expect(r.invoice.number?.value).toBe(inv.truth.number);
  });

  it('reads a PNG picture with the same page size as the CLI, boxes inside it and confidences 0..1', { timeout: 180_000 }, async () => {
    const [js, cli] = [await readDocument(encodePng(page), { ocrEngine: engine }), await readDocument(encodePng(page))];
    const [p, q] = [js.pages[0]!, cli.pages[0]!];
    expect([p.width, p.height]).toEqual([q.width, q.height]);
    expect(p.words.length).toBeGreaterThan(60);
    expect(p.words.every((w) => w.confidence >= 0 && w.confidence <= 1 && w.bbox.x1 <= p.width && w.bbox.y1 <= p.height)).toBe(true);
    expect(p.words.map((w) => w.text).join(' ')).toContain(inv.truth.series);
  });

  it('a page over the time limit: OCR_TIMEOUT, and the engine still reads the next page (a fresh worker)', { timeout: 180_000 }, async () => {
    const png = encodePng(page);
    const err = await readDocument(png, { ocrEngine: engine, pageTimeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentReadError);
    expect((err as DocumentReadError).code).toBe('OCR_TIMEOUT');
    const r = await readDocument(png, { ocrEngine: engine });
    expect(r.pages[0]!.words.length).toBeGreaterThan(60);
  });

  it('traineddata missing from langPath: OCR_ENGINE_MISSING naming the Debian package, nothing downloaded', async () => {
    const err = await createTesseractJsEngine({ langPath: work, languages: 'ron' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentReadError);
    expect((err as DocumentReadError).code).toBe('OCR_ENGINE_MISSING');
    expect((err as Error).message).toContain('tesseract-ocr-ron');
  });
});
