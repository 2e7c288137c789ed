import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { conformanceDir } from '@cetate/platform-testing';
import { parseUblDocument, text } from '@cetate/invoicing-domain';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import yauzl from 'yauzl';
import { raspXml, startAnafSimulator, type AnafSimulator } from './index.js';

const VALID = readFileSync(join(conformanceDir(), 'invoices/ro-phive/ubl_b2g_example1.xml'));
/** Buyer (BT-48) of VALID. */
const VALID_BUYER = '8609468';
const DAY_MS = 86_400_000;

let sim: AnafSimulator;
let auth: Record<string, string>;
let api: string;

beforeAll(async () => {
  sim = await startAnafSimulator({ processingDelayMs: 0 });
  auth = { Authorization: `Bearer ${await sim.issueAccessToken()}` };
  api = `${sim.url}/test/FCTEL/rest`;
});
afterEach(() => {
  sim.setClockOffsetMs(0);
  sim.clearForbiddenCifs();
});
afterAll(() => sim.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const get = (path: string, headers = auth) => fetch(`${api}/${path}`, { headers });
const json = async (r: Response | Promise<Response>): Promise<Json> => (await (await r).json()) as Json;
const post = (path: string, body: unknown) =>
  fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function upload(body: Buffer | string, query: string): Promise<string> {
  const res = await fetch(`${api}/upload?${query}`, { method: 'POST', headers: auth, body });
  expect(res.status).toBe(200);
  return /index_incarcare="(\d+)"/.exec(await res.text())?.[1] ?? '';
}
const stare = async (index: string) => (await get(`stareMesaj?id_incarcare=${index}`)).text();

function unzip(buf: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zf) => {
      if (err || !zf) return reject(err);
      const out: Record<string, string> = {};
      zf.on('entry', (e: yauzl.Entry) =>
        zf.openReadStream(e, (er, s) => {
          if (er || !s) return reject(er);
          const c: Buffer[] = [];
          s.on('data', (d: Buffer) => c.push(d));
          s.on('end', () => {
            out[e.fileName] = Buffer.concat(c).toString('utf8');
            zf.readEntry();
          });
        }),
      );
      zf.on('end', () => resolve(out));
      zf.readEntry();
    });
  });
}
async function download(id: string): Promise<Record<string, string>> {
  const res = await get(`descarcare?id=${id}`);
  expect(res.headers.get('content-type')).toBe('application/zip');
  return unzip(Buffer.from(await res.arrayBuffer()));
}

describe('buyer messages (filter R)', () => {
  it('a RASP upload by the buyer: MESAJ CUMPARATOR TRANSMIS for the buyer, PRIMIT for the seller; the ZIP holds the RASP XML', async () => {
    const seller = '1212121212';
    const invoiceIndex = await upload(VALID, `standard=UBL&cif=${seller}`);
    expect(await stare(invoiceIndex)).toContain('stare="ok"');
    const rasp = raspXml({ indexIncarcare: invoiceIndex, message: 'Factura acceptata & receptionata' });
    const raspIndex = await upload(rasp, `standard=RASP&cif=${VALID_BUYER}`);
    const id = /stare="ok" id_descarcare="(\d+)"/.exec(await stare(raspIndex))![1]!;

    const buyerList = (await json(get(`listaMesajeFactura?zile=1&cif=${VALID_BUYER}&filtru=R`))).mesaje as Json[];
    expect(buyerList.find((m) => m.id === id)).toMatchObject({ tip: 'MESAJ CUMPARATOR TRANSMIS', id_solicitare: raspIndex, cif: VALID_BUYER });
    const sellerList = (await json(get(`listaMesajeFactura?zile=1&cif=${seller}&filtru=R`))).mesaje as Json[];
    expect(sellerList).toHaveLength(1);
    expect(sellerList[0]).toMatchObject({ tip: 'MESAJ CUMPARATOR PRIMIT', id, id_solicitare: raspIndex });
    expect(sellerList[0]!.detalii).toContain(`factura cu id_incarcare=${invoiceIndex}`);
    // filter P/T do not show buyer messages
    expect(((await json(get(`listaMesajeFactura?zile=1&cif=${seller}&filtru=T`))).mesaje as Json[]).every((m) => m.tip === 'FACTURA TRIMISA')).toBe(true);

    const files = await download(id);
    expect(Object.keys(files).sort()).toEqual([`${raspIndex}.xml`, `semnatura_${raspIndex}.xml`]);
    expect(files[`${raspIndex}.xml`]).toContain('xmlns="mfp:anaf:dgti:spv:reqMesaj:v1"');
    expect(files[`${raspIndex}.xml`]).toContain('message="Factura acceptata &amp; receptionata"');
  });

  it('a RASP about an unknown invoice, or from a CIF that is not its buyer, is nok', async () => {
    const noInvoice = await upload(raspXml({ indexIncarcare: '42', message: 'Refuz' }), `standard=RASP&cif=${VALID_BUYER}`);
    expect(await stare(noInvoice)).toContain('stare="nok"');
    const invoiceIndex = await upload(VALID, 'standard=UBL&cif=1313131313');
    const notBuyer = await upload(raspXml({ indexIncarcare: invoiceIndex, message: 'Refuz' }), 'standard=RASP&cif=2222222222');
    const id = /stare="nok" id_descarcare="(\d+)"/.exec(await stare(notBuyer))![1]!;
    expect((await download(id))[`${notBuyer}.xml`]).toContain('nu exista factura acceptata');
    const notRasp = await upload('<header xmlns="other"/>', `standard=RASP&cif=${VALID_BUYER}`);
    expect(await stare(notRasp)).toContain('stare="nok"');
  });

  it('POST /__sim/buyer-messages creates one at once; a bad body is 400', async () => {
    const res = await post('/__sim/buyer-messages', { fromCif: '41832096', toCif: 'RO35246718', idSolicitare: '5000000001', text: 'Refuzam factura: pret gresit' });
    expect(res.status).toBe(200);
    const { idSolicitare, idDescarcare } = await json(res);
    const primit = (await json(get('listaMesajeFactura?zile=1&cif=35246718&filtru=R'))).mesaje as Json[];
    expect(primit).toEqual([expect.objectContaining({ tip: 'MESAJ CUMPARATOR PRIMIT', id_solicitare: idSolicitare, id: idDescarcare })]);
    const files = await download(idDescarcare);
    expect(files[`${idSolicitare}.xml`]).toContain('index_incarcare="5000000001" message="Refuzam factura: pret gresit"');
    expect((await post('/__sim/buyer-messages', { fromCif: 'x', toCif: '1', idSolicitare: '1', text: 't' })).status).toBe(400);
  });
});

describe('seedInbox', () => {
  it('1,200 received invoices: paged by listaMesajePaginatieFactura (filter P), downloadable, signed, matching what seedInbox returned', async () => {
    const buyerCif = '41832096';
    const seeded = sim.seedInbox({ buyerCif, count: 1200, sellers: 7, daysAgo: [0, 20] });
    expect(seeded).toHaveLength(1200);
    expect(new Set(seeded.map((s) => s.idDescarcare)).size).toBe(1200);
    expect(new Set(seeded.map((s) => s.sellerCif)).size).toBe(7);
    expect(new Set(seeded.map((s) => s.payableAmount)).size).toBeGreaterThan(100);

    const t = sim.now();
    const q = `cif=${buyerCif}&filtru=P&startTime=${t - 21 * DAY_MS}&endTime=${t}`;
    const p1 = await json(get(`listaMesajePaginatieFactura?${q}&pagina=1`));
    expect(p1).toMatchObject({ numar_total_inregistrari: 1200, numar_total_pagini: 3, numar_inregistrari_in_pagina: 500 });
    const ids = new Set<string>();
    for (let pagina = 1; pagina <= 3; pagina++) {
      for (const m of (await json(get(`listaMesajePaginatieFactura?${q}&pagina=${pagina}`))).mesaje as Json[]) ids.add(m.id);
    }
    expect(ids).toEqual(new Set(seeded.map((s) => s.idDescarcare)));
    // the seller sees FACTURA TRIMISA
    const seller = seeded[0]!.sellerCif;
    const sent = await json(get(`listaMesajePaginatieFactura?cif=${seller}&filtru=T&startTime=${t - 21 * DAY_MS}&endTime=${t}&pagina=1`));
    expect(sent.numar_total_inregistrari).toBeGreaterThan(100);

    const one = seeded[321]!;
    const files = await download(one.idDescarcare);
    const invoiceXml = files[`${one.idSolicitare}.xml`]!;
    const inv = parseUblDocument(invoiceXml).document.documentElement!;
    expect(text(inv, 'cbc:ID')).toBe(one.number);
    expect(text(inv, 'cbc:IssueDate')).toBe(one.issueDate);
    expect(text(inv, 'cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe(one.payableAmount);
    expect(text(inv, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID')).toBe(`RO${one.sellerCif}`);
    const sig = new SignedXml({ publicCert: sim.certificatePem });
    sig.loadSignature(files[`semnatura_${one.idSolicitare}.xml`]!);
    expect(sig.checkSignature(invoiceXml)).toBe(true);
  });

  it('POST /__sim/inbox seeds 5,000 with numbers continuing after the previous seed; bad options are 400', async () => {
    const res = await post('/__sim/inbox', { buyerCif: '35246718', count: 5000, env: 'prod', sellers: 40 });
    expect(res.status).toBe(200);
    const { invoices } = await json(res);
    expect(invoices).toHaveLength(5000);
    expect(new Set((invoices as Json[]).map((i) => i.number)).size).toBe(5000);
    const prodApi = `${sim.url}/prod/FCTEL/rest`;
    const page = await json(fetch(`${prodApi}/listaMesajePaginatieFactura?cif=35246718&filtru=P&startTime=${sim.now() - DAY_MS}&endTime=${sim.now()}&pagina=10`, { headers: auth }));
    expect(page).toMatchObject({ numar_total_inregistrari: 5000, numar_total_pagini: 10, index_pagina_curenta: 10 });
    // the test environment does not see prod messages
    expect((await json(get('listaMesajeFactura?zile=1&cif=35246718&filtru=P'))).eroare).toContain('Nu exista mesaje');
    expect((await post('/__sim/inbox', { buyerCif: 'RO', count: 1 })).status).toBe(400);
    expect((await post('/__sim/inbox', { buyerCif: '35246718', count: 0 })).status).toBe(400);
    expect((await post('/__sim/inbox', { buyerCif: '35246718', count: 1, daysAgo: [3, 1] })).status).toBe(400);
  });
});

describe('60-day deletion', () => {
  it('a message older than 60 days (by the now clock) is no longer listed and its descarcare answers eroare', async () => {
    const buyerCif = '12345674';
    const [old] = sim.seedInbox({ buyerCif, count: 1, daysAgo: [50, 50] });
    expect((await json(get(`listaMesajeFactura?zile=60&cif=${buyerCif}`))).mesaje).toHaveLength(1);
    expect((await get(`descarcare?id=${old!.idDescarcare}`)).headers.get('content-type')).toBe('application/zip');
    expect(await stare(old!.idSolicitare)).toContain('stare="ok"');

    sim.setClockOffsetMs(11 * DAY_MS); // now 61 days old
    expect((await json(get(`listaMesajeFactura?zile=60&cif=${buyerCif}`))).eroare).toBe('Nu exista mesaje in ultimele 60 zile');
    const gone = await json(get(`descarcare?id=${old!.idDescarcare}`));
    expect(gone).toEqual({ eroare: `Pentru id=${old!.idDescarcare} nu exista inregistrata nici o factura`, titlu: 'Descarcare mesaj' });
    expect(sim.messages().some((m) => m.id === old!.idDescarcare)).toBe(false);
    // forgotten: the upload index is unknown too
    expect(await stare(old!.idSolicitare)).toContain(`Nu exista factura cu id_incarcare= ${old!.idSolicitare}`);
  });
});

describe('per-CIF rights (403)', () => {
  it('forbidCif: upload, lists and descarcare of its messages answer 403 Spring JSON; allowCif restores', async () => {
    const [inv] = sim.seedInbox({ buyerCif: '23456783', count: 1 });
    sim.forbidCif('RO23456783');
    const list = await get('listaMesajeFactura?zile=1&cif=23456783');
    expect(list.status).toBe(403);
    expect(await json(list)).toMatchObject({ status: 403, error: 'Forbidden', message: 'Nu aveti drept in SPV pentru CIF=23456783' });
    expect((await get(`listaMesajePaginatieFactura?cif=23456783&startTime=${sim.now() - 1000}&endTime=${sim.now()}&pagina=1`)).status).toBe(403);
    expect((await fetch(`${api}/upload?standard=UBL&cif=23456783`, { method: 'POST', headers: auth, body: VALID })).status).toBe(403);
    expect((await get(`descarcare?id=${inv!.idDescarcare}`)).status).toBe(403);
    // other CIFs are unaffected
    expect((await get('listaMesajeFactura?zile=1&cif=41832096')).status).toBe(200);
    sim.allowCif('23456783');
    expect((await get(`descarcare?id=${inv!.idDescarcare}`)).status).toBe(200);
  });

  it('over HTTP: POST, GET, DELETE /__sim/forbidden', async () => {
    expect(await json(post('/__sim/forbidden', { cif: '31000000' }))).toEqual({ cifs: ['31000000'] });
    expect((await get('listaMesajeFactura?zile=1&cif=31000000')).status).toBe(403);
    expect((await post('/__sim/forbidden', { cif: 'abc' })).status).toBe(400);
    expect(await json(fetch(`${sim.url}/__sim/forbidden`, { method: 'DELETE' }))).toEqual({ cifs: [] });
    expect((await get('listaMesajeFactura?zile=1&cif=31000000')).status).toBe(200);
  });
});

describe('OAuth lifetimes and statistics', () => {
  let own: AnafSimulator;
  let offset = 0;
  beforeAll(async () => {
    own = await startAnafSimulator({ processingDelayMs: 0, now: () => Date.now() + offset });
  });
  afterAll(() => own.close());

  const tokenCall = (form: Record<string, string>) =>
    fetch(`${own.url}/anaf-oauth2/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('cid:secret').toString('base64')}` },
      body: new URLSearchParams(form),
    });
  async function codeGrant(): Promise<Json> {
    const res = await fetch(`${own.url}/anaf-oauth2/v1/authorize?response_type=code&client_id=cid&redirect_uri=https://app.test/cb&token_content_type=jwt`, { redirect: 'manual' });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    return json(tokenCall({ grant_type: 'authorization_code', code, redirect_uri: 'https://app.test/cb' }));
  }
  const list = (token: string) => fetch(`${own.url}/test/FCTEL/rest/listaMesajeFactura?zile=1&cif=41832096`, { headers: { Authorization: `Bearer ${token}` } });

  it('access token expires after accessTokenTtlSeconds; rotation refuses reuse; the authorisation lapses 365 days after the code grant', async () => {
    const first = await codeGrant();
    expect(first.expires_in).toBe(7_776_000);
    expect((await list(first.access_token)).status).toBe(200);

    offset = 91 * DAY_MS; // access token (90 days) expired
    expect((await list(first.access_token)).status).toBe(401);
    expect((await list('no-such-token')).status).toBe(401);

    const second = await json(tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token }));
    expect((await list(second.access_token)).status).toBe(200);
    const reuse = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(reuse.status).toBe(400);
    expect(await json(reuse)).toMatchObject({ error: 'invalid_grant' });

    offset = 335 * DAY_MS; // still within the 365 days of the code grant: refresh works
    const third = await json(tokenCall({ grant_type: 'refresh_token', refresh_token: second.refresh_token }));
    expect(third.refresh_token).toEqual(expect.any(String));

    offset = 366 * DAY_MS; // the newest refresh token kept the original expiry
    const lapsed = await tokenCall({ grant_type: 'refresh_token', refresh_token: third.refresh_token });
    expect(await json(lapsed)).toMatchObject({ error: 'invalid_grant', error_description: 'Refresh token expired' });

    expect(own.oauthStats()).toEqual({ codeGrants: 1, refreshGrants: 2, refusedReusedRefreshTokens: 1, refusedExpiredRefreshTokens: 1, unauthorizedApiCalls: 2 });
    expect(await json(fetch(`${own.url}/__sim/oauth-stats`))).toEqual(own.oauthStats());
  });

  it('rotatedRefreshTokenExpiry "renewed" gives the rotated token a fresh 365 days', async () => {
    let off = 0;
    const renewed = await startAnafSimulator({ rotatedRefreshTokenExpiry: 'renewed', now: () => Date.now() + off });
    try {
      const call = (form: Record<string, string>) =>
        json(fetch(`${renewed.url}/anaf-oauth2/v1/token`, { method: 'POST', body: new URLSearchParams({ client_id: 'c', client_secret: 's', ...form }) }));
      const res = await fetch(`${renewed.url}/anaf-oauth2/v1/authorize?response_type=code&client_id=c&redirect_uri=https://a.test/cb`, { redirect: 'manual' });
      const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
      const a = await call({ grant_type: 'authorization_code', code });
      off = 300 * DAY_MS;
      const b = await call({ grant_type: 'refresh_token', refresh_token: a.refresh_token });
      off = 400 * DAY_MS;
      expect((await call({ grant_type: 'refresh_token', refresh_token: b.refresh_token })).access_token).toEqual(expect.any(String));
    } finally {
      await renewed.close();
    }
  });
});

describe('clock control', () => {
  it('POST /__sim/clock {offsetMs} moves now; GET reads it', async () => {
    const before = Date.now();
    const moved = await json(post('/__sim/clock', { offsetMs: 335 * DAY_MS }));
    expect(moved.offsetMs).toBe(335 * DAY_MS);
    expect(moved.nowMs).toBeGreaterThanOrEqual(before + 335 * DAY_MS);
    expect(sim.now()).toBeGreaterThanOrEqual(before + 335 * DAY_MS);
    expect((await post('/__sim/clock', { offsetMs: 'x' })).status).toBe(400);
    await post('/__sim/clock', { offsetMs: 0 });
    expect((await json(fetch(`${sim.url}/__sim/clock`))).offsetMs).toBe(0);
  });
});
