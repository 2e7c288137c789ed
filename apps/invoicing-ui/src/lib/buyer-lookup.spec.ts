import { describe, expect, it } from 'vitest';
import type { TaxpayerBuyerView } from './api.js';
import { fillBuyer, lookupCui } from './buyer-lookup.js';
import type { PartyDraft } from './invoice-draft.js';

/** As `GET /v1/taxpayers/35246718` answers for the ANAF simulator's fixture (tools/anaf-sim/fixtures/taxpayers.json). */
const TRANSILVANIA: TaxpayerBuyerView = {
  cui: '35246718',
  name: 'TRANSILVANIA DISTRIBUTIE SRL',
  vatId: 'RO35246718',
  tradeRegister: 'J12/3456/2015',
  address: { street: 'Calea Dorobanţilor, nr. 98', city: 'Cluj-Napoca', county: 'RO-CJ', postalCode: '400609', country: 'RO' },
  vatRegistered: true,
  inactive: false,
  eFacturaRegistered: true,
  checkedAt: '2026-10-14T09:00:00.000Z',
  source: 'anaf',
};
const empty = (cif: string): PartyDraft => ({ name: '', cif, street: '', city: '', county: '', countryCode: 'RO' });

describe('buyer from the taxpayer lookup', () => {
  it('fills every empty field and turns the bare CUI into the VAT identifier when VAT registered', () => {
    expect(fillBuyer(empty('35246718'), TRANSILVANIA)).toEqual({
      buyer: { name: 'TRANSILVANIA DISTRIBUTIE SRL', cif: 'RO35246718', street: 'Calea Dorobanţilor, nr. 98', city: 'Cluj-Napoca', county: 'RO-CJ', countryCode: 'RO' },
      filled: ['name', 'street', 'city', 'county', 'cif'],
    });
  });

  it('never overwrites what was typed; a non-VAT-registered taxpayer keeps the bare CUI (BT-47)', () => {
    const typed = { ...empty('RO35246718'), name: 'Transilvania (typed)', city: 'Florești' };
    const r = fillBuyer(typed, TRANSILVANIA);
    expect(r.buyer).toEqual({ ...typed, street: 'Calea Dorobanţilor, nr. 98', county: 'RO-CJ' });
    expect(r.filled).toEqual(['street', 'county']);
    const notVat = fillBuyer(empty('45678900'), { ...TRANSILVANIA, cui: '45678900', vatId: null, vatRegistered: false });
    expect(notVat.buyer.cif).toBe('45678900');
    expect(notVat.filled).not.toContain('cif');
  });

  it('a foreign buyer (country not RO) gets no Romanian county; a missing address part stays empty', () => {
    const r = fillBuyer({ ...empty('35246718'), countryCode: 'HU' }, { ...TRANSILVANIA, address: { ...TRANSILVANIA.address, street: null } });
    expect(r.buyer).toMatchObject({ county: '', street: '', countryCode: 'HU', city: 'Cluj-Napoca' });
  });

  it('looks up only a Romanian CUI with a right check digit', () => {
    expect(lookupCui('RO35246718')).toBe('35246718');
    expect(lookupCui(' 35246718 ')).toBe('35246718');
    expect(lookupCui('35246719')).toBeNull();
    expect(lookupCui('1800101221144')).toBeNull();
    expect(lookupCui('')).toBeNull();
  });
});
