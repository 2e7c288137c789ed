/**
 * TaxpayerLookup against the real PostgreSQL (a fresh database as the platform database) and the ANAF simulator's
 * `PlatitorTvaRest/v9/tva` (fixture taxpayers; more than 1 call per second from one client -> HTTP 429).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnafHttpError, AnafNetworkError, AnafProtocolError, TaxpayerRequestError } from '@cetate/anaf-client';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the lookup is tested against the real ANAF simulator
import { startAnafSimulator, type AnafSimulator } from '@cetate/anaf-sim';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { TAXPAYER_CACHE_TTL_MS, TaxpayerLookup, toSupplierCheck, type TaxpayerLookupOptions } from './index.js';

const DEMO = '41832096'; // Cetate Demo Software SRL, Bucharest sector 1
const INACTIVE = '34567892'; // inactive since 2025-06-01, VAT registration ended 2025-06-15
const NOT_VAT = '45678900'; // never registered for VAT
const FIXTURE = [DEMO, '35246718', '12345674', '23456783', INACTIVE, NOT_VAT, '10000008', '20000013', '31000000', '33000007'];
const DAY = '2026-03-02';

let db: TestDatabase;
let sim: AnafSimulator;
let anafUrl: string;
const open: TaxpayerLookup[] = [];

/** A lookup on the test database and the simulator; closed after the file. */
async function lookup(o: TaxpayerLookupOptions = {}): Promise<TaxpayerLookup> {
  const l = new TaxpayerLookup({ databaseUrl: db.url, anafUrl, ...o });
  open.push(l);
  await l.open();
  return l;
}

/** The simulator's taxpayer calls made while `fn` ran. */
async function callsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; calls: ReturnType<AnafSimulator['taxpayerCalls']> }> {
  const before = sim.taxpayerCalls().length;
  const result = await fn();
  return { result, calls: sim.taxpayerCalls().slice(before) };
}

beforeAll(async () => {
  db = await createTestDatabase('cetate_taxpayer');
  sim = await startAnafSimulator({ processingDelayMs: 0 });
  anafUrl = `${sim.url}/api/PlatitorTvaRest/v9/tva`;
});
afterAll(async () => {
  for (const l of open) await l.close();
  await sim?.close();
  await db?.drop();
});

describe('TaxpayerLookup', () => {
  it('open() creates schema anaf_public with its own migrations table, idempotently', async () => {
    const l = await lookup();
    await l.open();
    await (await lookup()).open();
    const tables: Array<{ t: string }> = await l.dataSource.query(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
        WHERE table_schema = 'anaf_public' OR table_name = 'anaf_public_migrations' ORDER BY 1`,
    );
    expect(tables.map((r) => r.t)).toEqual(['anaf_public.call_slot', 'anaf_public.taxpayer_cache', 'public.anaf_public_migrations']);
    const ran: Array<{ name: string }> = await l.dataSource.query(`SELECT name FROM public.anaf_public_migrations`);
    expect(ran.map((r) => r.name)).toEqual(['AnafPublicTaxpayerCache1765450000000']);
  });

  it('asks ANAF once, serves found and notFound from the cache for 24 h, asks again after', async () => {
    let clock = Date.parse('2026-03-02T08:00:00Z');
    const l = await lookup({ now: () => clock });
    const first = await callsDuring(() => Promise.all([l.get(`RO${DEMO}`, DAY), l.get('99999999', DAY)]));
    expect(first.calls.map((c) => [c.cuis, c.status])).toEqual([[2, 200]]);
    const [demo, unknown] = first.result;
    expect(demo).toMatchObject({ cui: DEMO, date: DAY, found: true, source: 'anaf', checkedAt: new Date(clock) });
    expect(demo!.taxpayer).toMatchObject({ cui: DEMO, name: 'CETATE DEMO SOFTWARE SRL', vatRegistered: true, inactive: false, eFacturaRegistered: true });
    expect(demo!.taxpayer!.raw.date_generale).toMatchObject({ cui: 41832096 });
    expect(unknown).toMatchObject({ cui: '99999999', found: false, taxpayer: null, source: 'anaf' });

    clock += TAXPAYER_CACHE_TTL_MS - 1;
    const cached = await callsDuring(() => Promise.all([l.get(DEMO, DAY), l.get('RO99999999', DAY)]));
    expect(cached.calls).toEqual([]);
    expect(cached.result.map((r) => [r.source, r.found, r.checkedAt.toISOString()])).toEqual([
      ['cache', true, '2026-03-02T08:00:00.000Z'],
      ['cache', false, '2026-03-02T08:00:00.000Z'],
    ]);
    expect(cached.result[0]!.taxpayer).toEqual(demo!.taxpayer);

    // another process (a second lookup, its own pool) sees the same cache
    const other = await lookup({ now: () => clock });
    expect((await callsDuring(() => other.get(DEMO, DAY))).calls).toEqual([]);

    clock += 1;
    const refreshed = await callsDuring(() => Promise.all([l.get(DEMO, DAY), l.get('99999999', DAY)]));
    expect(refreshed.calls.map((c) => c.cuis)).toEqual([2]);
    expect(refreshed.result.map((r) => r.source)).toEqual(['anaf', 'anaf']);
    expect(refreshed.result[0]!.checkedAt).toEqual(new Date(clock));
    const rows: Array<{ cui: string; found: boolean; has: boolean }> = await l.dataSource.query(
      `SELECT cui, found, taxpayer IS NOT NULL AS has FROM anaf_public.taxpayer_cache WHERE date = $1 ORDER BY cui`,
      [DAY],
    );
    expect(rows).toEqual([
      { cui: DEMO, found: true, has: true },
      { cui: '99999999', found: false, has: false },
    ]);
    // an expired row is gone after purgeExpired; a fresh one stays
    clock += TAXPAYER_CACHE_TTL_MS;
    expect(await l.purgeExpired()).toBeGreaterThanOrEqual(2);
  });

  it('the default date is today in Europe/Bucharest by the clock; bad CUIs and dates fail before any call', async () => {
    const clock = Date.parse('2026-03-02T22:30:00Z'); // already 3 March in Bucharest
    const l = await lookup({ now: () => clock });
    expect(await l.get(DEMO)).toMatchObject({ date: '2026-03-03', found: true });
    const none = await callsDuring(async () => {
      await expect(l.get('DE123')).rejects.toBeInstanceOf(TaxpayerRequestError);
      await expect(l.get(DEMO, '03.03.2026')).rejects.toBeInstanceOf(TaxpayerRequestError);
    });
    expect(none.calls).toEqual([]);
  });

  it('the supplier check of an inbound bill: inactive, not VAT-registered, unknown', async () => {
    const l = await lookup();
    const [inactive, notVat, unknown] = await l.getMany([INACTIVE, NOT_VAT, '88888888'], DAY);
    expect(inactive!.taxpayer).toMatchObject({ inactive: true, inactiveSince: '2025-06-01', vatRegistered: false });
    expect(toSupplierCheck(notVat!)).toMatchObject({ found: true, name: 'BANAT CONSULTANTA SRL', vatRegistered: false, inactive: false });
    expect(toSupplierCheck(unknown!)).toEqual({ found: false, name: null, vatRegistered: null, inactive: null, checkedAt: unknown!.checkedAt.toISOString() });
  });

  it('batches concurrent gets into one call, 250 CUIs into 3 calls of <= 100, and asks only the misses', async () => {
    const l = await lookup();
    const day = '2026-03-03';
    const five = await callsDuring(() => Promise.all(FIXTURE.slice(0, 5).map((c) => l.get(c, day))));
    expect(five.calls.map((c) => c.cuis)).toEqual([5]);
    expect(five.result.map((r) => r.cui)).toEqual(FIXTURE.slice(0, 5));

    const many = [...FIXTURE, ...Array.from({ length: 240 }, (_, i) => String(50_000_000 + i))];
    const big = await callsDuring(() => l.getMany(many, '2026-03-04'));
    expect(big.calls.map((c) => [c.cuis, c.status]).sort()).toEqual([[100, 200], [100, 200], [50, 200]]);
    expect(big.result.map((r) => r.cui)).toEqual(many);
    expect(big.result.filter((r) => r.found).map((r) => r.cui)).toEqual(FIXTURE);

    const again = await callsDuring(() => l.getMany([...many, '77777777', many[0]!, '66666666'], '2026-03-04'));
    expect(again.calls.map((c) => c.cuis)).toEqual([2]);
    expect(again.result).toHaveLength(253);
    expect(again.result.filter((r) => r.source === 'anaf').map((r) => r.cui)).toEqual(['77777777', '66666666']);
    expect(again.result[251]).toEqual(again.result[0]);
  });

  it('two processes asking at once keep to 1 call per second between them', async () => {
    const a = await lookup();
    const b = await lookup();
    const { calls } = await callsDuring(() =>
      Promise.all([
        (async () => {
          await a.getMany([FIXTURE[0]!, '70000001'], '2026-04-01');
          await a.getMany([FIXTURE[1]!, '70000002'], '2026-04-02');
        })(),
        (async () => {
          await b.getMany([FIXTURE[2]!, '70000003'], '2026-04-01');
          await b.getMany([FIXTURE[3]!, '70000004'], '2026-04-02');
        })(),
      ]),
    );
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200]);
    const gaps = calls.slice(1).map((c, i) => c.atMs - calls[i]!.atMs);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(995);
  });

  it('a 429 is asked again after the next slot', async () => {
    const l = await lookup();
    await new Promise((r) => setTimeout(r, 1100)); // the slot of the earlier tests has passed: the lookup may call at once
    // a call from outside the lookup (same client address) makes the lookup's immediate call too early for ANAF
    const outside = await fetch(anafUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ cui: 1, data: DAY }]) });
    expect(outside.status).toBe(200);
    const { result, calls } = await callsDuring(() => l.get(FIXTURE[4]!, '2026-04-03'));
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.atMs - calls[0]!.atMs).toBeGreaterThanOrEqual(995);
    expect(result).toMatchObject({ found: true, source: 'anaf' });
  });

  describe('ANAF failing', () => {
    let server: Server;
    let badUrl: string;
    let answer: (res: ServerResponse) => void;
    let hits = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        hits++;
        req.resume();
        req.on('end', () => answer(res));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      badUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/PlatitorTvaRest/v9/tva`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('5xx is a typed error for every waiting get, nothing is cached, and the next get asks again', async () => {
      const l = await lookup({ anafUrl: badUrl });
      answer = (res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      hits = 0;
      const errs = await Promise.all([l.get('60000001', DAY), l.get('60000002', DAY)].map((p) => p.catch((e: unknown) => e)));
      expect(hits).toBe(1);
      for (const e of errs) expect(e).toMatchObject({ constructor: AnafHttpError, status: 503, retryable: true });
      answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ cod: 200, message: 'SUCCESS', found: [], notFound: [60000001] }));
      expect(await l.get('60000001', DAY)).toMatchObject({ found: false, source: 'anaf' });
      expect(hits).toBe(2);
    });

    it("the firewall's HTML page with 200 is an AnafProtocolError; an unreachable ANAF an AnafNetworkError", async () => {
      answer = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Request Rejected</title></head></html>');
      await expect((await lookup({ anafUrl: badUrl })).get('60000003', DAY)).rejects.toBeInstanceOf(AnafProtocolError);
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      await expect((await lookup({ anafUrl: `http://127.0.0.1:${port}/api/PlatitorTvaRest/v9/tva` })).get('60000004', DAY)).rejects.toBeInstanceOf(AnafNetworkError);
    });

    it('429 on every attempt ends as a retryable AnafHttpError after maxAttempts calls', async () => {
      answer = (res) => res.writeHead(429, { 'content-type': 'text/plain' }).end('Too Many Requests');
      hits = 0;
      const err = await (await lookup({ anafUrl: badUrl, maxAttempts: 2 })).get('60000005', DAY).catch((e: unknown) => e);
      expect(err).toMatchObject({ constructor: AnafHttpError, status: 429, retryable: true });
      expect(hits).toBe(2);
    });
  });
});
