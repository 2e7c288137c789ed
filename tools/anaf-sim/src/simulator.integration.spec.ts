import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { conformanceDir } from '@cetate/platform-testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { startAnafSimulator, type AnafSimulator } from './index.js';

const VALID = readFileSync(join(conformanceDir(), 'invoices/ro-phive/ubl_b2g_example1.xml'));
const BR_RO_010 = readFileSync(join(conformanceDir(), 'invoices/ro-mut/mut_BR-RO-010.xml'));

let offset = 0;
let sim: AnafSimulator;
let auth: Record<string, string>;
let api: string;

beforeAll(async () => {
  // Default validator = validateUbl of @cetate/invoicing-domain.
  sim = await startAnafSimulator({
    processingDelayMs: 0,
    limits: { maxUploadBytes: 50_000, listaMesajePerCif: 3, pageSize: 2 },
    now: () => Date.now() + offset,
  });
  auth = { Authorization: `Bearer ${await sim.issueAccessToken()}` };
  api = `${sim.url}/test/FCTEL/rest`;
});
afterEach(() => {
  sim.faults.clear();
  offset = 0;
});
afterAll(() => sim.close());

async function upload(body: Buffer | string, query = 'standard=UBL&cif=1111111111'): Promise<string> {
  const res = await fetch(`${api}/upload?${query}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/xml' }, body });
  expect(res.status).toBe(200);
  return res.text();
}
const get = (path: string, headers = auth) => fetch(`${api}/${path}`, { headers });
/** Loosely typed JSON body (answer shapes are asserted field by field). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const json = async (r: Response | Promise<Response>): Promise<Json> => (await (await r).json()) as Json;

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

describe('upload', () => {
  it('answers the header with ExecutionStatus 0, index_incarcare and a yyyyMMddHHmm dateResponse', async () => {
    const xml = await upload(VALID);
    expect(xml).toMatch(/<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" dateResponse="\d{12}" ExecutionStatus="0" index_incarcare="\d+"\/>/);
  });
  it('errors variant: unknown standard, cif not numeric, over the size limit — no index', async () => {
    const bad = await upload(VALID, 'standard=PDF&cif=RO123');
    expect(bad).toContain('ExecutionStatus="1"');
    expect(bad).not.toContain('index_incarcare');
    expect(bad.match(/<Errors errorMessage=/g)).toHaveLength(2);
    const big = await upload(Buffer.alloc(60_000, 'a'));
    expect(big).toContain('Marime fisier transmis mai mare de 10 MB.');
  });
  it('requires a bearer token (401) and POST', async () => {
    expect((await fetch(`${api}/upload?standard=UBL&cif=1`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await get('upload?standard=UBL&cif=1')).status).toBe(405);
  });
  it('timeout-after-accept records the upload but never answers', async () => {
    sim.faults.add({ endpoint: 'upload', kind: 'timeout-after-accept' });
    const before = sim.uploadsFor('1111111111', '12115118');
    const err = await fetch(`${api}/upload?standard=UBL&cif=1111111111`, { method: 'POST', headers: auth, body: VALID, signal: AbortSignal.timeout(300) }).catch((e: Error) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(sim.uploadsFor('1111111111', '12115118')).toBe(before + 1);
  });
});

describe('stareMesaj', () => {
  it('Errors variant for non-numeric and unknown ids', async () => {
    expect(await (await get('stareMesaj?id_incarcare=abc')).text()).toContain('Id_incarcare introdus= abc nu este un numar intreg');
    expect(await (await get('stareMesaj?id_incarcare=42')).text()).toContain('Nu exista factura cu id_incarcare= 42');
  });
  it('nok with the real validator; the ZIP holds the error report and its signature', async () => {
    const index = /index_incarcare="(\d+)"/.exec(await upload(BR_RO_010))![1]!;
    const st = await (await get(`stareMesaj?id_incarcare=${index}`)).text();
    const id = /stare="nok" id_descarcare="(\d+)"/.exec(st)![1]!;
    const res = await get(`descarcare?id=${id}`);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([`${index}.xml`, `semnatura_${index}.xml`]);
    expect(files[`${index}.xml`]).toContain('xmlns="mfp:anaf:dgti:efactura:mesajEroriFactuta:v1"');
    expect(files[`${index}.xml`]).toContain(`Index_incarcare="${index}" Cif_emitent="1111111111"`);
    expect(files[`${index}.xml`]).toMatch(/<Error errorMessage="E: validari globale eroare regula: BR-RO-010, /);
    expect(files[`semnatura_${index}.xml`]).toContain('<X509Certificate>');
  });
  it('100 per index per Bucharest day (ANAF 2026), then the over-limit Errors answer; next day works again', async () => {
    const index = /index_incarcare="(\d+)"/.exec(await upload(VALID))![1]!;
    for (let i = 0; i < 100; i++) expect(await (await get(`stareMesaj?id_incarcare=${index}`)).text()).toContain('stare="ok"');
    expect(await (await get(`stareMesaj?id_incarcare=${index}`)).text()).toContain('S-au facut deja 100 descarcari de mesaj in cursul zilei');
    offset = 86_400_000;
    expect(await (await get(`stareMesaj?id_incarcare=${index}`)).text()).toContain('stare="ok"');
  });
});

describe('descarcare', () => {
  it('HTTP 400 JSON without id; eroare JSON for bad/unknown ids; 10 per id per day', async () => {
    const missing = await get('descarcare');
    expect(missing.status).toBe(400);
    expect(await json(missing)).toMatchObject({ status: 400, error: 'Bad Request', message: 'Parametrul id este obligatoriu' });
    expect(await json(get('descarcare?id=x1'))).toMatchObject({ titlu: 'Descarcare mesaj' });
    expect((await json(get('descarcare?id=77'))).eroare).toContain('nu exista');
    const index = /index_incarcare="(\d+)"/.exec(await upload(VALID))![1]!;
    const id = /id_descarcare="(\d+)"/.exec(await (await get(`stareMesaj?id_incarcare=${index}`)).text())![1]!;
    for (let i = 0; i < 10; i++) expect((await get(`descarcare?id=${id}`)).headers.get('content-type')).toBe('application/zip');
    const over = await json(get(`descarcare?id=${id}`));
    expect(over.eroare).toBe(`S-au facut deja 10 descarcari la mesajul cu id_descarcare=${id} in cursul zilei`);
  });
});

describe('message lists', () => {
  it('simple list: text/plain JSON, string values, "Nu exista mesaje", parameter errors, per-CIF limit', async () => {
    const cif = '4444444444';
    await upload(VALID, `standard=UBL&cif=${cif}`);
    const r = await get(`listaMesajeFactura?zile=1&cif=${cif}`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const j = JSON.parse(await r.text());
    expect(j.mesaje[0]).toMatchObject({ cif, tip: 'FACTURA TRIMISA' });
    expect(Object.values(j.mesaje[0]).every((v) => typeof v === 'string')).toBe(true);
    expect((await json(get(`listaMesajeFactura?zile=1&cif=${cif}&filtru=E`))).eroare).toBe('Nu exista mesaje in ultimele 1 zile');
    expect((await json(get('listaMesajeFactura?zile=61&cif=5'))).eroare).toContain('intre 1 si 60');
    // listaMesajePerCif = 3 in this simulator: 2 calls above for this CIF, one more is allowed
    expect((await json(get(`listaMesajeFactura?zile=1&cif=${cif}`))).mesaje).toHaveLength(1);
    expect((await json(get(`listaMesajeFactura?zile=1&cif=${cif}`))).eroare).toMatch(/^S-au facut deja 3 .* in cursul zilei$/);
  });
  it('paginated list: integer paging fields, page beyond the last', async () => {
    const cif = '5555555555';
    for (let i = 0; i < 3; i++) await upload(VALID, `standard=UBL&cif=${cif}`);
    const q = `cif=${cif}&startTime=${Date.now() - 60_000}&endTime=${Date.now() + 60_000}`;
    const p1 = await json(get(`listaMesajePaginatieFactura?${q}&pagina=1`));
    expect(p1).toMatchObject({ numar_inregistrari_in_pagina: 2, numar_total_inregistrari_per_pagina: 2, numar_total_inregistrari: 3, numar_total_pagini: 2, index_pagina_curenta: 1 });
    const p3 = await json(get(`listaMesajePaginatieFactura?${q}&pagina=3`));
    expect(p3.eroare).toContain('mai mare decat numarul toatal de pagini 2');
  });
  it('a Romanian buyer gets FACTURA PRIMITA', async () => {
    await upload(VALID, 'standard=UBL&cif=6666666666');
    const list = (await json(get('listaMesajeFactura?zile=1&cif=8609468&filtru=P'))).mesaje;
    expect(list.some((m: { detalii: string }) => m.detalii.includes('cif_emitent=6666666666'))).toBe(true);
  });
});

describe('validare, faults and /__sim', () => {
  it('validare is public and answers JSON', async () => {
    const ok = await json(fetch(`${sim.url}/prod/FCTEL/rest/validare/FACT1`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: VALID }));
    expect(ok.stare).toBe('ok');
    const nok = await json(fetch(`${sim.url}/prod/FCTEL/rest/validare/FACT1`, { method: 'POST', body: BR_RO_010 }));
    expect(nok.stare).toBe('nok');
    expect(nok.Messages[0].message).toContain('BR-RO-010');
  });
  it('faults over HTTP: arm, list, consume, clear; invalid fault → 400', async () => {
    const post = (body: unknown) => fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ endpoint: 'nowhere', kind: 'http500' })).status).toBe(400);
    await post({ endpoint: 'lista', kind: 'http204', times: 2 });
    expect((await get('listaMesajeFactura?zile=1&cif=7')).status).toBe(204);
    expect((await json(fetch(`${sim.url}/__sim/faults`))).faults).toEqual([{ endpoint: 'lista', kind: 'http204', times: 1 }]);
    await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
    expect((await get('listaMesajeFactura?zile=1&cif=7')).status).toBe(200);
  });
  it('a fault kind without meaning on its endpoint is refused (400 over HTTP, RangeError in faults.add)', async () => {
    const post = (body: unknown) => fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const [endpoint, kind] of [['upload', 'stuck'], ['token', 'over-limit'], ['token', 'stuck'], ['lista', 'timeout-after-accept'], ['descarcare', 'stuck']]) {
      const res = await post({ endpoint, kind });
      expect(res.status, `${endpoint}/${kind}`).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(`has no meaning on ${endpoint}`);
    }
    expect(() => sim.faults.add({ endpoint: 'upload', kind: 'stuck' })).toThrow(RangeError);
    expect(() => sim.faults.add({ endpoint: 'token', kind: 'over-limit', times: 2 })).toThrow(/has no meaning on token/);
    expect(sim.faults.list()).toEqual([]);
    expect((await post({ endpoint: 'stareMesaj', kind: 'stuck' })).status).toBe(200);
    expect(sim.faults.list()).toEqual([{ endpoint: 'stareMesaj', kind: 'stuck', times: 1 }]);
  });
  it('an upload is parsed once: the validator gets the parsed document; not well-formed XML is "XML cu erori"', async () => {
    const seen: string[] = [];
    const own = await startAnafSimulator({
      processingDelayMs: 0,
      validate: (xml, document) => {
        seen.push(`${document.documentElement?.localName}:${xml.length}`);
        return { valid: true, fatal: [], messages: [] };
      },
    });
    try {
      const ownAuth = { Authorization: `Bearer ${await own.issueAccessToken()}` };
      const up = async (body: Buffer | string) => {
        const r = await fetch(`${own.url}/test/FCTEL/rest/upload?standard=UBL&cif=1111111111`, { method: 'POST', headers: ownAuth, body });
        return /index_incarcare="(\d+)"/.exec(await r.text())![1]!;
      };
      const stare = async (index: string) => (await fetch(`${own.url}/test/FCTEL/rest/stareMesaj?id_incarcare=${index}`, { headers: ownAuth })).text();
      expect(await stare(await up(VALID))).toContain('stare="ok"');
      expect(seen).toEqual([`Invoice:${VALID.length}`]);
      expect(await stare(await up('<Invoice><unclosed></Invoice>'))).toContain('stare="XML cu erori nepreluat de sistem"');
      expect(seen).toHaveLength(1); // nothing to validate
      expect(own.uploadsFor('1111111111', '')).toBe(1);
      const validare = await fetch(`${own.url}/test/FCTEL/rest/validare/FACT1`, { method: 'POST', body: VALID });
      expect(await validare.json()).toMatchObject({ stare: 'ok' });
      expect(seen).toEqual([`Invoice:${VALID.length}`, `Invoice:${VALID.length}`]);
    } finally {
      await own.close();
    }
  });
  it('config changes the processing delay; messages lists what was produced', async () => {
    await fetch(`${sim.url}/__sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ processingDelayMs: 60_000 }) });
    const index = /index_incarcare="(\d+)"/.exec(await upload(VALID))![1]!;
    expect(await (await get(`stareMesaj?id_incarcare=${index}`)).text()).toContain('stare="in prelucrare"');
    sim.setProcessingDelayMs(0);
    const { messages } = await json(fetch(`${sim.url}/__sim/messages`));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.some((m: { id_solicitare: string }) => m.id_solicitare === index)).toBe(false);
  });
});

describe('standalone process', () => {
  it('main.ts listens on ANAF_SIM_PORT and answers', async () => {
    const child = spawn('node_modules/.bin/tsx', ['tools/anaf-sim/src/main.ts'], {
      env: { ...process.env, ANAF_SIM_PORT: '0', ANAF_SIM_PROCESSING_DELAY_MS: '10' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /"url":"([^"]+)"/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(await json(fetch(`${url}/__sim/health`))).toEqual({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
