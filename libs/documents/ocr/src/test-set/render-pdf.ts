/**
 * Prints a {@link TestInvoice} as a one-page A4 PDF WITH a text layer, with `@cantoo/pdf-lib` (a
 * dependency of `@e-invoice-eu/core`, used here only by the test set).
 *
 * The text is set in one of the PDF standard fonts (Helvetica, Times, Courier; not embedded, the
 * reader substitutes an installed font) with the Windows-1252 encoding plus a `/Differences` array
 * for the Romanian letters Windows-1252 lacks (ă Ă ș Ș ț Ț and the cedilla forms ş Ş ţ Ţ): their glyph
 * names (`abreve`, `scommaaccent`, ...) are mapped to Unicode by every reader, so the text layer
 * extracts as Unicode text. ț/Ț are named `uni021B`/`uni021A`: the Adobe Glyph List maps the name
 * `tcommaaccent` to U+0163 (t with cedilla), so a PDF using that name extracts as ţ; the cedilla forms
 * ţ/Ţ therefore use `tcommaaccent`/`Tcommaaccent` (not `tcedilla`, a name the URW fonts that poppler
 * substitutes for the standard fonts do not have: it printed nothing, so a scanned "Mărţişor" read
 * "Măr işor"). Widths come from the fonts' AFM metrics shipped with pdf-lib.
 *
 * Three layouts (`classic`, `modern`, `compact`) with different labels and positions, so the test
 * set does not measure one template. Every layout keeps separately placed texts apart, as invoice
 * programs do: a label and its value are either one run of text ("C.I.F.: RO123") or sit in a label
 * column and a value column with at least {@link MIN_GAP} points between them, and a name that is too
 * wide for its column is set smaller (down to 7.5 pt) rather than running into the next column.
 * {@link invoiceLayout} lists the boxes so a test can check that no two of them touch.
 */
import { PDFDocument, PDFHexString, PDFName, PDFNumber, PDFPage, type PDFRef } from '@cantoo/pdf-lib';
import {
  beginText,
  endText,
  lineTo,
  moveText,
  moveTo,
  setFontAndSize,
  setLineWidth,
  showText,
  stroke,
} from '@cantoo/pdf-lib';
import { Encodings, Font } from '@cantoo/pdf-lib/standard-fonts';
import { formatAmount, formatDate, formatIban, formatQuantity, type PrintStyle, type TestInvoice } from './invoice-data.js';

/** A4 in PDF points (1/72 inch). */
export const A4 = { width: 595.28, height: 841.89 } as const;

/**
 * Least horizontal distance in points between two separately placed texts on the same line (a label
 * and its value, two table columns): 6 pt is 25 px at 300 dpi, more than two spaces of 9 pt text, so
 * an OCR engine sees two words, never one.
 */
export const MIN_GAP = 6;

/** The box of one text drawn on the page, in points from the top-left corner. */
export interface TextBox {
  text: string;
  x0: number;
  x1: number;
  /** Top and bottom: the baseline minus the font size, the baseline plus a fifth of it (descenders). */
  y0: number;
  y1: number;
}

/** Romanian letters outside Windows-1252: code in our font encoding and glyph name. */
const EXTRA_GLYPHS: readonly (readonly [string, string])[] = [
  ['ă', 'abreve'], ['Ă', 'Abreve'], ['ș', 'scommaaccent'], ['Ș', 'Scommaaccent'], ['ț', 'uni021B'],
  ['Ț', 'uni021A'], ['ş', 'scedilla'], ['Ş', 'Scedilla'], ['ţ', 'tcommaaccent'], ['Ţ', 'Tcommaaccent'],
];
/** Glyphs missing from the AFM metrics: width of the base letter. */
const WIDTH_FALLBACK: Readonly<Record<string, string>> = { uni021B: 'tcommaaccent', uni021A: 'Tcommaaccent' };

interface FontSpec {
  ref: PDFRef;
  key: PDFName;
  afm: Font;
}

/** Code and glyph name of a character in our encoding. @throws Error for a character the fonts cannot print. */
function encodeChar(ch: string): { code: number; name: string } {
  const extra = EXTRA_GLYPHS.findIndex(([c]) => c === ch);
  if (extra >= 0) return { code: extra + 1, name: EXTRA_GLYPHS[extra]![1] };
  const cp = ch.codePointAt(0)!;
  if (!Encodings.WinAnsi.canEncodeUnicodeCodePoint(cp)) throw new Error(`test-set PDF: cannot print "${ch}" (U+${cp.toString(16)})`);
  return Encodings.WinAnsi.encodeUnicodeCodePoint(cp);
}

function glyphWidth(afm: Font, name: string): number {
  return afm.getWidthOfGlyph(name) ?? afm.getWidthOfGlyph(WIDTH_FALLBACK[name] ?? 'space') ?? 500;
}

function embedFont(doc: PDFDocument, page: PDFPage, baseFont: string, tag: string): FontSpec {
  const afm = Font.load(baseFont as Parameters<typeof Font.load>[0]);
  const widths: number[] = [];
  for (let code = 1; code <= 255; code++) {
    const extra = EXTRA_GLYPHS[code - 1];
    let name: string | undefined = extra?.[1];
    if (!name) {
      // Windows-1252 code → glyph name, through the encoding's Unicode table
      const cp = code >= 0x80 ? new TextDecoder('windows-1252').decode(new Uint8Array([code])).codePointAt(0)! : code;
      name = Encodings.WinAnsi.canEncodeUnicodeCodePoint(cp) ? Encodings.WinAnsi.encodeUnicodeCodePoint(cp).name : undefined;
    }
    widths.push(name ? glyphWidth(afm, name) : 0);
  }
  const dict = doc.context.obj({
    Type: 'Font',
    Subtype: 'Type1',
    BaseFont: baseFont,
    FirstChar: 1,
    LastChar: 255,
    Widths: widths,
    Encoding: doc.context.obj({
      Type: 'Encoding',
      BaseEncoding: 'WinAnsiEncoding',
      Differences: [1, ...EXTRA_GLYPHS.map(([, n]) => PDFName.of(n))],
    }),
  });
  const ref = doc.context.register(dict);
  return { ref, key: page.node.newFontDictionary(tag, ref), afm };
}

/** A page being drawn, coordinates from the top-left corner in points, `y` is the text baseline. */
class Sheet {
  /** Every text drawn, in drawing order. */
  readonly boxes: TextBox[] = [];

  constructor(
    private readonly page: PDFPage,
    private readonly regular: FontSpec,
    private readonly bold: FontSpec,
  ) {}

  width(text: string, size: number, bold = false): number {
    const afm = (bold ? this.bold : this.regular).afm;
    let w = 0;
    for (const ch of text) w += glyphWidth(afm, encodeChar(ch).name);
    return (w * size) / 1000;
  }

  text(x: number, y: number, text: string, opts: { size?: number; bold?: boolean; align?: 'left' | 'right' | 'center' } = {}): void {
    const size = opts.size ?? 9;
    const w = this.width(text, size, opts.bold);
    const left = opts.align === 'right' ? x - w : opts.align === 'center' ? x - w / 2 : x;
    this.boxes.push({ text, x0: left, x1: left + w, y0: y - size, y1: y + size / 5 });
    const bytes = [...text].map((ch) => encodeChar(ch).code.toString(16).padStart(2, '0')).join('');
    this.page.pushOperators(
      beginText(),
      setFontAndSize((opts.bold ? this.bold : this.regular).key, size),
      moveText(left, A4.height - y),
      showText(PDFHexString.of(bytes)),
      endText(),
    );
  }

  /** Writes `text` wrapped to `maxWidth`, returns the baseline after the last line. */
  wrapped(x: number, y: number, text: string, maxWidth: number, size = 9, leading = 12): number {
    let line = '';
    for (const word of text.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && this.width(next, size) > maxWidth) {
        this.text(x, y, line, { size });
        y += leading;
        line = word;
      } else line = next;
    }
    if (line) this.text(x, y, line, { size });
    return y + leading;
  }

  /** The font size, at most `size` and at least 7.5, at which `text` fits in `maxWidth` points (a name in its column). */
  fitSize(text: string, size: number, maxWidth: number, bold = false): number {
    const w = this.width(text, size, bold);
    return w <= maxWidth ? size : Math.max(7.5, Math.floor((size * maxWidth * 10) / w) / 10);
  }

  rule(x0: number, x1: number, y: number, width = 0.6): void {
    this.page.pushOperators(setLineWidth(PDFNumber.of(width)), moveTo(x0, A4.height - y), lineTo(x1, A4.height - y), stroke());
  }
}

const BOLD: Readonly<Record<PrintStyle['font'], string>> = { Helvetica: 'Helvetica-Bold', 'Times-Roman': 'Times-Bold', Courier: 'Courier-Bold' };

/** ș/ț → ş/ţ when the style prints cedillas. */
function ro(text: string, style: PrintStyle): string {
  return style.cedilla ? text.replace(/ș/g, 'ş').replace(/Ș/g, 'Ş').replace(/ț/g, 'ţ').replace(/Ț/g, 'Ţ') : text;
}

/**
 * Renders the invoice to PDF bytes (one A4 page, text layer, no images). Deterministic: the same
 * invoice gives the same bytes (fixed creation and modification dates, no random id).
 */
export async function renderInvoicePdf(inv: TestInvoice): Promise<Uint8Array> {
  return (await draw(inv)).doc.save({ useObjectStreams: false });
}

/**
 * The boxes of every text {@link renderInvoicePdf} prints for `inv`, in points from the top-left
 * corner of the A4 page, in drawing order (for tests of the layout: nothing overlaps, nothing leaves
 * the page).
 */
export async function invoiceLayout(inv: TestInvoice): Promise<TextBox[]> {
  return (await draw(inv)).sheet.boxes;
}

async function draw(inv: TestInvoice): Promise<{ doc: PDFDocument; sheet: Sheet }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([A4.width, A4.height]);
  const sheet = new Sheet(page, embedFont(doc, page, inv.style.font, 'F'), embedFont(doc, page, BOLD[inv.style.font], 'FB'));
  if (inv.style.layout === 'classic') classic(sheet, inv);
  else if (inv.style.layout === 'modern') modern(sheet, inv);
  else compact(sheet, inv);
  return { doc, sheet };
}

function money(inv: TestInvoice, centsValue: number): string {
  return formatAmount(centsValue, inv.style.amounts);
}
function currencyWord(inv: TestInvoice): string {
  return inv.style.lei ? 'lei' : inv.truth.currency;
}
function centsOf(decimal: string): number {
  return Math.round(Number(decimal) * 100);
}

/**
 * Lines table: number, description, unit, quantity, unit price, value, VAT (amount or rate); returns
 * the y after it. A header with `\n` is printed on two lines (`Nr.` over `crt.`), as on the printed
 * Romanian invoice forms.
 */
function linesTable(s: Sheet, inv: TestInvoice, y: number, headers: readonly string[], vatAmount: boolean): number {
  const st = inv.style;
  // left edges of the first two columns, right edges of the others (at least MIN_GAP between columns
  // with the widest values and headers, Courier included)
  const xs = [40, 66, 280, 340, 412, 485, 555] as const;
  const headerLines = Math.max(...headers.map((h) => h.split('\n').length));
  s.rule(40, 555, y - 11);
  y += 10 * (headerLines - 1);
  headers.forEach((h, i) => {
    const parts = h.split('\n');
    parts.forEach((part, k) => s.text(xs[i]!, y - 10 * (parts.length - 1 - k), ro(part, st), { size: 8, bold: true, align: i < 2 ? 'left' : 'right' }));
  });
  s.rule(40, 555, y + 4);
  y += 16;
  inv.lines.forEach((l, i) => {
    const cells = [
      String(i + 1),
      ro(l.description, st),
      l.unit,
      formatQuantity(l.quantityHundredths, st.amounts),
      money(inv, l.unitPriceCents),
      money(inv, l.netCents),
      vatAmount ? money(inv, l.vatCents) : `${l.vatRate}%`,
    ];
    cells.forEach((c, j) => s.text(xs[j]!, y, c, { size: 8.5, align: j < 2 ? 'left' : 'right' }));
    y += 14;
  });
  s.rule(40, 555, y - 8);
  return y + 8;
}

function classic(s: Sheet, inv: TestInvoice): void {
  const t = inv.truth;
  const st = inv.style;
  // name after its label, set smaller when it would run into the other column (left 40-290, right 320-555)
  const party = (x: number, y: number, label: string, name: string, right: number) => {
    const lw = s.width(ro(label, st), 9);
    s.text(x, y, ro(label, st), { size: 9 });
    s.text(x + lw, y, ro(name, st), { size: s.fitSize(ro(name, st), 10, right - x - lw, true), bold: true });
  };
  let yl = 60;
  party(40, yl, 'Furnizor: ', t.supplier.name, 320 - MIN_GAP * 2);
  yl += 14;
  for (const [label, value] of [
    ['Nr. ord. reg. com.: ', t.supplier.tradeRegister],
    ['C.I.F.: ', t.supplier.cif],
  ] as const) {
    s.text(40, yl, ro(label + value, st));
    yl += 12;
  }
  yl = s.wrapped(40, yl, ro(`Sediul: ${inv.supplierAddress}`, st), 250);
  s.text(40, yl, `Cont: ${formatIban(t.iban, st.ibanGroups)}`);
  yl += 12;
  s.text(40, yl, ro(`Banca: ${inv.bank}`, st));
  let yr = 60;
  party(320, yr, 'Cumpărător: ', t.buyer.name, 555);
  yr += 14;
  if (t.buyer.tradeRegister) {
    s.text(320, yr, ro(`Nr. ord. reg. com.: ${t.buyer.tradeRegister}`, st));
    yr += 12;
  }
  s.text(320, yr, `C.I.F.: ${t.buyer.cif}`);
  yr += 12;
  s.wrapped(320, yr, ro(`Sediul: ${inv.buyerAddress}`, st), 235);
  let y = Math.max(yl, yr) + 40;
  s.text(297, y, ro('FACTURĂ', st), { size: 18, bold: true, align: 'center' });
  y += 22;
  s.text(297, y, `Seria ${t.series} nr. ${t.number}`, { size: 10, align: 'center' });
  y += 14;
  s.text(297, y, `Data (zi/luna/an): ${formatDate(t.issueDate, st.dateSeparator)}`, { size: 10, align: 'center' });
  y += 14;
  s.text(297, y, ro(`Data scadenței: ${formatDate(t.dueDate, st.dateSeparator)}`, st), { size: 10, align: 'center' });
  y += 14;
  s.text(297, y, `Moneda: ${t.currency}`, { size: 10, align: 'center' });
  y += 34;
  y = linesTable(s, inv, y, ['Nr.\ncrt.', 'Denumirea produselor\nsau a serviciilor', 'U.M.', 'Cant.', 'Preț unitar', 'Valoarea', 'Valoarea\nTVA'], true);
  y += 6;
  s.text(300, y, 'Cota TVA', { size: 8.5, bold: true });
  s.text(470, y, ro('Baza de impozitare', st), { size: 8.5, bold: true, align: 'right' });
  s.text(555, y, 'TVA', { size: 8.5, bold: true, align: 'right' });
  y += 13;
  for (const v of t.vat) {
    s.text(300, y, `${v.rate}%`, { size: 8.5 });
    s.text(470, y, money(inv, centsOf(v.base)), { size: 8.5, align: 'right' });
    s.text(555, y, money(inv, centsOf(v.amount)), { size: 8.5, align: 'right' });
    y += 13;
  }
  y += 10;
  for (const [label, value, bold] of [
    ['Total fără TVA:', t.netTotal, false],
    ['Total TVA:', t.vatTotal, false],
    ['Total de plată:', t.payableTotal, true],
  ] as const) {
    s.text(300, y, ro(label, st), { size: 10, bold });
    s.text(555, y, `${money(inv, centsOf(value))} ${currencyWord(inv)}`, { size: 10, bold, align: 'right' });
    y += 15;
  }
  s.text(40, 790, ro('Factură valabilă fără semnătură și ștampilă conform art. 319 alin. (29) din Legea 227/2015.', st), { size: 7 });
}

function modern(s: Sheet, inv: TestInvoice): void {
  const t = inv.truth;
  const st = inv.style;
  s.text(40, 64, ro('FACTURĂ FISCALĂ', st), { size: 20, bold: true });
  let y = 52;
  for (const [label, value] of [
    ['Serie: ', t.series],
    ['Număr: ', t.number],
    ['Data emiterii: ', formatDate(t.issueDate, st.dateSeparator)],
    ['Data scadenței: ', formatDate(t.dueDate, st.dateSeparator)],
    ['Moneda: ', t.currency],
  ] as const) {
    s.text(340, y, ro(label, st), { size: 9 });
    s.text(440, y, value, { size: 9, bold: true });
    y += 13;
  }
  s.rule(40, 555, 128, 1.2);
  const block = (x: number, heading: string, lines: readonly string[], name: string): number => {
    let yb = 150;
    s.text(x, yb, heading, { size: 8, bold: true });
    yb += 15;
    s.text(x, yb, ro(name, st), { size: s.fitSize(ro(name, st), 11, 270 - MIN_GAP, true), bold: true });
    yb += 15;
    for (const l of lines) yb = s.wrapped(x, yb, ro(l, st), 240, 9, 12);
    return yb;
  };
  const yl = block(40, 'FURNIZOR', [
    `CUI: ${t.supplier.cif}`,
    `Reg. Com.: ${t.supplier.tradeRegister}`,
    `Adresa: ${inv.supplierAddress}`,
    `IBAN: ${formatIban(t.iban, st.ibanGroups)}`,
    `Banca: ${inv.bank}`,
  ], t.supplier.name);
  const yr = block(320, 'CLIENT', [
    `CUI: ${t.buyer.cif}`,
    ...(t.buyer.tradeRegister ? [`Reg. Com.: ${t.buyer.tradeRegister}`] : []),
    `Adresa: ${inv.buyerAddress}`,
  ], t.buyer.name);
  y = Math.max(yl, yr) + 30;
  y = linesTable(s, inv, y, ['Nr.', 'Descriere', 'UM', 'Cantitate', 'Preț unitar', 'Valoare', 'Cota TVA'], false);
  y += 10;
  s.text(300, y, 'Cota TVA', { size: 8.5, bold: true });
  s.text(470, y, ro('Bază impozabilă', st), { size: 8.5, bold: true, align: 'right' });
  s.text(555, y, 'Valoare TVA', { size: 8.5, bold: true, align: 'right' });
  y += 13;
  for (const v of t.vat) {
    s.text(300, y, `${v.rate}%`, { size: 8.5 });
    s.text(470, y, money(inv, centsOf(v.base)), { size: 8.5, align: 'right' });
    s.text(555, y, money(inv, centsOf(v.amount)), { size: 8.5, align: 'right' });
    y += 13;
  }
  y += 12;
  for (const [label, value, bold] of [
    ['Subtotal', t.netTotal, false],
    ['Total TVA', t.vatTotal, false],
    ['Total de plată', t.payableTotal, true],
  ] as const) {
    s.text(320, y, ro(label, st), { size: 10, bold });
    s.text(555, y, `${money(inv, centsOf(value))} ${t.currency}`, { size: bold ? 12 : 10, bold, align: 'right' });
    y += bold ? 18 : 15;
  }
}

function compact(s: Sheet, inv: TestInvoice): void {
  const t = inv.truth;
  const st = inv.style;
  let y = 58;
  s.text(40, y, `Factura seria ${t.series} nr. ${t.number}`, { size: 14, bold: true });
  y += 18;
  s.text(40, y, ro(`Data emiterii: ${formatDate(t.issueDate, st.dateSeparator)}     Termen de plată: ${formatDate(t.dueDate, st.dateSeparator)}`, st), { size: 9.5 });
  y += 30;
  s.text(40, y, ro(`Vânzător: ${t.supplier.name}`, st), { size: 10, bold: true });
  y += 13;
  s.text(40, y, `CIF: ${t.supplier.cif}      Reg. com.: ${t.supplier.tradeRegister}`);
  y += 12;
  y = s.wrapped(40, y, ro(`Adresa: ${inv.supplierAddress}`, st), 500);
  s.text(40, y, ro(`Cont IBAN: ${formatIban(t.iban, st.ibanGroups)}, ${inv.bank}`, st));
  y += 26;
  s.text(40, y, ro(`Cumpărător: ${t.buyer.name}`, st), { size: 10, bold: true });
  y += 13;
  s.text(40, y, `CIF: ${t.buyer.cif}` + (t.buyer.tradeRegister ? `      Reg. com.: ${t.buyer.tradeRegister}` : ''));
  y += 12;
  y = s.wrapped(40, y, ro(`Adresa: ${inv.buyerAddress}`, st), 500);
  y += 24;
  y = linesTable(s, inv, y, ['Nr.', 'Denumire', 'U.M.', 'Cant.', 'Preț', 'Valoare', 'TVA'], true);
  y += 8;
  for (const v of t.vat) {
    s.text(250, y, ro(`Bază impozabilă ${v.rate}%: ${money(inv, centsOf(v.base))}     TVA ${v.rate}%: ${money(inv, centsOf(v.amount))}`, st), { size: 9 });
    y += 13;
  }
  y += 8;
  for (const [label, value, bold] of [
    ['Total fără TVA:', t.netTotal, false],
    ['Total TVA:', t.vatTotal, false],
    ['Total de plată:', t.payableTotal, true],
  ] as const) {
    s.text(400, y, ro(label, st), { size: 10, bold, align: 'right' });
    s.text(555, y, `${money(inv, centsOf(value))} ${currencyWord(inv)}`, { size: 10, bold, align: 'right' });
    y += 15;
  }
}
