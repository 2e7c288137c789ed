import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AnafHttpError,
  AnafProtocolError,
  AnafRequestRejectedError,
  AnafTimeoutError,
  parseTaxpayer,
  parseTaxpayerAnswer,
  TaxpayerClient,
  TaxpayerRequestError,
  taxpayerCuiDigits,
} from './index.js';

/** A found[] entry in the shape ANAF's v9 answers (field names of ANAF-EFACTURA.md "Taxpayer lookup (v9)"). */
const CETATE = {
  date_generale: {
    cui: 41832096,
    data: '2026-03-02',
    denumire: 'CETATE DEMO SOFTWARE SRL',
    adresa: 'MUNICIPIUL BUCUREŞTI, SECTOR 1, STR. VASILE LASCĂR, NR.31',
    nrRegCom: 'J40/12345/2019',
    telefon: '0212345678',
    fax: '',
    codPostal: '010101',
    act: '',
    stare_inregistrare: 'INREGISTRAT din data 18.11.2019',
    data_inregistrare: '2019-11-18',
    cod_CAEN: '6201',
    iban: 'RO49AAAA1B31007593840000',
    statusRO_e_Factura: true,
    data_inreg_Reg_RO_e_Factura: '2022-01-01',
    organFiscalCompetent: 'Administraţia Sector 1 a Finanţelor Publice',
    forma_de_proprietate: 'PROPR.PRIVATA-CAPITAL PRIVAT AUTOHTON',
    forma_organizare: 'PERSOANA JURIDICA',
    forma_juridica: 'SOCIETATE COMERCIALĂ CU RĂSPUNDERE LIMITATĂ',
  },
  inregistrare_scop_Tva: {
    scpTVA: true,
    perioade_TVA: [{ data_inceput_ScpTVA: '2019-11-18', data_sfarsit_ScpTVA: '', data_anul_imp_ScpTVA: '', mesaj_ScpTVA: '' }],
  },
  inregistrare_RTVAI: {
    dataInceputTvaInc: '',
    dataSfarsitTvaInc: '',
    dataActualizareTvaInc: '',
    dataPublicareTvaInc: '',
    tipActTvaInc: '',
    statusTvaIncasare: false,
  },
  stare_inactiv: { dataInactivare: '', dataReactivare: '', dataPublicare: '', dataRadiere: '', statusInactivi: false },
  inregistrare_SplitTVA: { dataInceputSplitTVA: '', dataAnulareSplitTVA: '', statusSplitTVA: false },
  adresa_sediu_social: {
    sdenumire_Strada: 'Str. Vasile Lascăr',
    snumar_Strada: '31',
    sdenumire_Localitate: 'Sector 1 Mun. Bucureşti',
    scod_Localitate: '179132',
    sdenumire_Judet: 'MUNICIPIUL BUCUREŞTI',
    scod_Judet: '40',
    scod_JudetAuto: 'B',
    stara: '',
    sdetalii_Adresa: 'Bl. A, Et. 2',
    scod_Postal: '010101',
  },
  adresa_domiciliu_fiscal: {
    ddenumire_Strada: 'Str. Vasile Lascăr',
    dnumar_Strada: '31',
    ddenumire_Localitate: 'Sector 1 Mun. Bucureşti',
    dcod_Localitate: '179132',
    ddenumire_Judet: 'MUNICIPIUL BUCUREŞTI',
    dcod_Judet: '40',
    dcod_JudetAuto: 'B',
    dtara: '',
    ddetalii_Adresa: '',
    dcod_Postal: '010101',
  },
};

/** An inactive supplier, VAT on cash basis, not in RO e-Factura, registration annulled. */
const INACTIVE = {
  date_generale: { cui: 14399840, data: '2026-03-02', denumire: 'FURNIZOR INACTIV SRL', adresa: 'JUD. CLUJ, MUN. CLUJ-NAPOCA', nrRegCom: 'J12/1/2001', statusRO_e_Factura: false },
  inregistrare_scop_Tva: {
    scpTVA: false,
    perioade_TVA: [{ data_inceput_ScpTVA: '2001-02-01', data_sfarsit_ScpTVA: '2024-05-31', data_anul_imp_ScpTVA: '2024-06-01', mesaj_ScpTVA: 'anulare inregistrare' }],
  },
  inregistrare_RTVAI: { statusTvaIncasare: true },
  stare_inactiv: { dataInactivare: '2024-06-01', dataReactivare: '', dataPublicare: '2024-06-03', dataRadiere: '', statusInactivi: true },
  inregistrare_SplitTVA: { statusSplitTVA: true },
};

const answer = (found: unknown[], notFound: unknown[]) => JSON.stringify({ cod: 200, message: 'SUCCESS', found, notFound });

describe('parseTaxpayer / parseTaxpayerAnswer', () => {
  it('reads every typed field of a found entry and keeps the raw groups', () => {
    const t = parseTaxpayer(CETATE);
    expect(t).toMatchObject({
      cui: '41832096',
      date: '2026-03-02',
      name: 'CETATE DEMO SOFTWARE SRL',
      address: 'MUNICIPIUL BUCUREŞTI, SECTOR 1, STR. VASILE LASCĂR, NR.31',
      nrRegCom: 'J40/12345/2019',
      phone: '0212345678',
      postalCode: '010101',
      registrationState: 'INREGISTRAT din data 18.11.2019',
      registrationDate: '2019-11-18',
      caen: '6201',
      iban: 'RO49AAAA1B31007593840000',
      vatRegistered: true,
      vatPeriods: [{ from: '2019-11-18', to: null, annulledOn: null, message: null }],
      vatOnCash: false,
      inactive: false,
      inactiveSince: null,
      deregisteredOn: null,
      splitVat: false,
      eFacturaRegistered: true,
    });
    expect(t.registeredOffice).toEqual({
      street: 'Str. Vasile Lascăr',
      number: '31',
      locality: 'Sector 1 Mun. Bucureşti',
      localityCode: '179132',
      county: 'MUNICIPIUL BUCUREŞTI',
      countyCode: '40',
      countyAutoCode: 'B',
      postalCode: '010101',
      details: 'Bl. A, Et. 2',
      country: null,
    });
    expect(t.fiscalDomicile).toMatchObject({ locality: 'Sector 1 Mun. Bucureşti', countyAutoCode: 'B', details: null });
    expect(t.raw).toEqual(CETATE);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('reads an inactive, not VAT-registered supplier; missing groups give null addresses', () => {
    const t = parseTaxpayer(INACTIVE);
    expect(t).toMatchObject({
      cui: '14399840',
      vatRegistered: false,
      vatPeriods: [{ from: '2001-02-01', to: '2024-05-31', annulledOn: '2024-06-01', message: 'anulare inregistrare' }],
      vatOnCash: true,
      inactive: true,
      inactiveSince: '2024-06-01',
      splitVat: true,
      eFacturaRegistered: false,
      phone: null,
      registeredOffice: null,
      fiscalDomicile: null,
    });
  });

  it('parses found and notFound (numbers, strings or {cui}) of a JSON answer, also sent as text/plain', () => {
    const a = parseTaxpayerAnswer('application/json;charset=UTF-8', answer([CETATE, INACTIVE], [12345674, '0098765', { cui: 11 }]));
    expect(a.found.map((t) => t.cui)).toEqual(['41832096', '14399840']);
    expect(a.notFound).toEqual(['12345674', '98765', '11']);
    expect(parseTaxpayerAnswer('text/plain', answer([], [1])).notFound).toEqual(['1']);
  });

  it("refuses the firewall's HTML page with 200, other content types, non-JSON and a JSON without the arrays", () => {
    const html = '<html><head><title>Request Rejected</title></head><body>The requested URL was rejected.</body></html>';
    const e = (() => { try { parseTaxpayerAnswer('text/html', html); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(AnafProtocolError);
    expect((e as AnafProtocolError).message).toContain('Request Rejected');
    expect((e as AnafProtocolError).retryable).toBe(false);
    expect(() => parseTaxpayerAnswer('application/json', html)).toThrow(AnafProtocolError);
    expect(() => parseTaxpayerAnswer('application/xml', answer([], []))).toThrow(/content type/);
    expect(() => parseTaxpayerAnswer('application/json', '{"found":')).toThrow(/not JSON/);
    expect(() => parseTaxpayerAnswer('application/json', '')).toThrow(/empty answer/);
    expect(() => parseTaxpayerAnswer('application/json', '[]')).toThrow(/root/);
    expect(() => parseTaxpayerAnswer('application/json', '{"cod":200,"message":"SUCCESS"}')).toThrow(/found\[\]/);
    expect(() => parseTaxpayerAnswer('application/json', answer([{ date_generale: { denumire: 'X' } }], []))).toThrow(/date_generale\.cui/);
    expect(() => parseTaxpayerAnswer('application/json', answer([], ['RO1']))).toThrow(/notFound/);
  });

  it("answers ANAF's error form (cod other than 200) with AnafRequestRejectedError", () => {
    const e = (() => { try { parseTaxpayerAnswer('application/json', '{"cod":400,"message":"Lista contine mai mult de 100 de CUI-uri"}'); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(AnafRequestRejectedError);
    expect((e as AnafRequestRejectedError).messages).toEqual(['cod 400: Lista contine mai mult de 100 de CUI-uri']);
    expect((e as AnafRequestRejectedError).endpoint).toBe('PlatitorTvaRest');
  });

  it('taxpayerCuiDigits strips RO, spaces and leading zeros; refuses anything else', () => {
    expect(taxpayerCuiDigits(' RO 41832096 ')).toBe('41832096');
    expect(taxpayerCuiDigits('ro0123')).toBe('123');
    expect(taxpayerCuiDigits(41832096)).toBe('41832096');
    expect(() => taxpayerCuiDigits('DE123')).toThrow(TaxpayerRequestError);
    expect(() => taxpayerCuiDigits('12345678901')).toThrow(TaxpayerRequestError);
  });
});

describe('TaxpayerClient over HTTP', () => {
  let server: Server;
  let url: string;
  let reply: (req: IncomingMessage, body: string, res: ServerResponse) => void;
  const seen: Array<{ method?: string; contentType?: string; body: unknown }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ method: req.method, contentType: req.headers['content-type'], body: JSON.parse(body) });
        reply(req, body, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/PlatitorTvaRest/v9/tva`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
  });

  const send = (status: number, type: string, body: string) => (_q: IncomingMessage, _b: string, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

  it('POSTs [{cui: number, data}] as JSON and parses the answer', async () => {
    reply = send(200, 'application/json', answer([CETATE], [12345674]));
    const out = await new TaxpayerClient({ url }).lookup([
      { cui: 'RO41832096', date: '2026-03-02' },
      { cui: '12345674', date: '2026-03-02' },
    ]);
    expect(seen).toEqual([{ method: 'POST', contentType: 'application/json', body: [{ cui: 41832096, data: '2026-03-02' }, { cui: 12345674, data: '2026-03-02' }] }]);
    expect(out.found[0]!.name).toBe('CETATE DEMO SOFTWARE SRL');
    expect(out.notFound).toEqual(['12345674']);
  });

  it('refuses more than 100 CUIs, none, or a bad date before any call', async () => {
    reply = send(200, 'application/json', answer([], []));
    const client = new TaxpayerClient({ url });
    const many = Array.from({ length: 101 }, (_, i) => ({ cui: String(1000 + i), date: '2026-03-02' }));
    await expect(client.lookup(many)).rejects.toBeInstanceOf(TaxpayerRequestError);
    await expect(client.lookup(many)).rejects.toMatchObject({ code: 'TAXPAYER_REQUEST_INVALID', status: 400 });
    await expect(client.lookup([])).rejects.toBeInstanceOf(TaxpayerRequestError);
    await expect(client.lookup([{ cui: '1', date: '02.03.2026' }])).rejects.toThrow(/YYYY-MM-DD/);
    expect(seen).toEqual([]);
    await expect(client.lookup(many.slice(0, 100))).resolves.toEqual({ found: [], notFound: [] });
    expect((seen[0]!.body as unknown[]).length).toBe(100);
  });

  it('429 and 5xx are retryable AnafHttpErrors, 400 is not; a 200 HTML page is an AnafProtocolError', async () => {
    const client = new TaxpayerClient({ url });
    const one = [{ cui: '41832096', date: '2026-03-02' }];
    reply = send(429, 'application/json', '{"message":"Too Many Requests"}');
    await expect(client.lookup(one)).rejects.toMatchObject({ constructor: AnafHttpError, status: 429, retryable: true, endpoint: 'PlatitorTvaRest' });
    reply = send(503, 'text/html', '<html>Service Unavailable</html>');
    await expect(client.lookup(one)).rejects.toMatchObject({ constructor: AnafHttpError, status: 503, retryable: true });
    reply = send(400, 'application/json', '{"error":"Bad Request"}');
    await expect(client.lookup(one)).rejects.toMatchObject({ constructor: AnafHttpError, status: 400, retryable: false });
    reply = send(200, 'text/html; charset=utf-8', '<html><head><title>Request Rejected</title></head></html>');
    await expect(client.lookup(one)).rejects.toBeInstanceOf(AnafProtocolError);
  });

  it('no answer within timeoutMs is a retryable AnafTimeoutError', async () => {
    reply = () => undefined; // never answers
    const err = await new TaxpayerClient({ url, timeoutMs: 200 }).lookup([{ cui: '41832096', date: '2026-03-02' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafTimeoutError);
    expect((err as AnafTimeoutError).retryable).toBe(true);
    server.closeAllConnections();
  });
});
