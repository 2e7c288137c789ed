import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode } from '@cantoo/pdf-lib/upng';
import { isValidCif, isValidIban, normalizeTradeRegister } from '@cetate/documents-extraction';
import {
  Rng,
  addNoise,
  blurImage,
  cuiControlDigit,
  encodePng,
  formatAmount,
  generateOcrTestSet,
  invoiceLayout,
  makeIban,
  MIN_GAP,
  A4,
  rasterizePdfPage,
  parsePgm,
  randomInvoice,
  renderInvoicePdf,
  rotateImage,
  scaleImage,
  scoreExtraction,
  type GrayImage,
} from './index.js';

const work = mkdtempSync(join(tmpdir(), 'ocr-test-set-spec-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('random invoices', () => {
  it('are deterministic by seed and differ between seeds', () => {
    expect(randomInvoice('a')).toEqual(randomInvoice('a'));
    expect(randomInvoice('a').truth).not.toEqual(randomInvoice('b').truth);
  });

  it('carry valid CIFs, IBANs and trade register numbers, VAT rates of their date, and totals that add up', () => {
    for (let i = 0; i < 200; i++) {
      const { truth, lines } = randomInvoice(`check-${i}`);
      // checked with the extraction library's own validators (independent code)
      expect(isValidCif(truth.supplier.cif), truth.supplier.cif).toBe(true);
      expect(isValidCif(truth.buyer.cif), truth.buyer.cif).toBe(true);
      expect(isValidIban(truth.iban), truth.iban).toBe(true);
      expect(normalizeTradeRegister(truth.supplier.tradeRegister), truth.supplier.tradeRegister).toBe(truth.supplier.tradeRegister);
      const allowed = truth.issueDate >= '2025-08-01' ? ['21', '11'] : ['19', '9', '5'];
      for (const v of truth.vat) expect(allowed).toContain(v.rate);
      const cents = (s: string) => Math.round(Number(s) * 100);
      expect(cents(truth.netTotal)).toBe(lines.reduce((s, l) => s + l.netCents, 0));
      expect(cents(truth.netTotal) + cents(truth.vatTotal)).toBe(cents(truth.payableTotal));
      expect(truth.vat.reduce((s, v) => s + cents(v.amount), 0)).toBe(cents(truth.vatTotal));
      expect(truth.dueDate >= truth.issueDate).toBe(true);
    }
  });

  it('check digits: CUI 18547290 (ANAF example), IBAN RO49 AAAA 1B31 0075 9384 0000 (BNR example)', () => {
    expect(cuiControlDigit('1854729')).toBe(0);
    expect(makeIban('RO', 'AAAA1B31007593840000')).toBe('RO49AAAA1B31007593840000');
  });

  it('formats amounts the Romanian way or plain', () => {
    expect(formatAmount(123456789, 'ro')).toBe('1.234.567,89');
    expect(formatAmount(5, 'ro-plain')).toBe('0,05');
    expect(formatAmount(123456, 'dot')).toBe('1234.56');
  });
});

describe('rendered PDF', () => {
  it('has a text layer that extracts to the printed values, Romanian letters included (ș ț ă, and ş ţ when cedilla)', async () => {
    for (const [seed, cedilla] of [
      ['render-1', false],
      ['render-2', true],
    ] as const) {
      const inv = randomInvoice(seed);
      inv.truth.supplier.name = 'Țară Ștefănescu Mărțișor S.R.L.';
      inv.style.cedilla = cedilla;
      const pdf = await renderInvoicePdf(inv);
      expect(await renderInvoicePdf(inv)).toEqual(pdf); // deterministic bytes
      const file = join(work, `${seed}.pdf`);
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(cedilla ? 'Ţară Ştefănescu Mărţişor S.R.L.' : 'Țară Ștefănescu Mărțișor S.R.L.');
      expect(text).toContain(inv.truth.supplier.cif);
      expect(text).toContain(inv.truth.buyer.cif);
      expect(text).toContain(inv.truth.series);
    }
  });
});

describe('layout', () => {
  it('never prints two texts of a line closer than MIN_GAP (labels and values, table columns), nor off the page, in any layout and font', { timeout: 60_000 }, async () => {
    const seen = new Set<string>();
    const close: string[] = [];
    for (let i = 0; i < 200; i++) {
      const inv = randomInvoice(`layout-${i}`);
      // the widest names the generator can make, in capitals, on a quarter of the invoices
      if (i % 4 === 0) inv.truth.supplier.name = inv.truth.buyer.name = 'AGROINDUSTRIALĂ TRANSILVANIA S.R.L.-D';
      seen.add(`${inv.style.layout}/${inv.style.font}`);
      const boxes = await invoiceLayout(inv);
      for (const b of boxes) {
        expect(b.x0, b.text).toBeGreaterThanOrEqual(30);
        expect(b.x1, b.text).toBeLessThanOrEqual(A4.width - 30);
      }
      boxes.forEach((p, a) =>
        boxes.slice(a + 1).forEach((q, k) => {
          if (p.y1 <= q.y0 || q.y1 <= p.y0) return; // not on the same line
          // "Furnizor: " then the name in bold, drawn right after it: one line of text in two fonts
          if (k === 0 && p.text.endsWith(' ') && Math.abs(q.x0 - p.x1) < 0.01) return;
          const gap = Math.max(q.x0 - p.x1, p.x0 - q.x1);
          if (gap < MIN_GAP) close.push(`${inv.style.layout}/${inv.style.font}: "${p.text}" and "${q.text}" ${gap.toFixed(1)} pt apart`);
        }),
      );
    }
    expect(seen.size).toBe(9); // 3 layouts × 3 fonts
    expect(close).toEqual([]);
  });

  it('prints every Romanian letter with its mark in every font, the cedilla forms ş ţ included (more ink than the bare letters)', { timeout: 60_000 }, async () => {
    const ink = async (name: string, font: 'Helvetica' | 'Times-Roman' | 'Courier', cedilla: boolean) => {
      const inv = randomInvoice('ink');
      inv.style = { ...inv.style, layout: 'compact', font, cedilla };
      inv.truth.supplier.name = name;
      const file = join(work, `ink-${font}-${cedilla}-${name.length}.pdf`);
      writeFileSync(file, await renderInvoicePdf(inv));
      const page = await rasterizePdfPage(file, 150);
      return page.data.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);
    };
    for (const font of ['Helvetica', 'Times-Roman', 'Courier'] as const) {
      for (const cedilla of [false, true]) {
        const bare = await ink('SSSS TTTT ssss tttt AAAA aaaa', font, cedilla);
        const marked = await ink('ȘȘȘȘ ȚȚȚȚ șșșș țțțț ĂĂĂĂ ăăăă', font, cedilla);
        expect(marked - bare, `${font}, cedilla ${cedilla}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('picture faults', () => {
  const img: GrayImage = { width: 40, height: 30, dpi: 300, data: new Uint8Array(40 * 30).fill(255) };
  for (let y = 10; y < 20; y++) for (let x = 5; x < 35; x++) img.data[y * 40 + x] = 0;

  it('scale changes size and dpi; rotate keeps size; blur keeps the mean; noise is deterministic by seed', () => {
    const half = scaleImage(img, 0.5);
    expect([half.width, half.height, half.dpi]).toEqual([20, 15, 150]);
    expect(half.data[7 * 20 + 10]).toBe(0);
    const rot = rotateImage(img, 2);
    expect([rot.width, rot.height]).toEqual([40, 30]);
    expect(rot.data).not.toEqual(img.data);
    const mean = (d: Uint8Array) => d.reduce((s, v) => s + v, 0) / d.length;
    expect(Math.abs(mean(blurImage(img, 1.2).data) - mean(img.data))).toBeLessThan(2);
    expect(addNoise(img, new Rng('n'), 20, 0.01).data).toEqual(addNoise(img, new Rng('n'), 20, 0.01).data);
    expect(addNoise(img, new Rng('n'), 20, 0.01).data).not.toEqual(img.data);
  });

  it('encodePng round-trips through an independent PNG decoder (with its resolution); parsePgm reads a binary PGM', () => {
    const png = encodePng(img);
    const decoded = decode(png.buffer as ArrayBuffer);
    expect([decoded.width, decoded.height, decoded.depth, decoded.ctype]).toEqual([40, 30, 8, 0]);
    expect(new Uint8Array(decoded.data).slice(0, 40 * 30)).toEqual(img.data); // UPNG's buffer may be longer than the pixels
    expect(decoded.tabs.pHYs).toEqual([11811, 11811, 1]); // 300 dpi in pixels per metre
    const pgm = new Uint8Array([...new TextEncoder().encode('P5\n# c\n40 30\n255\n'), ...img.data]);
    expect(parsePgm(pgm, 300)).toEqual(img);
  });
});

describe('generateOcrTestSet', () => {
  it('writes every variant with its truth next to it, the same bytes for the same seed, and reuses a matching set', { timeout: 120_000 }, async () => {
    const a = join(work, 'set-a');
    const m = await generateOcrTestSet(a, { invoices: 1, seed: 'spec', variants: ['text-pdf', 'clean-png', 'rotated', 'jpeg', 'degraded-scan-pdf'] });
    expect(m.items.map((i) => [i.variant, i.group])).toEqual([
      ['text-pdf', 'text-layer'],
      ['clean-png', 'clean'],
      ['rotated', 'degraded'],
      ['jpeg', 'degraded'],
      ['degraded-scan-pdf', 'degraded'],
    ]);
    for (const item of m.items) {
      expect(existsSync(join(a, item.file))).toBe(true);
      expect(JSON.parse(readFileSync(join(a, item.truthFile), 'utf8'))).toEqual(randomInvoice('spec-1').truth);
    }
    const magic = (f: string) => [...readFileSync(join(a, f)).subarray(0, 3)];
    expect(magic(m.items[3]!.file)).toEqual([0xff, 0xd8, 0xff]);
    expect(magic(m.items[4]!.file)).toEqual([0x25, 0x50, 0x44]);
    const pdfText = execFileSync('pdftotext', [join(a, m.items[4]!.file), '-'], { encoding: 'utf8' });
    expect(pdfText.trim()).toBe(''); // a scan: no text layer
    const b = join(work, 'set-b');
    await generateOcrTestSet(b, { invoices: 1, seed: 'spec', variants: ['text-pdf', 'clean-png', 'rotated', 'jpeg', 'degraded-scan-pdf'] });
    for (const item of m.items) expect(readFileSync(join(b, item.file)).equals(readFileSync(join(a, item.file))), item.file).toBe(true);
    const mtime = statSync(join(a, m.items[1]!.file)).mtimeMs;
    await generateOcrTestSet(a, { invoices: 1, seed: 'spec', variants: ['text-pdf', 'clean-png', 'rotated', 'jpeg', 'degraded-scan-pdf'] });
    expect(statSync(join(a, m.items[1]!.file)).mtimeMs).toBe(mtime);
  });
});

describe('scoreExtraction', () => {
  const { truth } = randomInvoice('score');
  const f = (value: string) => ({ value, confidence: 0.9, page: 1, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 } });

  it('a perfect extraction scores every field; an empty one none', () => {
    const perfect = {
      supplier: { name: f(truth.supplier.name.replace(/ș/g, 'ş').toLowerCase()), cif: f(truth.supplier.cif) },
      buyer: { cif: f(truth.buyer.cif) },
      series: f(truth.series),
      number: f(truth.number),
      issueDate: f(truth.issueDate),
      dueDate: f(truth.dueDate),
      currency: f(truth.currency),
      netTotal: f(truth.netTotal),
      vatTotal: f(truth.vatTotal),
      payableTotal: f(truth.payableTotal),
      vat: [...truth.vat].reverse().map((v) => ({ ...v, confidence: 1, page: 1, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 } })),
      iban: f(truth.iban.replace(/(.{4})/g, '$1 ')),
      warnings: [],
    };
    expect(scoreExtraction(perfect, truth).filter((s) => !s.ok)).toEqual([]);
    const none = scoreExtraction({ supplier: {}, buyer: {}, vat: [], warnings: [] }, truth);
    expect(none.every((s) => !s.ok && s.actual === '-')).toBe(true);
    expect(none).toHaveLength(13);
    const wrongNumber = scoreExtraction({ ...perfect, number: f(truth.number + '1') }, truth);
    expect(wrongNumber.filter((s) => !s.ok).map((s) => s.field)).toEqual(['number']);
  });
});
