/**
 * A page scanned a quarter turn off (portrait invoice in a landscape picture): Tesseract reads its lines,
 * readDocument turns the boxes back upright, and the fields come out as from the upright scan.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { encodePng, randomInvoice, rasterizePdfPage, renderInvoicePdf, type GrayImage } from './test-set/index.js';
import { extractInvoiceFromDocument } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'orientation-spec-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The picture turned 90° clockwise. */
function turnClockwise(img: GrayImage): GrayImage {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) out[x * img.height + (img.height - 1 - y)] = img.data[y * img.width + x]!;
  return { width: img.height, height: img.width, dpi: img.dpi, data: out };
}

it('a landscape scan of a portrait invoice: upright page size and boxes, the same fields as upright', { timeout: 60_000 }, async () => {
  const inv = randomInvoice('orientation-spec');
  const pdf = join(work, 'invoice.pdf');
  writeFileSync(pdf, await renderInvoicePdf(inv));
  const page = await rasterizePdfPage(pdf, 300);
  const r = await extractInvoiceFromDocument(encodePng(turnClockwise(page)));
  const [p] = r.document.pages;
  expect([p!.width, p!.height]).toEqual([page.width, page.height]);
  // the supplier line is at the top of the upright page, left to right
  const top = p!.words.filter((w) => w.bbox.y1 < page.height / 4);
  expect(top.length).toBeGreaterThan(5);
  expect(r.invoice.supplier.cif?.value).toBe(inv.truth.supplier.cif);
  expect(r.invoice.payableTotal?.value).toBe(inv.truth.payableTotal);
  expect(r.invoice.issueDate?.value).toBe(inv.truth.issueDate);
});
