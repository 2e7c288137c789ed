/**
 * `cetate ocr extract` on documents generated at test time by the OCR test set: a PDF with a text
 * layer and the same invoice scanned to a 300 dpi PNG (real pdftotext / pdftoppm / Tesseract).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { encodePng, randomInvoice, rasterizePdfPage, renderInvoicePdf, type InvoiceTruth } from '@cetate/documents-ocr/test-set';
import { runCli } from './cli.js';
import type { CliIo } from './cli-io.js';
import { OCR_EXTRACT_EXIT, type OcrExtractJson } from './ocr-extract.command.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
let work: string;
let truth: InvoiceTruth;
let pdfFile: string;
let pngFile: string;

function capture(): CliIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out: (l) => out_.push(l), err: (l) => err_.push(l), out_, err_ };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocr-extract-spec-'));
  const inv = randomInvoice('cli-ocr-extract-1');
  truth = inv.truth;
  pdfFile = join(work, 'invoice.pdf');
  writeFileSync(pdfFile, await renderInvoicePdf(inv));
  pngFile = join(work, 'invoice.png');
  writeFileSync(pngFile, encodePng(await rasterizePdfPage(pdfFile, 300)));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The acceptance fields of issue 9 are all there, each with a confidence 0..1 when found. */
function expectShape(j: OcrExtractJson): void {
  for (const f of [j.supplier.cif, j.supplier.name, j.buyer.cif, j.number, j.series, j.issueDate, j.dueDate, j.currency, j.netTotal, j.vatTotal, j.payableTotal, j.iban]) {
    expect(f === null || (f.confidence >= 0 && f.confidence <= 1 && typeof f.value === 'string')).toBe(true);
  }
  for (const v of j.vat) expect(v.confidence).toBeGreaterThanOrEqual(0);
}

describe('cetate ocr extract', () => {
  it('--json on a text-layer PDF: every acceptance field equals the generated truth, exit 0', async () => {
    const io = capture();
    expect(await runCli(['ocr', 'extract', '--json', pdfFile], io)).toBe(OCR_EXTRACT_EXIT.FOUND);
    expect(io.out_).toHaveLength(1);
    const j = JSON.parse(io.out_[0]!) as OcrExtractJson;
    expectShape(j);
    expect(j.document).toMatchObject({ type: 'pdf', source: 'text-layer', pageCount: 1 });
    expect({
      supplierCif: j.supplier.cif?.value,
      supplierName: j.supplier.name?.value,
      buyerCif: j.buyer.cif?.value,
      series: j.series?.value,
      number: j.number?.value,
      issueDate: j.issueDate?.value,
      dueDate: j.dueDate?.value,
      currency: j.currency?.value,
      netTotal: j.netTotal?.value,
      vatTotal: j.vatTotal?.value,
      payableTotal: j.payableTotal?.value,
      vat: j.vat.map((v) => ({ rate: v.rate, base: v.base, amount: v.amount })),
      iban: j.iban?.value,
    }).toEqual({
      supplierCif: truth.supplier.cif,
      supplierName: truth.supplier.name,
      buyerCif: truth.buyer.cif,
      series: truth.series,
      number: truth.number,
      issueDate: truth.issueDate,
      dueDate: truth.dueDate,
      currency: truth.currency,
      netTotal: truth.netTotal,
      vatTotal: truth.vatTotal,
      payableTotal: truth.payableTotal,
      vat: truth.vat,
      iban: truth.iban,
    });
  });

  it('--json on the same invoice scanned (PNG, Tesseract): identifiers, dates and totals read, exit 0', { timeout: 60_000 }, async () => {
    const io = capture();
    expect(await runCli(['ocr', 'extract', '--json', pngFile], io)).toBe(OCR_EXTRACT_EXIT.FOUND);
    const j = JSON.parse(io.out_[0]!) as OcrExtractJson;
    expectShape(j);
    expect(j.document).toMatchObject({ type: 'png', source: 'ocr', pageCount: 1 });
    expect(j.supplier.cif?.value).toBe(truth.supplier.cif);
    expect(j.buyer.cif?.value).toBe(truth.buyer.cif);
    expect(j.issueDate?.value).toBe(truth.issueDate);
    expect(j.payableTotal?.value).toBe(truth.payableTotal);
    expect(j.supplier.cif!.confidence).toBeLessThanOrEqual(1);
  });

  it('human output: one line per field, the page progress on stderr', async () => {
    const io = capture();
    expect(await runCli(['ocr', 'extract', pdfFile], io)).toBe(0);
    expect(io.out_[0]).toContain('pdf, text-layer, 1 page(s)');
    expect(io.out_.find((l) => l.trimStart().startsWith('supplier.cif'))).toContain(truth.supplier.cif);
    expect(io.out_.find((l) => l.trimStart().startsWith('payableTotal'))).toContain(truth.payableTotal);
    expect(io.err_).toEqual([expect.stringMatching(/^page 1\/1: text-layer, /)]);
  });

  it('exit 1 when the document has text but no invoice field', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage();
    page.drawText('Hello, this page is a letter without any invoice on it.', { x: 50, y: 700, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
    const file = join(work, 'letter.pdf');
    writeFileSync(file, await doc.save());
    const io = capture();
    expect(await runCli(['ocr', 'extract', '--json', file], io)).toBe(OCR_EXTRACT_EXIT.NOTHING_FOUND);
    const j = JSON.parse(io.out_[0]!) as OcrExtractJson;
    expect([j.supplier.cif, j.number, j.payableTotal, j.iban]).toEqual([null, null, null, null]);
    expect(io.err_.join('\n')).toContain('no invoice field found');
  });

  it('exit 2 for bad input (wrong type, missing file) with the code in the JSON, and for usage errors', async () => {
    const file = join(work, 'notes.txt');
    writeFileSync(file, 'just text');
    const io = capture();
    expect(await runCli(['ocr', 'extract', '--json', file], io)).toBe(OCR_EXTRACT_EXIT.BAD_INPUT);
    expect(JSON.parse(io.out_[0]!)).toMatchObject({ file, error: { code: 'DOCUMENT_UNSUPPORTED_TYPE' } });
    const missing = capture();
    expect(await runCli(['ocr', 'extract', join(work, 'nope.pdf')], missing)).toBe(2);
    expect(missing.err_.join('\n')).toContain('FILE_UNREADABLE');
    for (const argv of [['ocr'], ['ocr', 'read', file], ['ocr', 'extract'], ['ocr', 'extract', 'a', 'b'], ['ocr', 'extract', '--max-pages', '0', file], ['ocr', 'extract', '--bogus', file]]) {
      const u = capture();
      expect(await runCli(argv, u), argv.join(' ')).toBe(2);
      expect(u.err_.join('\n')).toContain('usage: cetate ocr extract');
    }
  });

  it('npm run cetate -- ocr extract --json FILE (the real entry point) prints one JSON object', { timeout: 60_000 }, async () => {
    const { stdout } = await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'tools/cli/src/main.ts'), 'ocr', 'extract', '--json', pdfFile], { cwd: ROOT });
    const j = JSON.parse(stdout) as OcrExtractJson;
    expect(j.supplier.cif?.value).toBe(truth.supplier.cif);
    expect(j.payableTotal?.value).toBe(truth.payableTotal);
  });
});
