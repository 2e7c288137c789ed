import { describe, expect, it } from 'vitest';
import { vatRegisteredOn } from './inbox-supplier-check.js';

const period = (from: string | null, to: string | null, annulledOn: string | null = null) => ({ from, to, annulledOn, message: null });

describe('vatRegisteredOn (perioade_TVA of PlatitorTvaRest v9)', () => {
  it('is registered inside a period, open-ended when data_sfarsit_ScpTVA is empty', () => {
    const t = { vatPeriods: [period('2008-03-01', '2019-12-31'), period('2021-02-01', null)] };
    expect(vatRegisteredOn(t, '2010-06-30')).toBe(true);
    expect(vatRegisteredOn(t, '2019-12-31')).toBe(true);
    expect(vatRegisteredOn(t, '2020-06-01')).toBe(false); // between the two periods
    expect(vatRegisteredOn(t, '2026-11-27')).toBe(true);
    expect(vatRegisteredOn(t, '2008-02-29')).toBe(false);
  });

  it('ends a period at its annulment date when that comes first', () => {
    const t = { vatPeriods: [period('2015-01-01', null, '2024-05-31')] };
    expect(vatRegisteredOn(t, '2024-05-31')).toBe(true);
    expect(vatRegisteredOn(t, '2024-06-01')).toBe(false);
  });

  it('says nothing (null) when ANAF lists no period', () => {
    expect(vatRegisteredOn({ vatPeriods: [] }, '2026-01-01')).toBeNull();
  });
});
