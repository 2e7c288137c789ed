import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnafSimulator, type AnafSimulator } from './index.js';

let sim: AnafSimulator;
let clock = Date.parse('2026-03-02T09:00:00Z');
let url: string;

beforeAll(async () => {
  sim = await startAnafSimulator({ now: () => clock });
  url = `${sim.url}/api/PlatitorTvaRest/v9/tva`;
});
afterAll(() => sim.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
/** One lookup, then the clock moves past ANAF's 1-call-per-second limit. */
async function lookup(body: unknown): Promise<Response> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  clock += 1000;
  return res;
}

describe('PlatitorTvaRest/v9/tva', () => {
  it('is public (no OAuth) and answers cod 200, SUCCESS, found with the v9 groups and notFound', async () => {
    const res = await lookup([{ cui: 41832096, data: '2026-03-01' }, { cui: 14399840, data: '2026-03-01' }]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ cod: 200, message: 'SUCCESS', notFound: [14399840] });
    expect(body.found).toHaveLength(1);
    const demo = body.found[0];
    expect(Object.keys(demo).sort()).toEqual(
      ['adresa_domiciliu_fiscal', 'adresa_sediu_social', 'date_generale', 'inregistrare_RTVAI', 'inregistrare_SplitTVA', 'inregistrare_scop_Tva', 'stare_inactiv'].sort(),
    );
    expect(demo.date_generale).toMatchObject({ cui: 41832096, data: '2026-03-01', denumire: 'CETATE DEMO SOFTWARE SRL', nrRegCom: 'J40/12345/2019', statusRO_e_Factura: true });
    expect(demo.inregistrare_scop_Tva).toMatchObject({ scpTVA: true, perioade_TVA: [expect.objectContaining({ data_inceput_ScpTVA: '2019-05-02', data_sfarsit_ScpTVA: '' })] });
    expect(demo.stare_inactiv.statusInactivi).toBe(false);
    expect(demo.adresa_sediu_social).toMatchObject({ sdenumire_Judet: 'MUNICIPIUL BUCUREŞTI', scod_JudetAuto: 'B', scod_Postal: '010011' });
    expect(demo.adresa_domiciliu_fiscal).toMatchObject({ ddenumire_Localitate: 'Sector 1 Mun. Bucureşti', dcod_JudetAuto: 'B' });
  });

  it('answers the state on the queried day: inactive, not VAT-registered', async () => {
    const body = (await (await lookup([{ cui: 34567892, data: '2026-01-15' }, { cui: 34567892, data: '2025-01-15' }, { cui: 45678900, data: '2026-01-15' }])).json()) as Json;
    const [inactiveNow, activeBefore, noVat] = body.found;
    expect(inactiveNow.stare_inactiv).toMatchObject({ statusInactivi: true, dataInactivare: '2025-06-01' });
    expect(inactiveNow.inregistrare_scop_Tva.scpTVA).toBe(false);
    expect(activeBefore.stare_inactiv.statusInactivi).toBe(false);
    expect(activeBefore.inregistrare_scop_Tva.scpTVA).toBe(true);
    expect(noVat.inregistrare_scop_Tva).toEqual({ scpTVA: false, perioade_TVA: [] });
  });

  it('more than 100 CUIs or a malformed body: HTTP 200 with cod 400', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ cui: 1000 + i, data: '2026-03-01' }));
    const over = await lookup(many);
    expect(over.status).toBe(200);
    expect((await over.json()) as Json).toMatchObject({ cod: 400, message: expect.stringContaining('maxim 100 de CUI-uri') });
    expect(((await (await lookup(Array.from({ length: 100 }, (_, i) => ({ cui: 1000 + i, data: '2026-03-01' })))).json()) as Json).notFound).toHaveLength(100);
    expect(((await (await lookup('not json')).json()) as Json).cod).toBe(400);
    expect(((await (await lookup([{ cui: 41832096, data: '01.03.2026' }])).json()) as Json).cod).toBe(400);
  });

  it('a second call within one second (by the now clock) is HTTP 429; taxpayerCalls records every call', async () => {
    const before = sim.taxpayerCalls().length;
    const call = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ cui: 41832096, data: '2026-03-01' }]) });
    expect((await call()).status).toBe(200);
    const second = await call();
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    clock += 999;
    expect((await call()).status).toBe(429);
    clock += 1;
    expect((await call()).status).toBe(200);
    clock += 1000;
    const calls = sim.taxpayerCalls().slice(before);
    expect(calls.map((c) => c.status)).toEqual([200, 429, 429, 200]);
    expect(calls.every((c) => c.cuis === 1)).toBe(true);
    const overHttp = ((await (await fetch(`${sim.url}/__sim/taxpayer-calls`)).json()) as Json).calls as Json[];
    expect(overHttp.slice(before)).toEqual(calls);
  });

  it('POST /__sim/taxpayers adds a taxpayer (and refuses an invalid check digit)', async () => {
    const add = (body: unknown) => fetch(`${sim.url}/__sim/taxpayers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await add({ date_generale: { cui: 14399841, denumire: 'GRESIT SRL' } })).status).toBe(400);
    const ok = await add({ date_generale: { cui: 14399840, denumire: 'DANTE INTERNATIONAL SA' }, inregistrare_scop_Tva: { perioade_TVA: [{ data_inceput_ScpTVA: '2006-09-01' }] } });
    expect(ok.status).toBe(200);
    const body = (await (await lookup([{ cui: 14399840, data: '2026-03-01' }])).json()) as Json;
    expect(body.found[0].date_generale).toMatchObject({ cui: 14399840, denumire: 'DANTE INTERNATIONAL SA' });
    expect(body.found[0].inregistrare_scop_Tva.scpTVA).toBe(true);
    expect(sim.addTaxpayer({ date_generale: { cui: '10000008', denumire: 'OLTENIA ENERGIE SA (redenumita)' } }).date_generale.cui).toBe(10000008);
  });
});
