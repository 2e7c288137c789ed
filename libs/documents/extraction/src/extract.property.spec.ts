/**
 * Whole-invoice property: random invoice data printed in one of three layouts and one of several
 * print styles (amount and date formats, diacritics with comma or cedilla, IBAN grouped or not,
 * lines by geometry or by engine ids, straight or 1.5° askew) reads back exactly.
 *
 * The check digits of the generated CIFs and IBANs are computed here independently (BigInt), not
 * with the library's own functions.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractInvoice } from './extract.js';
import { rows, syntheticPage, type Cell, type Row } from './testing/synthetic-page.js';

const WORDS = ['Ștefănescu', 'Țăranu', 'Brașoveanu', 'Mureșan', 'Cetățuia', 'Construcții', 'Distribuție', 'Vâlcea', 'Transilvania', 'Dunărea', 'Carpați', 'Măgura', 'Nordic', 'Delta', 'Alfa', 'Logistică', 'Grădina', 'Fântâna'];
const FORMS = ['S.R.L.', 'SRL', 'S.A.', 'SA', 'S.R.L.-D', 'PFA'];

function cif(body: string): string {
  const key = [7, 5, 3, 2, 1, 7, 5, 3, 2];
  const padded = body.padStart(9, '0');
  const sum = [...padded].reduce((s, d, i) => s + Number(d) * key[i]!, 0);
  return body + String(((sum * 10) % 11) % 10);
}

function iban(bank: string, account: string): string {
  const bban = bank + account;
  const digits = [...`${bban}RO00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  return `RO${(98n - (BigInt(digits) % 97n)).toString().padStart(2, '0')}${bban}`;
}

type AmountStyle = 'ro' | 'plain' | 'dot' | 'space';
function money(cents: number, style: AmountStyle): string {
  const int = String(Math.floor(cents / 100));
  const dec = String(cents % 100).padStart(2, '0');
  if (style === 'plain') return `${int},${dec}`;
  if (style === 'dot') return `${int}.${dec}`;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, style === 'ro' ? '.' : ' ');
  return `${grouped},${dec}`;
}

const party = fc.record({
  name: fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS), fc.constantFrom(...FORMS), fc.boolean()).map(([a, b, f, upper]) => {
    const n = `${a} ${b} ${f}`;
    return upper ? n.toUpperCase() : n;
  }),
  cif: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{5,8}$/), fc.boolean()).map(([d, rest, ro]) => (ro ? 'RO' : '') + cif(`${d}${rest}`)),
  register: fc.tuple(fc.constantFrom(1, 5, 12, 22, 40, 52), fc.integer({ min: 1, max: 25000 }), fc.integer({ min: 1995, max: 2023 })).map(([c, n, y]) => `J${String(c).padStart(2, '0')}/${n}/${y}`),
});

const invoice = fc.record({
  supplier: party,
  buyer: party,
  series: fc.stringMatching(/^[A-HJ-NP-Z]{2,4}$/),
  number: fc.oneof(fc.integer({ min: 1, max: 99999 }).map(String), fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(5, '0'))),
  issue: fc.integer({ min: 0, max: 1200 }).map((d) => new Date(Date.UTC(2023, 0, 1) + d * 86_400_000)),
  termDays: fc.constantFrom(0, 7, 15, 30, 60),
  lines: fc.array(fc.record({ cents: fc.integer({ min: 1, max: 5_000_000 }), reduced: fc.boolean() }), { minLength: 1, maxLength: 5 }),
  iban: fc.tuple(fc.constantFrom('BTRL', 'INGB', 'RNCB', 'BRDE'), fc.stringMatching(/^\d{16}$/)).map(([b, a]) => iban(b, a)),
  currency: fc.constantFrom('RON', 'RON', 'EUR'),
  style: fc.record({
    layout: fc.constantFrom('columns', 'stacked', 'headings'),
    amounts: fc.constantFrom<AmountStyle>('ro', 'plain', 'dot', 'space'),
    dateSep: fc.constantFrom('.', '/', '-'),
    cedilla: fc.boolean(),
    ibanGroups: fc.boolean(),
    lineIds: fc.boolean(),
    skew: fc.constantFrom(0, 0, 1.5, -1.5),
  }),
});

type Invoice = typeof invoice extends fc.Arbitrary<infer T> ? T : never;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Prints the invoice as rows of cells, and what must be read back. */
function print(inv: Invoice) {
  const st = inv.style;
  const issue = iso(inv.issue);
  const due = iso(new Date(inv.issue.getTime() + inv.termDays * 86_400_000));
  const [std, red] = issue >= '2025-08-01' ? [21, 11] : [19, 9];
  const byRate = new Map<number, number>();
  for (const l of inv.lines) byRate.set(l.reduced ? red : std, (byRate.get(l.reduced ? red : std) ?? 0) + l.cents);
  const vat = [...byRate].map(([rate, base]) => ({ rate, base, amount: Math.round((base * rate) / 100) }));
  const net = vat.reduce((s, v) => s + v.base, 0);
  const tax = vat.reduce((s, v) => s + v.amount, 0);
  const date = (isoDate: string) => isoDate.split('-').reverse().join(st.dateSep);
  const ro = (t: string) => (st.cedilla ? t.replace(/ș/g, 'ş').replace(/ț/g, 'ţ').replace(/Ș/g, 'Ş').replace(/Ț/g, 'Ţ') : t);
  const m = (c: number) => `${money(c, st.amounts)} ${inv.currency}`;
  const ibanText = st.ibanGroups ? inv.iban.replace(/(.{4})/g, '$1 ').trim() : inv.iban;
  const list: [number, ...Cell[]][] = [];
  if (st.layout === 'columns') {
    list.push(
      [60, [80, ro(`Furnizor: ${inv.supplier.name}`)], [900, ro(`Cumpărător: ${inv.buyer.name}`)]],
      [90, [80, `C.I.F.: ${inv.supplier.cif}`], [900, `C.I.F.: ${inv.buyer.cif}`]],
      [120, [80, ro(`Nr. ord. reg. com.: ${inv.supplier.register}`)], [900, ro(`Nr. ord. reg. com.: ${inv.buyer.register}`)]],
      [150, [80, `Cont: ${ibanText}`]],
      [220, [600, `Seria ${inv.series} nr. ${inv.number}`]],
      [250, [600, `Data (zi/luna/an): ${date(issue)}`]],
      [280, [600, ro(`Data scadenței: ${date(due)}`)]],
    );
  } else if (st.layout === 'stacked') {
    list.push(
      [60, [80, `Factura seria ${inv.series} nr. ${inv.number}`]],
      [90, [80, ro(`Data emiterii: ${date(issue)}`)], [700, ro(`Termen de plată: ${date(due)}`)]],
      [150, [80, ro(`Vânzător: ${inv.supplier.name}`)]],
      [180, [80, `CIF: ${inv.supplier.cif}`], [500, `Reg. com.: ${inv.supplier.register}`]],
      [210, [80, `Cont IBAN: ${ibanText}`]],
      [260, [80, ro(`Cumpărător: ${inv.buyer.name}`)]],
      [290, [80, `CIF: ${inv.buyer.cif}`], [500, `Reg. com.: ${inv.buyer.register}`]],
    );
  } else {
    list.push(
      [50, [1100, 'Serie:'], [1400, inv.series]],
      [80, [1100, 'Număr:'], [1400, inv.number]],
      [110, [1100, 'Data emiterii:'], [1400, date(issue)]],
      [140, [1100, ro('Data scadenței:')], [1400, date(due)]],
      [200, [80, 'FURNIZOR'], [900, 'CLIENT']],
      [230, [80, ro(inv.supplier.name)], [900, ro(inv.buyer.name)]],
      [260, [80, `CUI: ${inv.supplier.cif}`], [900, `CUI: ${inv.buyer.cif}`]],
      [290, [80, `Reg. Com.: ${inv.supplier.register}`], [900, `Reg. Com.: ${inv.buyer.register}`]],
      [320, [80, `IBAN: ${ibanText}`]],
    );
  }
  list.push([400, [80, 'Nr. crt.'], [200, 'Denumire'], [800, 'Cant.'], [1000, 'Valoare'], [1300, ro('Valoare TVA')]]);
  inv.lines.forEach((l, i) => {
    const rate = l.reduced ? red : std;
    list.push([430 + 30 * i, [80, String(i + 1)], [200, `Produs ${i + 1}`], [800, '1'], [1000, money(l.cents, st.amounts)], [1300, money(Math.round((l.cents * rate) / 100), st.amounts)]]);
  });
  let y = 460 + 30 * inv.lines.length;
  list.push([y, [700, 'Cota TVA'], [900, 'Baza de impozitare'], [1300, 'TVA']]);
  for (const v of vat) list.push([(y += 30), [700, `${v.rate}%`], [900, money(v.base, st.amounts)], [1300, money(v.amount, st.amounts)]]);
  list.push([(y += 50), [700, ro('Total fără TVA:')], [1200, m(net)]], [(y += 30), [700, 'Total TVA:'], [1200, m(tax)]], [(y += 30), [700, ro('Total de plată:')], [1200, m(net + tax)]]);
  const truth = {
    supplier: { name: inv.supplier.name, cif: inv.supplier.cif, tradeRegister: inv.supplier.register },
    buyer: { name: inv.buyer.name, cif: inv.buyer.cif, tradeRegister: inv.buyer.register },
    series: inv.series,
    number: inv.number,
    issueDate: issue,
    dueDate: due,
    currency: inv.currency,
    netTotal: (net / 100).toFixed(2),
    vatTotal: (tax / 100).toFixed(2),
    payableTotal: ((net + tax) / 100).toFixed(2),
    vat: vat.map((v) => ({ rate: String(v.rate), base: (v.base / 100).toFixed(2), amount: (v.amount / 100).toFixed(2) })),
    iban: inv.iban,
  };
  return { rows: rows(...list) as Row[], truth };
}

/** Values only, as the acceptance CLI compares them. */
function valuesOf(got: ReturnType<typeof extractInvoice>) {
  return {
    supplier: { name: got.supplier.name?.value, cif: got.supplier.cif?.value, tradeRegister: got.supplier.tradeRegister?.value },
    buyer: { name: got.buyer.name?.value, cif: got.buyer.cif?.value, tradeRegister: got.buyer.tradeRegister?.value },
    series: got.series?.value,
    number: got.number?.value,
    issueDate: got.issueDate?.value,
    dueDate: got.dueDate?.value,
    currency: got.currency?.value,
    netTotal: got.netTotal?.value,
    vatTotal: got.vatTotal?.value,
    payableTotal: got.payableTotal?.value,
    vat: got.vat.map((v) => ({ rate: v.rate, base: v.base, amount: v.amount })),
    iban: got.iban?.value,
  };
}

/**
 * OCR noise: in amounts, dates, CIFs and trade register numbers, every 0 may be read O and every 1 l
 * (seeded by `mask`), with a low confidence; in the IBAN one character at most (more may be
 * ambiguous for the MOD 97 check, then nothing is reported, by design).
 */
function noisy(list: Row[], iban: string, mask: number): Row[] {
  let bit = 0;
  const flip = () => ((mask >>> (bit++ % 31)) & 1) === 1;
  const grouped = iban.replace(/(.{4})/g, '$1 ').trim();
  return list.map((r) => ({
    ...r,
    cells: r.cells.map(([x, text, c]): Cell => {
      for (const form of [iban, grouped]) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        // one character of the account part (after country, check digits and bank code)
        const offsets = [...form].map((ch, i) => (i >= (form === iban ? 8 : 10) && (ch === '0' || ch === '1') ? i : -1)).filter((i) => i >= 0);
        if (offsets.length === 0 || !flip()) return [x, text, c];
        const i = at + offsets[mask % offsets.length]!;
        const changed = text.slice(0, i) + (text[i] === '0' ? 'O' : 'l') + text.slice(i + 1);
        return [x, changed, c];
      }
      const words = text.split(' ').map((w) => {
        const numeric = /^\d[\d.,]*,\d\d$|^\d[\d.]*\.\d\d$|^\d{1,2}[./-]\d{1,2}[./-]\d{4}$|^(RO)?\d{6,10}$|^J\d\d\/\d+\/\d{4}$/.test(w);
        if (!numeric) return w;
        let changed = false;
        const out = [...w]
          .map((ch) => ((ch === '0' || ch === '1') && flip() ? ((changed = true), ch === '0' ? 'O' : 'l') : ch))
          .join('');
        return changed ? `{${out}|0.45}` : w;
      });
      return [x, words.join(' '), c];
    }),
  }));
}

/** Runs per property: 300 in the suite; `EXTRACTION_PROPERTY_RUNS=20000` for a long hunt. */
const RUNS = Number(process.env.EXTRACTION_PROPERTY_RUNS ?? 300);
const TIMEOUT = Math.max(60_000, RUNS * 30);

describe('extractInvoice on random invoices (property)', () => {
  it('reads back every printed field', () => {
    fc.assert(
      fc.property(invoice, (inv) => {
        // the same CIF on both sides is reported as a warning, by design
        fc.pre(inv.supplier.cif.replace('RO', '') !== inv.buyer.cif.replace('RO', ''));
        const { rows: printed, truth } = print(inv);
        const got = extractInvoice([syntheticPage(printed, { lineIds: inv.style.lineIds, skewDegrees: inv.style.skew })]);
        expect({
          supplier: { name: got.supplier.name?.value, cif: got.supplier.cif?.value, tradeRegister: got.supplier.tradeRegister?.value },
          buyer: { name: got.buyer.name?.value, cif: got.buyer.cif?.value, tradeRegister: got.buyer.tradeRegister?.value },
          series: got.series?.value,
          number: got.number?.value,
          issueDate: got.issueDate?.value,
          dueDate: got.dueDate?.value,
          currency: got.currency?.value,
          netTotal: got.netTotal?.value,
          vatTotal: got.vatTotal?.value,
          payableTotal: got.payableTotal?.value,
          vat: got.vat.map((v) => ({ rate: v.rate, base: v.base, amount: v.amount })),
          iban: got.iban?.value,
        }).toEqual(truth);
        expect(got.warnings).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
  it('reads back the same values through O/0 and l/1 confusions, with lower confidences', () => {
    fc.assert(
      fc.property(invoice, fc.integer({ min: 1, max: 0x7fffffff }), (inv, mask) => {
        fc.pre(inv.supplier.cif.replace('RO', '') !== inv.buyer.cif.replace('RO', ''));
        const { rows: printed, truth } = print(inv);
        const opts = { lineIds: inv.style.lineIds, skewDegrees: inv.style.skew };
        const clean = extractInvoice([syntheticPage(printed, opts)]);
        const noisyRows = noisy(printed, inv.iban, mask);
        const dirty = extractInvoice([syntheticPage(noisyRows, opts)]);
        if (process.env.EXTRACTION_PROPERTY_DEBUG && JSON.stringify(valuesOf(dirty)) !== JSON.stringify(truth) && !(globalThis as { shown?: boolean }).shown) {
          (globalThis as { shown?: boolean }).shown = true;
          console.log(JSON.stringify({ opts, noisyRows, got: valuesOf(dirty), truth }));
        }
        expect(valuesOf(dirty)).toEqual(truth);
        expect(dirty.payableTotal!.confidence).toBeLessThanOrEqual(clean.payableTotal!.confidence);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
