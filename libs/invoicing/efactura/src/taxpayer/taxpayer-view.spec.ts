import { describe, expect, it } from 'vitest';
import { parseTaxpayer } from '@cetate/anaf-client';
import { cityOf, isoCountyOf, toBuyerView, toSupplierCheck } from './taxpayer-view.js';

const checkedAt = new Date('2026-03-02T08:00:00Z');

/** A found entry in ANAF's v9 shape (ANAF-EFACTURA.md "Taxpayer lookup (v9)"). */
function entry(o: { cui: number; adresa?: string; scpTVA?: boolean; sediu?: Record<string, string> | null; domiciliu?: Record<string, string> }) {
  return {
    date_generale: { cui: o.cui, denumire: 'FIRMA SRL', adresa: o.adresa ?? '', nrRegCom: 'J12/1/2001', codPostal: '400001', statusRO_e_Factura: true },
    inregistrare_scop_Tva: { scpTVA: o.scpTVA ?? true, perioade_TVA: [] },
    stare_inactiv: { statusInactivi: false },
    ...(o.sediu === null ? {} : { adresa_sediu_social: o.sediu ?? {} }),
    ...(o.domiciliu ? { adresa_domiciliu_fiscal: o.domiciliu } : {}),
  };
}

describe('isoCountyOf / cityOf', () => {
  it('reads the ISO 3166-2:RO code from the plate code, else from the county name', () => {
    expect(isoCountyOf({ countyAutoCode: 'CJ', county: 'CLUJ' })).toBe('RO-CJ');
    expect(isoCountyOf({ countyAutoCode: 'b', county: null })).toBe('RO-B');
    expect(isoCountyOf({ countyAutoCode: null, county: 'JUD. BISTRIŢA - NĂSĂUD' })).toBe('RO-BN');
    expect(isoCountyOf({ countyAutoCode: null, county: 'MUNICIPIUL BUCUREŞTI' })).toBe('RO-B');
    expect(isoCountyOf({ countyAutoCode: null, county: 'Satu Mare' })).toBe('RO-SM');
    expect(isoCountyOf({ countyAutoCode: 'XX', county: 'ATLANTIDA' })).toBeNull();
    expect(isoCountyOf({ countyAutoCode: null, county: null })).toBeNull();
  });

  it('gives SECTORn in Bucharest (BR-RO-100/101) and the locality without its prefix elsewhere', () => {
    expect(cityOf({ locality: 'Sector 3 Mun. Bucureşti' }, 'RO-B')).toBe('SECTOR3');
    expect(cityOf({ locality: 'Mun. Bucureşti' }, 'RO-B', 'MUNICIPIUL BUCUREŞTI, SECTORUL 6, STR. X')).toBe('SECTOR6');
    expect(cityOf({ locality: 'Mun. Bucureşti' }, 'RO-B')).toBeNull();
    expect(cityOf({ locality: 'Mun. Cluj-Napoca' }, 'RO-CJ')).toBe('Cluj-Napoca');
    expect(cityOf({ locality: 'Oraş Voluntari' }, 'RO-IF')).toBe('Voluntari');
    expect(cityOf({ locality: 'Com. Florești' }, 'RO-CJ')).toBe('Florești');
    expect(cityOf({ locality: null }, 'RO-CJ')).toBeNull();
  });
});

describe('toBuyerView', () => {
  it('a VAT-registered company in Bucharest: vatId RO+cui, SECTOR1, RO-B, street with number and details', () => {
    const taxpayer = parseTaxpayer(
      entry({
        cui: 41832096,
        sediu: { sdenumire_Strada: 'Str. Academiei', snumar_Strada: '7', sdenumire_Localitate: 'Sector 1 Mun. Bucureşti', sdenumire_Judet: 'MUNICIPIUL BUCUREŞTI', scod_JudetAuto: 'B', sdetalii_Adresa: 'Et. 2', scod_Postal: '010011' },
      }),
    );
    expect(toBuyerView({ cui: '41832096', date: '2026-03-02', found: true, taxpayer, checkedAt, source: 'anaf' })).toEqual({
      cui: '41832096',
      name: 'FIRMA SRL',
      vatId: 'RO41832096',
      tradeRegister: 'J12/1/2001',
      address: { street: 'Str. Academiei, nr. 7, Et. 2', city: 'SECTOR1', county: 'RO-B', postalCode: '010011', country: 'RO' },
      vatRegistered: true,
      inactive: false,
      eFacturaRegistered: true,
      checkedAt: '2026-03-02T08:00:00.000Z',
      source: 'anaf',
    });
  });

  it('not VAT-registered: vatId null; no registered office: the fiscal domicile, else the one-line address', () => {
    const dom = parseTaxpayer(
      entry({ cui: 45678900, scpTVA: false, sediu: null, domiciliu: { ddenumire_Strada: 'Bd. Revoluţiei', ddenumire_Localitate: 'Mun. Timişoara', dcod_JudetAuto: 'TM' } }),
    );
    const v = toBuyerView({ cui: '45678900', date: '2026-03-02', found: true, taxpayer: dom, checkedAt, source: 'cache' });
    expect(v.vatId).toBeNull();
    expect(v.address).toEqual({ street: 'Bd. Revoluţiei', city: 'Timişoara', county: 'RO-TM', postalCode: '400001', country: 'RO' });
    const bare = parseTaxpayer(entry({ cui: 45678900, sediu: null, adresa: 'JUD. TIMIŞ, MUN. TIMIŞOARA, BD. REVOLUŢIEI' }));
    expect(toBuyerView({ cui: '45678900', date: '2026-03-02', found: true, taxpayer: bare, checkedAt, source: 'cache' }).address).toEqual({
      street: 'JUD. TIMIŞ, MUN. TIMIŞOARA, BD. REVOLUŢIEI',
      city: null,
      county: null,
      postalCode: '400001',
      country: 'RO',
    });
  });
});

describe('toSupplierCheck', () => {
  it('found: name, scpTVA, statusInactivi; not found: nulls', () => {
    const taxpayer = parseTaxpayer(entry({ cui: 34567892, scpTVA: false }));
    expect(toSupplierCheck({ cui: '34567892', date: '2026-03-02', found: true, taxpayer, checkedAt, source: 'anaf' })).toEqual({
      found: true,
      name: 'FIRMA SRL',
      vatRegistered: false,
      inactive: false,
      checkedAt: '2026-03-02T08:00:00.000Z',
    });
    expect(toSupplierCheck({ cui: '1', date: '2026-03-02', found: false, taxpayer: null, checkedAt, source: 'cache' })).toEqual({
      found: false,
      name: null,
      vatRegistered: null,
      inactive: null,
      checkedAt: '2026-03-02T08:00:00.000Z',
    });
  });
});
