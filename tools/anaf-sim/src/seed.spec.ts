import { buildCiusRoUbl, computeTotals, validateUbl } from '@cetate/invoicing-domain';
import { describe, expect, it } from 'vitest';
import { seedInvoiceDocument, seedSellers } from './seed.js';
import { defaultTaxpayers, isValidCui, makeCui, normaliseTaxpayer, taxpayerAsOf } from './taxpayers.js';

describe('CUI check digit (key 753217532)', () => {
  it('accepts known valid CUIs and refuses a wrong check digit', () => {
    expect(isValidCui('14399840')).toBe(true);
    expect(isValidCui('RO41832096')).toBe(true);
    expect(isValidCui('14399841')).toBe(false);
    expect(isValidCui('1')).toBe(false);
    expect(isValidCui('12a')).toBe(false);
    expect(makeCui(4183209)).toBe('41832096');
  });
});

describe('seeded supplier invoices', () => {
  const sellers = seedSellers(25);
  const buyer = { cif: '41832096', name: 'Cetate Demo Software SRL' };

  it('generates distinct suppliers with valid CUIs', () => {
    expect(new Set(sellers.map((s) => s.cif)).size).toBe(25);
    for (const s of sellers) expect(isValidCui(s.cif), s.cif).toBe(true);
  });

  it('builds CIUS-RO invoices that validateUbl accepts, 1-3 lines at 21 % and 11 %, totals that differ', () => {
    const payables = new Set<string>();
    for (let n = 1; n <= 30; n++) {
      const doc = seedInvoiceDocument(sellers[n % sellers.length]!, buyer, n, '2026-03-02');
      expect(doc.lines.length).toBeGreaterThanOrEqual(1);
      expect(doc.lines.length).toBeLessThanOrEqual(3);
      for (const l of doc.lines) expect(['21', '11']).toContain(l.vatRate);
      const report = validateUbl(buildCiusRoUbl(doc));
      const errors = report.messages.filter((m) => m.flag !== 'warning');
      expect(errors, `${doc.number}: ${JSON.stringify(errors)}`).toEqual([]);
      expect(report.valid).toBe(true);
      payables.add(computeTotals(doc).payableAmount);
    }
    expect(payables.size).toBeGreaterThan(20);
  });

  it('is deterministic for a number', () => {
    const a = seedInvoiceDocument(sellers[0]!, buyer, 77, '2026-03-02');
    const b = seedInvoiceDocument(sellers[0]!, buyer, 77, '2026-03-02');
    expect(buildCiusRoUbl(a)).toBe(buildCiusRoUbl(b));
  });
});

describe('taxpayer fixture and the state as of a day', () => {
  const all = defaultTaxpayers();
  const byCui = new Map(all.map((t) => [t.date_generale.cui, t]));

  it('holds about ten companies with valid CUIs, the demo tenant among them', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const t of all) expect(isValidCui(String(t.date_generale.cui))).toBe(true);
    expect(byCui.get(41832096)?.date_generale.denumire).toBe('CETATE DEMO SOFTWARE SRL');
    expect(byCui.get(41832096)?.adresa_sediu_social.sdenumire_Localitate).toContain('Sector 1');
  });

  it('computes scpTVA, statusInactivi, TVA la incasare and split TVA for the queried day', () => {
    const inactive = byCui.get(34567892)!;
    expect(taxpayerAsOf(inactive, '2025-05-31').stare_inactiv.statusInactivi).toBe(false);
    expect(taxpayerAsOf(inactive, '2026-01-10').stare_inactiv.statusInactivi).toBe(true);
    expect(taxpayerAsOf(inactive, '2026-01-10').inregistrare_scop_Tva.scpTVA).toBe(false);
    expect(taxpayerAsOf(inactive, '2024-01-10').inregistrare_scop_Tva.scpTVA).toBe(true);
    expect(taxpayerAsOf(byCui.get(45678900)!, '2026-01-10').inregistrare_scop_Tva).toEqual({ scpTVA: false, perioade_TVA: [] });
    const gap = byCui.get(20000013)!;
    expect(taxpayerAsOf(gap, '2020-06-01').inregistrare_scop_Tva.scpTVA).toBe(false);
    expect(taxpayerAsOf(gap, '2021-02-01').inregistrare_scop_Tva.scpTVA).toBe(true);
    expect(taxpayerAsOf(byCui.get(12345674)!, '2026-01-10').inregistrare_RTVAI.statusTvaIncasare).toBe(true);
    expect(taxpayerAsOf(byCui.get(23456783)!, '2026-01-10').inregistrare_SplitTVA.statusSplitTVA).toBe(true);
    expect(taxpayerAsOf(byCui.get(41832096)!, '2026-01-10').date_generale.data).toBe('2026-01-10');
  });

  it('refuses a CUI without a valid check digit; fills missing groups', () => {
    expect(() => normaliseTaxpayer({ date_generale: { cui: 14399841, denumire: 'X SRL' } })).toThrow(RangeError);
    const t = normaliseTaxpayer({ date_generale: { cui: '14399840', denumire: 'X SRL' } });
    expect(t.stare_inactiv.dataInactivare).toBe('');
    expect(t.adresa_domiciliu_fiscal).toHaveProperty('ddenumire_Strada', '');
  });
});
