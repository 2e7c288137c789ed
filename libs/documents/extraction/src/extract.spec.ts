import { describe, expect, it } from 'vitest';
import { extractInvoice } from './extract.js';
import { isValidCif } from './cif.js';
import { isValidIban } from './iban.js';
import { rows, syntheticPage, type Cell, type Row, type SyntheticPageOptions } from './testing/synthetic-page.js';
import type { ExtractedInvoice, OcrPage } from './types.js';

/** Every whole-invoice scenario runs with lines by geometry (PDF text layer) and with engine line ids (Tesseract). */
const MODES: [string, SyntheticPageOptions][] = [
  ['lines by geometry', {}],
  ['engine line ids', { lineIds: true }],
];

/** Values only (what the acceptance CLI compares), confidences aside. */
function values(inv: ExtractedInvoice) {
  return {
    supplier: { name: inv.supplier.name?.value, cif: inv.supplier.cif?.value, tradeRegister: inv.supplier.tradeRegister?.value },
    buyer: { name: inv.buyer.name?.value, cif: inv.buyer.cif?.value, tradeRegister: inv.buyer.tradeRegister?.value },
    series: inv.series?.value,
    number: inv.number?.value,
    issueDate: inv.issueDate?.value,
    dueDate: inv.dueDate?.value,
    currency: inv.currency?.value,
    netTotal: inv.netTotal?.value,
    vatTotal: inv.vatTotal?.value,
    payableTotal: inv.payableTotal?.value,
    vat: inv.vat.map((v) => ({ rate: v.rate, base: v.base, amount: v.amount })),
    iban: inv.iban?.value,
  };
}

/** Every confidence of an extraction, by field path. */
function confidences(inv: ExtractedInvoice): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(inv)) {
    if (k === 'warnings') continue;
    if (k === 'vat') (v as ExtractedInvoice['vat']).forEach((b, i) => (out[`vat.${i}`] = b.confidence));
    else if (k === 'supplier' || k === 'buyer') for (const [m, f] of Object.entries(v as object)) out[`${k}.${m}`] = (f as { confidence: number }).confidence;
    else out[k] = (v as { confidence: number }).confidence;
  }
  return out;
}

/** Replaces the text of the cells equal to `from` (whole cell text) by `to`. */
function edit(list: Row[], changes: Record<string, string>): Row[] {
  return list.map((r) => ({ ...r, cells: r.cells.map(([x, t, c]): Cell => [x, changes[t] ?? t, c]) }));
}

// ---------------------------------------------------------------------------------------------
// A. two-column layout, 21% (after 2025-08-01), labels with diacritics
// ---------------------------------------------------------------------------------------------
const twoColumn = rows(
  [60, [600, 'FACTURĂ FISCALĂ']],
  [110, [600, 'Seria ABC nr. 00123']],
  [140, [600, 'Data emiterii: 12.09.2025']],
  [170, [600, 'Data scadenței: 12.10.2025']],
  [230, [80, 'Furnizor: Alfa Construct S.R.L.'], [900, 'Cumpărător: Beta Trading SA']],
  [260, [80, 'CIF: RO18547290'], [900, 'CUI: 42338156']],
  [290, [80, 'Nr. Reg. Com.: J40/1234/2010'], [900, 'Reg. Com.: J12/345/2005']],
  [320, [80, 'IBAN: RO49 AAAA 1B31 0075 9384 0000'], [900, 'Str. Lalelelor nr. 5, Cluj']],
  [350, [80, 'Banca: Banca Exemplu'], [900, 'IBAN: DE89 3704 0044 0532 0130 00']],
  [420, [80, 'Nr. crt'], [200, 'Denumire produs'], [700, 'U.M.'], [800, 'Cant.'], [950, 'Preț unitar'], [1150, 'Valoare'], [1350, 'TVA']],
  [450, [80, '1'], [200, 'Servicii consultanță'], [700, 'ore'], [800, '10'], [950, '80,00'], [1150, '800,00'], [1350, '168,00']],
  [480, [80, '2'], [200, 'Materiale'], [700, 'buc'], [800, '4'], [950, '50,00'], [1150, '200,00'], [1350, '42,00']],
  [560, [900, 'Total fără TVA:'], [1300, '1.000,00']],
  [590, [900, 'TVA 21%:'], [1300, '210,00']],
  [620, [900, 'Total de plată:'], [1300, '1.210,00 lei']],
);

const expectedTwoColumn = {
  supplier: { name: 'Alfa Construct S.R.L.', cif: 'RO18547290', tradeRegister: 'J40/1234/2010' },
  buyer: { name: 'Beta Trading SA', cif: '42338156', tradeRegister: 'J12/345/2005' },
  series: 'ABC',
  number: '00123',
  issueDate: '2025-09-12',
  dueDate: '2025-10-12',
  currency: 'RON',
  netTotal: '1000.00',
  vatTotal: '210.00',
  payableTotal: '1210.00',
  vat: [{ rate: '21', base: '1000.00', amount: '210.00' }],
  iban: 'RO49AAAA1B31007593840000',
};

describe.each(MODES)('extractInvoice: two-column layout (%s)', (_mode, mode) => {
  it('reads every field', () => {
    expect(values(extractInvoice([syntheticPage(twoColumn, mode)]))).toEqual(expectedTwoColumn);
  });
  it('gives clean, labelled, cross-checked fields a high confidence and says where they are', () => {
    const inv = extractInvoice([syntheticPage(twoColumn, mode)]);
    for (const [path, c] of Object.entries(confidences(inv))) expect(c, path).toBeGreaterThan(0.8);
    expect(inv.supplier.cif!.page).toBe(1);
    // the CIF word is at x=80+4 chars... on the row y=260
    expect(inv.supplier.cif!.bbox.y0).toBe(260);
    expect(inv.supplier.cif!.bbox.x0).toBeGreaterThan(80);
    expect(inv.buyer.cif!.bbox.x0).toBeGreaterThan(900);
    expect(inv.payableTotal!.bbox.x0).toBe(1300);
    expect(inv.warnings.filter((w) => w.includes('disagree') || w.includes('differs'))).toEqual([]);
  });
  it('prints as the acceptance CLI expects: the listed fields, each with a confidence', () => {
    const json = JSON.parse(JSON.stringify(extractInvoice([syntheticPage(twoColumn, mode)])));
    for (const path of ['supplier.cif', 'supplier.name', 'buyer.cif', 'number', 'series', 'issueDate', 'dueDate', 'currency', 'netTotal', 'vatTotal', 'payableTotal', 'iban']) {
      const f = path.split('.').reduce((o, k) => o?.[k], json);
      expect(f, path).toMatchObject({ value: expect.any(String), confidence: expect.any(Number) });
    }
    expect(json.vat[0]).toMatchObject({ rate: '21', base: '1000.00', amount: '210.00', confidence: expect.any(Number) });
  });
});

// ---------------------------------------------------------------------------------------------
// B. one-column layout: seller block above the buyer block, "Factura nr. X din date", table footer
// ---------------------------------------------------------------------------------------------
const oneColumn = rows(
  [60, [80, 'FACTURA nr. FCT-0457 din 03.02.2025']],
  [120, [80, 'Vânzător: Gamma Distribution S.R.L.']],
  [150, [80, 'Cod fiscal: RO 14399840']],
  [180, [80, 'Nr. ord. reg. com.: J2012000750528']],
  [210, [80, 'Sediul: Str. Mare nr. 1, Iași']],
  [270, [80, 'Client:']],
  [300, [80, 'Delta Services SRL']],
  [330, [80, 'C.U.I.: RO15900825']],
  [360, [80, 'Adresa: Bd. Unirii 10, București']],
  [430, [80, 'Nr. crt'], [200, 'Denumire'], [800, 'Cant.'], [950, 'Preț'], [1150, 'Valoare'], [1350, 'Valoare TVA']],
  [460, [80, '1'], [200, 'Mărfuri diverse'], [800, '20'], [950, '100,00'], [1150, '2.000,00'], [1350, '380,00']],
  [500, [200, 'Total'], [1150, '2.000,00'], [1350, '380,00']],
  [540, [200, 'Total de plată: 2.380,00 RON']],
  [570, [200, 'Scadența: 05.03.2025']],
  [600, [200, 'Cont: RO49 AAAA 1B31 0075 9384 0000']],
);

describe.each(MODES)('extractInvoice: one-column layout (%s)', (_mode, mode) => {
  it('reads both parties top to bottom, the number after "Factura nr.", totals from the table footer', () => {
    const inv = extractInvoice([syntheticPage(oneColumn, mode)]);
    expect(values(inv)).toEqual({
      supplier: { name: 'Gamma Distribution S.R.L.', cif: 'RO14399840', tradeRegister: 'J2012000750528' },
      buyer: { name: 'Delta Services SRL', cif: 'RO15900825', tradeRegister: undefined },
      series: 'FCT',
      number: '0457',
      issueDate: '2025-02-03',
      dueDate: '2025-03-05',
      currency: 'RON',
      netTotal: '2000.00',
      vatTotal: '380.00',
      payableTotal: '2380.00',
      vat: [],
      iban: 'RO49AAAA1B31007593840000',
    });
    expect(inv.warnings.some((w) => w.includes('disagree'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// C. older invoice (2023): 19%, 9% and 5%, VAT table, header row "Seria | Număr | Data"
// ---------------------------------------------------------------------------------------------
const old19 = rows(
  [60, [80, 'Furnizor'], [900, 'Beneficiar']],
  [90, [80, 'Epsilon Agro SRL'], [900, 'Zeta Retail S.A.']],
  [120, [80, 'CUI: 18547290'], [900, 'CIF: RO32209537']],
  [150, [80, 'J05/582/2011'], [900, 'J40/8068/2015']],
  [210, [80, 'Seria'], [300, 'Număr'], [500, 'Data emiterii'], [800, 'Data scadenței']],
  [240, [80, 'EAG'], [300, '2023-117'], [500, '15.06.2023'], [800, '15.07.2023']],
  [300, [80, 'Nr. crt'], [200, 'Denumire'], [700, 'Cant.'], [900, 'Preț unitar'], [1150, 'Valoare'], [1350, 'Cota TVA']],
  [330, [80, '1'], [200, 'Utilaj'], [700, '1'], [900, '1.000,00'], [1150, '1.000,00'], [1350, '19%']],
  [360, [80, '2'], [200, 'Făină'], [700, '100'], [900, '5,00'], [1150, '500,00'], [1350, '9%']],
  [390, [80, '3'], [200, 'Manuale'], [700, '10'], [900, '20,00'], [1150, '200,00'], [1350, '5%']],
  [460, [700, 'Cota TVA'], [900, 'Baza de impozitare'], [1200, 'Valoare TVA']],
  [490, [700, '19%'], [900, '1.000,00'], [1200, '190,00']],
  [520, [700, '9%'], [900, '500,00'], [1200, '45,00']],
  [550, [700, '5%'], [900, '200,00'], [1200, '10,00']],
  [600, [700, 'Total fără TVA'], [1200, '1.700,00']],
  [630, [700, 'Total TVA'], [1200, '245,00']],
  [660, [700, 'Total factură'], [1200, '1.945,00 lei']],
);

describe.each(MODES)('extractInvoice: older invoice with 19%, 9% and 5% (%s)', (_mode, mode) => {
  it('reads the VAT table per rate, the header row values under their labels', () => {
    const inv = extractInvoice([syntheticPage(old19, mode)]);
    expect(values(inv)).toMatchObject({
      supplier: { name: 'Epsilon Agro SRL', cif: '18547290', tradeRegister: 'J05/582/2011' },
      buyer: { name: 'Zeta Retail S.A.', cif: 'RO32209537', tradeRegister: 'J40/8068/2015' },
      series: 'EAG',
      number: '2023-117',
      issueDate: '2023-06-15',
      dueDate: '2023-07-15',
      currency: 'RON',
      netTotal: '1700.00',
      vatTotal: '245.00',
      payableTotal: '1945.00',
      vat: [
        { rate: '19', base: '1000.00', amount: '190.00' },
        { rate: '9', base: '500.00', amount: '45.00' },
        { rate: '5', base: '200.00', amount: '10.00' },
      ],
    });
    expect(inv.warnings).toEqual([]);
  });
  it('warns when a rate was not in force on the issue date', () => {
    const inv = extractInvoice([syntheticPage(edit(old19, { '15.06.2023': '15.09.2025', '15.07.2023': '15.10.2025' }), mode)]);
    expect(inv.warnings).toContain('vat 19%: not a Romanian VAT rate in force on 2025-09-15');
    const before = extractInvoice([syntheticPage(old19, mode)]);
    expect(inv.vat[0]!.confidence).toBeLessThan(before.vat[0]!.confidence);
  });
});

// ---------------------------------------------------------------------------------------------
// D. foreign currency: EUR invoice with the VAT also in lei (fiscal code art. 319 (20) l)
// ---------------------------------------------------------------------------------------------
const eur = rows(
  [60, [80, 'Furnizor: Alfa Construct S.R.L.'], [900, 'Client: Beta Trading SA']],
  [90, [80, 'CIF: RO18547290'], [900, 'CUI: 42338156']],
  [150, [80, 'Factura seria AC nr. 77 din 1 octombrie 2025']],
  [180, [80, 'Moneda: EUR']],
  [210, [80, 'Termen de plată: 15.10.2025']],
  [400, [800, 'Total fără TVA'], [1200, '2.000,00 EUR']],
  [430, [800, 'TVA 21%'], [1200, '420,00 EUR']],
  [460, [800, 'Total de plată'], [1200, '2.420,00 EUR']],
  [520, [80, 'Curs BNR: 1 EUR = 5,0800 lei']],
  [550, [80, 'Total TVA (lei): 2.133,60 lei']],
  [580, [80, 'IBAN EUR: RO49 AAAA 1B31 0075 9384 0000']],
);

describe.each(MODES)('extractInvoice: foreign currency (%s)', (_mode, mode) => {
  it('reads EUR, and does not take the VAT in lei for the VAT total', () => {
    const inv = extractInvoice([syntheticPage(eur, mode)]);
    expect(values(inv)).toMatchObject({
      series: 'AC',
      number: '77',
      issueDate: '2025-10-01',
      dueDate: '2025-10-15',
      currency: 'EUR',
      netTotal: '2000.00',
      vatTotal: '420.00',
      payableTotal: '2420.00',
      vat: [{ rate: '21', base: '2000.00', amount: '420.00' }],
      iban: 'RO49AAAA1B31007593840000',
    });
  });
  it('finds the currency written on the totals when there is no "Monedă" label', () => {
    const inv = extractInvoice([syntheticPage(eur.filter((r) => r.y !== 180), mode)]);
    expect(inv.currency?.value).toBe('EUR');
  });
});

// ---------------------------------------------------------------------------------------------
// E. missing due date, F. totals that disagree
// ---------------------------------------------------------------------------------------------
describe.each(MODES)('extractInvoice: missing fields and disagreements (%s)', (_mode, mode) => {
  it('leaves the due date out when the invoice has none (no guess)', () => {
    const inv = extractInvoice([syntheticPage(twoColumn.filter((r) => r.y !== 170), mode)]);
    expect(inv.dueDate).toBeUndefined();
    expect('dueDate' in JSON.parse(JSON.stringify(inv))).toBe(false);
    expect(inv.issueDate?.value).toBe('2025-09-12');
  });
  it('lowers the confidence of totals that do not add up, and says so', () => {
    const good = extractInvoice([syntheticPage(twoColumn, mode)]);
    const bad = extractInvoice([syntheticPage(edit(twoColumn, { '1.210,00 lei': '1.200,00 lei' }), mode)]);
    expect(bad.payableTotal?.value).toBe('1200.00');
    expect(bad.warnings.some((w) => w.startsWith('totals disagree'))).toBe(true);
    for (const k of ['netTotal', 'vatTotal', 'payableTotal'] as const) {
      expect(bad[k]!.confidence, k).toBeLessThan(good[k]!.confidence * 0.6);
    }
  });
  it('flags a VAT amount that is not base × rate', () => {
    const inv = extractInvoice([syntheticPage(edit(old19, { '45,00': '54,00', '245,00': '254,00', '1.945,00 lei': '1.954,00 lei' }), mode)]);
    expect(inv.vat[1]).toMatchObject({ rate: '9', base: '500.00', amount: '54.00' });
    expect(inv.warnings.some((w) => w.startsWith('vat 9%'))).toBe(true);
    const good = extractInvoice([syntheticPage(old19, mode)]);
    expect(inv.vat[1]!.confidence).toBeLessThan(good.vat[1]!.confidence);
    expect(inv.vat[0]!.confidence).toBe(good.vat[0]!.confidence);
  });
  it('computes a missing total from the two others, with a lower confidence', () => {
    const inv = extractInvoice([syntheticPage(twoColumn.filter((r) => r.y !== 620), mode)]);
    expect(inv.payableTotal?.value).toBe('1210.00');
    expect(inv.payableTotal!.confidence).toBeLessThan(Math.min(inv.netTotal!.confidence, inv.vatTotal!.confidence));
    expect(inv.warnings).toContain('payableTotal: computed from the other two totals');
  });
  it('does not compute a total from low-confidence readings', () => {
    const noisy = twoColumn.filter((r) => r.y !== 620).map((r) => ({ ...r, cells: r.cells.map(([x, t]): Cell => [x, t, 0.3]) }));
    expect(extractInvoice([syntheticPage(noisy, mode)]).payableTotal).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// G. OCR noise: low confidences, l/1 and O/0 confusions in numbers, CIF, IBAN, dates
// ---------------------------------------------------------------------------------------------
describe.each(MODES)('extractInvoice: noisy OCR (%s)', (_mode, mode) => {
  const noisy = edit(twoColumn, {
    'CIF: RO18547290': 'CIF: {RO1854729O|0.61}',
    'Nr. Reg. Com.: J40/1234/2010': 'Nr. Reg. Com.: {J4O/l234/2O1O|0.58}',
    'IBAN: RO49 AAAA 1B31 0075 9384 0000': 'IBAN: RO49 AAAA {lB31|0.52} {OO75|0.5} 9384 0000',
    'Data emiterii: 12.09.2025': 'Data emiterii: {l2.O9.2025|0.55}',
    '1.000,00': '{l.OOO,OO|0.6}',
    '210,00': '{2l0,0O|0.57}',
    '1.210,00 lei': '{1.2lO,OO|0.5} lei',
  });
  it('reads the same values as on the clean page', () => {
    expect(values(extractInvoice([syntheticPage(noisy, mode)]))).toEqual(expectedTwoColumn);
  });
  it('with lower confidences where the words were noisy, the same elsewhere', () => {
    const clean = confidences(extractInvoice([syntheticPage(twoColumn, mode)]));
    const dirty = confidences(extractInvoice([syntheticPage(noisy, mode)]));
    for (const k of ['supplier.cif', 'supplier.tradeRegister', 'iban', 'issueDate', 'netTotal', 'vatTotal', 'payableTotal', 'vat.0']) {
      expect(dirty[k], k).toBeLessThan(clean[k]!);
    }
    for (const k of ['buyer.cif', 'buyer.name', 'series', 'number', 'dueDate']) expect(dirty[k], k).toBe(clean[k]);
  });
  it('never reports a CIF or an IBAN that fails its check', () => {
    const inv = extractInvoice([syntheticPage(edit(twoColumn, { 'CIF: RO18547290': 'CIF: RO18547291', 'IBAN: RO49 AAAA 1B31 0075 9384 0000': 'IBAN: RO49 AAAA 1B31 0075 9384 0001' }), mode)]);
    if (inv.supplier.cif) {
      expect(isValidCif(inv.supplier.cif.value) || inv.supplier.cif.confidence < 0.15).toBe(true);
    }
    expect(inv.supplier.cif?.value).toBe('RO18547291');
    expect(inv.supplier.cif!.confidence).toBeLessThan(0.15);
    expect(inv.warnings).toContain('supplier.cif: RO18547291 fails the CUI check digit');
    // the only other IBAN of the page is the buyer's: never the supplier's account
    expect(inv.iban?.value).not.toBe('RO49AAAA1B31007593840001');
    if (inv.iban) expect(isValidIban(inv.iban.value)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// H. supplier without a label (letterhead), payment term in days; I. two pages
// ---------------------------------------------------------------------------------------------
const letterhead = rows(
  [50, [80, 'OMEGA SOFT S.R.L.']],
  [80, [80, 'RO18547290 · J40/1234/2010']],
  [110, [80, 'Str. Exemplu 1, București']],
  [200, [900, 'Client: Beta Trading SA']],
  [230, [900, 'CUI: 42338156']],
  [300, [80, 'Factura seria OS nr. 1001']],
  [330, [80, 'Data: 12 martie 2025']],
  [360, [80, 'Termen de plată: 30 zile']],
  [500, [800, 'Total fără TVA'], [1200, '500,00']],
  [530, [800, 'TVA 19%'], [1200, '95,00']],
  [560, [800, 'Total de plată'], [1200, '595,00 lei']],
);

describe.each(MODES)('extractInvoice: supplier in the letterhead, due date in days (%s)', (_mode, mode) => {
  it('takes the supplier from the first valid CIF outside the buyer block, with a lower confidence', () => {
    const inv = extractInvoice([syntheticPage(letterhead, mode)]);
    expect(values(inv)).toMatchObject({
      supplier: { name: 'OMEGA SOFT S.R.L.', cif: 'RO18547290', tradeRegister: 'J40/1234/2010' },
      buyer: { name: 'Beta Trading SA', cif: '42338156' },
      series: 'OS',
      number: '1001',
      issueDate: '2025-03-12',
      dueDate: '2025-04-11',
    });
    expect(inv.supplier.cif!.confidence).toBeLessThan(inv.buyer.cif!.confidence);
    expect(inv.warnings).toContain('dueDate: computed as issue date + 30 days');
  });
});

// ---------------------------------------------------------------------------------------------
// J. three A4 layouts in PDF points (9 pt text), the label wordings of common Romanian programs
// ---------------------------------------------------------------------------------------------
/** x of a cell whose text ends at `right` (right-aligned column), 9 pt. */
const rightAt = (right: number, text: string): number => right - text.length * 0.55 * 9;
const pdf = (list: Row[], mode: SyntheticPageOptions) => syntheticPage(list, { ...mode, fontSize: 9, width: 595, height: 842 });

const classicA4 = rows(
  [60, [40, 'Furnizor: Ştefănescu Ţăranu S.R.L.'], [320, 'Cumpărător: MĂGURA NORDIC SA']],
  [74, [40, 'Nr. ord. reg. com.: J40/1234/2019'], [320, 'Nr. ord. reg. com.: J2025000123005'.replace('J', 'F')]],
  [86, [40, 'C.I.F.: RO18547290'], [320, 'C.I.F.: 15900825']],
  [98, [40, 'Sediul: Str. Ţebei nr. 12, Cluj-Napoca, jud. Cluj'], [320, 'Sediul: Bd. Unirii nr. 7, Iaşi, jud. Iaşi']],
  [110, [40, 'Cont: RO49AAAA1B31007593840000']],
  [122, [40, 'Banca: Banca Exemplu']],
  [170, [250, 'FACTURĂ']],
  [192, [220, 'Seria BTX nr. 000457']],
  [206, [200, 'Data (zi/luna/an): 03/11/2025']],
  [220, [200, 'Data scadenţei: 03/12/2025']],
  [234, [200, 'Moneda: RON']],
  [268, [40, 'Nr. crt.'], [62, 'Denumirea produselor sau a serviciilor'], [rightAt(345, 'U.M.'), 'U.M.'], [rightAt(415, 'Cant.'), 'Cant.'], [rightAt(485, 'Preţ unitar'), 'Preţ unitar'], [rightAt(520, 'Valoarea'), 'Valoarea'], [rightAt(555, 'Valoarea TVA'), 'Valoarea TVA']],
  [284, [40, '1'], [62, 'Hârtie copiator A4'], [rightAt(345, 'top'), 'top'], [rightAt(415, '10'), '10'], [rightAt(485, '25.00'), '25.00'], [rightAt(520, '250.00'), '250.00'], [rightAt(555, '52.50'), '52.50']],
  [298, [40, '2'], [62, 'Pâine feliată'], [rightAt(345, 'buc'), 'buc'], [rightAt(415, '20'), '20'], [rightAt(485, '5.00'), '5.00'], [rightAt(520, '100.00'), '100.00'], [rightAt(555, '11.00'), '11.00']],
  [330, [300, 'Cota TVA'], [rightAt(470, 'Baza de impozitare'), 'Baza de impozitare'], [rightAt(555, 'TVA'), 'TVA']],
  [343, [300, '21%'], [rightAt(470, '250.00'), '250.00'], [rightAt(555, '52.50'), '52.50']],
  [356, [300, '11%'], [rightAt(470, '100.00'), '100.00'], [rightAt(555, '11.00'), '11.00']],
  [380, [300, 'Total fără TVA:'], [rightAt(555, '350.00 lei'), '350.00 lei']],
  [395, [300, 'Total TVA:'], [rightAt(555, '63.50 lei'), '63.50 lei']],
  [410, [300, 'Total de plată:'], [rightAt(555, '413.50 lei'), '413.50 lei']],
  [790, [40, 'Factură valabilă fără semnătură şi ştampilă conform art. 319 alin. (29) din Legea 227/2015.']],
);

const modernA4 = rows(
  [52, [410, 'Serie:'], [rightAt(555, 'CJ'), 'CJ']],
  [62, [40, 'FACTURĂ FISCALĂ']],
  [65, [410, 'Număr:'], [rightAt(555, '0032'), '0032']],
  [78, [410, 'Data emiterii:'], [rightAt(555, '15-06-2024'), '15-06-2024']],
  [91, [410, 'Data scadenței:'], [rightAt(555, '30-06-2024'), '30-06-2024']],
  [104, [410, 'Moneda:'], [rightAt(555, 'EUR'), 'EUR']],
  [150, [40, 'FURNIZOR'], [320, 'CLIENT']],
  [165, [40, 'Carpați Logistică SRL'], [320, 'Dunărea Tehnică S.R.L.-D']],
  [180, [40, 'CUI: 14399840'], [320, 'CUI: RO42338156']],
  [192, [40, 'Reg. Com.: J2012000750528'], [320, 'Adresa: Str. Gării nr. 3, Brașov']],
  [204, [40, 'Adresa: Calea Moșilor nr. 150, București, Sector 2']],
  [216, [40, 'IBAN: RO49 AAAA 1B31 0075 9384 0000']],
  [228, [40, 'Banca: Banca Exemplu']],
  [270, [40, 'Nr.'], [62, 'Descriere'], [rightAt(345, 'UM'), 'UM'], [rightAt(415, 'Cantitate'), 'Cantitate'], [rightAt(485, 'Preț unitar'), 'Preț unitar'], [rightAt(520, 'Valoare'), 'Valoare'], [rightAt(555, 'Cota TVA'), 'Cota TVA']],
  [286, [40, '1'], [62, 'Transport marfă'], [rightAt(345, 'km'), 'km'], [rightAt(415, '120'), '120'], [rightAt(485, '1,50'), '1,50'], [rightAt(520, '180,00'), '180,00'], [rightAt(555, '19%'), '19%']],
  [300, [40, '2'], [62, 'Cafea boabe 1 kg'], [rightAt(345, 'kg'), 'kg'], [rightAt(415, '2'), '2'], [rightAt(485, '10,00'), '10,00'], [rightAt(520, '20,00'), '20,00'], [rightAt(555, '9%'), '9%']],
  [330, [300, 'Cota TVA'], [rightAt(470, 'Bază impozabilă'), 'Bază impozabilă'], [rightAt(555, 'Valoare TVA'), 'Valoare TVA']],
  [343, [300, '19%'], [rightAt(470, '180,00'), '180,00'], [rightAt(555, '34,20'), '34,20']],
  [356, [300, '9%'], [rightAt(470, '20,00'), '20,00'], [rightAt(555, '1,80'), '1,80']],
  [380, [360, 'Subtotal'], [rightAt(555, '200,00 EUR'), '200,00 EUR']],
  [395, [360, 'Total TVA'], [rightAt(555, '36,00 EUR'), '36,00 EUR']],
  [410, [360, 'Total de plată'], [rightAt(555, '236,00 EUR'), '236,00 EUR']],
);

const compactA4 = rows(
  [58, [40, 'Factura seria PRX nr. 12']],
  [76, [40, 'Data emiterii: 01.09.2025'], [200, 'Termen de plată: 01.10.2025']],
  [106, [40, 'Vânzător: Grădina Fântâna SCS']],
  [119, [40, 'CIF: 32209537'], [150, 'Reg. com.: J05/582/2011']],
  [131, [40, 'Adresa: Str. Lungă nr. 1, Suceava, jud. Suceava']],
  [143, [40, 'Cont IBAN: RO49 AAAA 1B31 0075 9384 0000, Banca Exemplu']],
  [169, [40, 'Cumpărător: Alfa Delta SRL']],
  [182, [40, 'CIF: RO18547290'], [150, 'Reg. com.: J40/8068/2015']],
  [194, [40, 'Adresa: Bd. Unirii nr. 9, București, Sector 2']],
  [230, [40, 'Nr.'], [62, 'Denumire'], [rightAt(345, 'U.M.'), 'U.M.'], [rightAt(415, 'Cant.'), 'Cant.'], [rightAt(485, 'Preț'), 'Preț'], [rightAt(520, 'Valoare'), 'Valoare'], [rightAt(555, 'TVA'), 'TVA']],
  [246, [40, '1'], [62, 'Montaj instalație'], [rightAt(345, 'ore'), 'ore'], [rightAt(415, '8'), '8'], [rightAt(485, '1.250,00'), '1.250,00'], [rightAt(520, '10.000,00'), '10.000,00'], [rightAt(555, '2.100,00'), '2.100,00']],
  [280, [250, 'Bază impozabilă 21%: 10.000,00'], [430, 'TVA 21%: 2.100,00']],
  [301, [rightAt(400, 'Total fără TVA:'), 'Total fără TVA:'], [rightAt(555, '10.000,00 lei'), '10.000,00 lei']],
  [316, [rightAt(400, 'Total TVA:'), 'Total TVA:'], [rightAt(555, '2.100,00 lei'), '2.100,00 lei']],
  [331, [rightAt(400, 'Total de plată:'), 'Total de plată:'], [rightAt(555, '12.100,00 lei'), '12.100,00 lei']],
);

describe.each(MODES)('extractInvoice: A4 layouts in PDF points (%s)', (_mode, mode) => {
  it('classic: two columns, centred title block, VAT table, cedilla letters, dot amounts', () => {
    const inv = extractInvoice([pdf(classicA4, mode)]);
    expect(values(inv)).toEqual({
      supplier: { name: 'Ștefănescu Țăranu S.R.L.', cif: 'RO18547290', tradeRegister: 'J40/1234/2019' },
      buyer: { name: 'MĂGURA NORDIC SA', cif: '15900825', tradeRegister: 'F2025000123005' },
      series: 'BTX',
      number: '000457',
      issueDate: '2025-11-03',
      dueDate: '2025-12-03',
      currency: 'RON',
      netTotal: '350.00',
      vatTotal: '63.50',
      payableTotal: '413.50',
      vat: [
        { rate: '21', base: '250.00', amount: '52.50' },
        { rate: '11', base: '100.00', amount: '11.00' },
      ],
      iban: 'RO49AAAA1B31007593840000',
    });
    expect(inv.warnings).toEqual([]);
  });
  it('modern: stacked header labels, party headings above the names, EUR', () => {
    expect(values(extractInvoice([pdf(modernA4, mode)]))).toEqual({
      supplier: { name: 'Carpați Logistică SRL', cif: '14399840', tradeRegister: 'J2012000750528' },
      buyer: { name: 'Dunărea Tehnică S.R.L.-D', cif: 'RO42338156', tradeRegister: undefined },
      series: 'CJ',
      number: '0032',
      issueDate: '2024-06-15',
      dueDate: '2024-06-30',
      currency: 'EUR',
      netTotal: '200.00',
      vatTotal: '36.00',
      payableTotal: '236.00',
      vat: [
        { rate: '19', base: '180.00', amount: '34.20' },
        { rate: '9', base: '20.00', amount: '1.80' },
      ],
      iban: 'RO49AAAA1B31007593840000',
    });
  });
  it('compact: one column, both VAT figures of a rate on one line, payment term label', () => {
    expect(values(extractInvoice([pdf(compactA4, mode)]))).toEqual({
      supplier: { name: 'Grădina Fântâna SCS', cif: '32209537', tradeRegister: 'J05/582/2011' },
      buyer: { name: 'Alfa Delta SRL', cif: 'RO18547290', tradeRegister: 'J40/8068/2015' },
      series: 'PRX',
      number: '12',
      issueDate: '2025-09-01',
      dueDate: '2025-10-01',
      currency: 'RON',
      netTotal: '10000.00',
      vatTotal: '2100.00',
      payableTotal: '12100.00',
      vat: [{ rate: '21', base: '10000.00', amount: '2100.00' }],
      iban: 'RO49AAAA1B31007593840000',
    });
  });
});

describe.each(MODES)('extractInvoice: a right-aligned value running into its label (%s)', (_mode, mode) => {
  it('still reads it (a monospace font printed over its label)', () => {
    // "Data scadenței:" ends at x≈514, the date starts at 494: they overlap by 40% of the date
    const inv = extractInvoice([pdf(rows([91, [440, 'Data scadenței:'], [494, '30-06-2024']], [104, [440, 'Moneda:'], [530, 'RON']]), mode)]);
    expect(inv.dueDate?.value).toBe('2024-06-30');
  });
});

describe.each(MODES)('extractInvoice: misread VAT figures (%s)', (_mode, mode) => {
  it('infers the rate of a VAT table row whose rate cell was not read', () => {
    const inv = extractInvoice([syntheticPage(edit(old19, { '19%': '', '9%': '' }), mode)]);
    expect(inv.vat.map((v) => `${v.rate}:${v.base}:${v.amount}`)).toEqual(['19:1000.00:190.00', '9:500.00:45.00', '5:200.00:10.00']);
    const clean = extractInvoice([syntheticPage(old19, mode)]);
    expect(inv.vat[0]!.confidence).toBeLessThan(clean.vat[0]!.confidence);
    expect(inv.vat[2]!.confidence).toBe(clean.vat[2]!.confidence);
  });
  it('tells base from amount by the column when only one figure of a VAT table row was read', () => {
    const inv = extractInvoice([syntheticPage(edit(old19, { '10,00': '' }), mode)]);
    expect(inv.vat[2]).toMatchObject({ rate: '5', base: '200.00', amount: '10.00' });
    expect(inv.warnings).toContain('vat 5%: amount computed from the base');
    const other = extractInvoice([syntheticPage(edit(old19, { '500,00': '' }), mode)]);
    expect(other.vat[1]).toMatchObject({ rate: '9', base: '500.00', amount: '45.00' });
  });
  it('sets right a VAT amount that the VAT total contradicts', () => {
    // 45,00 read as 41,00: 500 × 9% = 45.00 makes the VAT amounts add up to "Total TVA 245,00"
    const inv = extractInvoice([syntheticPage(edit(old19, { '45,00': '41,00' }), mode)]);
    expect(inv.vat[1]).toMatchObject({ rate: '9', base: '500.00', amount: '45.00' });
    expect(inv.warnings.some((w) => w.startsWith('vat 9%: amount 41.00 read'))).toBe(true);
  });
  it('sets right a VAT base that the net total contradicts', () => {
    // 500,00 read as 800,00: 1.700,00 − 1.000,00 − 200,00 = 500.00 and 500 × 9% = 45,00 as read
    const inv = extractInvoice([syntheticPage(edit(old19, { '500,00': '800,00' }), mode)]);
    expect(inv.vat[1]).toMatchObject({ rate: '9', base: '500.00', amount: '45.00' });
    expect(inv.warnings.some((w) => w.startsWith('vat 9%: base 800.00 read'))).toBe(true);
  });
  it('leaves both as read when the totals do not say which one is wrong', () => {
    const inv = extractInvoice([syntheticPage(edit(old19, { '45,00': '41,00', '245,00': '241,00', '1.945,00 lei': '1.941,00 lei' }), mode)]);
    expect(inv.vat[1]).toMatchObject({ rate: '9', base: '500.00', amount: '41.00' });
  });
});

describe('extractInvoice: scans placed 1-2 degrees askew', () => {
  const cases: [number, boolean][] = [-2, -1.5, -1, 1, 1.5, 2].flatMap((deg): [number, boolean][] => [[deg, false], [deg, true]]);
  it.each(cases)('reads the same fields at %s° (line ids: %s)', (deg, lineIds) => {
    expect(values(extractInvoice([syntheticPage(twoColumn, { skewDegrees: deg, lineIds })]))).toEqual(expectedTwoColumn);
    expect(values(extractInvoice([syntheticPage(old19, { skewDegrees: deg, lineIds })]))).toEqual(values(extractInvoice([syntheticPage(old19)])));
  });
  it('reports boxes in the coordinates of the scan', () => {
    const page = syntheticPage(twoColumn, { skewDegrees: 2 });
    const inv = extractInvoice([page]);
    expect(inv.supplier.cif!.bbox).toEqual(page.words.find((w) => w.text === 'RO18547290')!.bbox);
  });
});

describe('extractInvoice: number and date written together', () => {
  it.each([
    ['FACTURA FISCALĂ nr. 123/12.03.2025', '123'],
    ['Factura nr. 123 / 12.03.2025', '123'],
    ['Factura nr. 2025-0007 din data de 12.03.2025', '2025-0007'],
  ])('"%s": number %s, the date is the issue date', (title, number) => {
    const inv = extractInvoice([syntheticPage(rows([60, [80, title]], [120, [80, 'Furnizor: Alfa SRL']], [150, [80, 'CIF: RO18547290']]))]);
    expect(inv.number?.value).toBe(number);
    expect(inv.series).toBeUndefined();
    expect(inv.issueDate?.value).toBe('2025-03-12');
    expect(inv.warnings.some((w) => w.startsWith('issueDate'))).toBe(false);
  });
});

describe('extractInvoice: two pages', () => {
  it('reads the header on page 1 and the totals on page 2, with their page numbers', () => {
    const p1 = syntheticPage(twoColumn.filter((r) => r.y < 500), { page: 1 });
    const p2 = syntheticPage(twoColumn.filter((r) => r.y >= 500), { page: 2 });
    const inv = extractInvoice([p2, p1]);
    expect(values(inv)).toEqual(expectedTwoColumn);
    expect(inv.supplier.cif!.page).toBe(1);
    expect(inv.payableTotal!.page).toBe(2);
  });
});

describe('extractInvoice: nothing to read', () => {
  it('returns empty parties, no fields and no warnings for an empty page', () => {
    expect(extractInvoice([{ page: 1, width: 100, height: 100, words: [] }])).toEqual({ supplier: {}, buyer: {}, vat: [], warnings: [] });
    expect(extractInvoice([])).toEqual({ supplier: {}, buyer: {}, vat: [], warnings: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// speed: a page of about 500 words
// ---------------------------------------------------------------------------------------------
describe('extractInvoice: speed', () => {
  // The intrinsic cost is what matters, not how busy the machine is: the suite runs files in parallel
  // on 2 cores (and other work may share them), so the fastest of 60 timed runs (after a JIT warm-up)
  // is compared with the budget. Measured alone: about 1.1 ms (geometry) and 1.7 ms (engine line ids).
  it.each(MODES)('reads a 500-word page in well under 5 ms (%s)', (_mode, mode) => {
    const items: [number, ...Cell[]][] = [];
    for (let i = 0; i < 40; i++) {
      const y = 700 + i * 30;
      items.push([y, [80, String(i + 1)], [200, `Produs de test numărul ${i + 1}`], [700, 'buc'], [800, '2'], [950, '12,50'], [1150, '25,00'], [1350, '5,25']]);
    }
    const page: OcrPage = syntheticPage([...twoColumn, ...rows(...items)], mode);
    expect(page.words.length).toBeGreaterThanOrEqual(500);
    expect(values(extractInvoice([page])).supplier.cif).toBe('RO18547290');
    for (let i = 0; i < 40; i++) extractInvoice([page]);
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      extractInvoice([page]);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[0]!).toBeLessThan(5);
  });
});
