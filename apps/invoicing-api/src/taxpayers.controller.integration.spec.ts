/**
 * `GET /v1/taxpayers/:cui` in a minimal Nest app served like invoicing-api (`serveHttp`: problem+json filter), with the
 * real TaxpayerLookup on a fresh PostgreSQL database and the ANAF simulator's `PlatitorTvaRest/v9/tva`. The realm
 * auth guard is not mounted here (the roles are declared on the handler; invoicing-api's guard enforces them).
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaxpayerLookup } from '@cetate/invoicing-efactura';
import { createLogger, serveHttp } from '@cetate/platform-observability';
import { isValidCif } from '@cetate/platform-tenancy';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the lookup behind the endpoint asks the real ANAF simulator
import { startAnafSimulator, type AnafSimulator } from '@cetate/anaf-sim';
import { TaxpayersController } from './taxpayers.controller.js';

let db: TestDatabase;
let sim: AnafSimulator;
let app: INestApplication;
let base: string;
let lookup: TaxpayerLookup;
let unreachable: TaxpayerLookup;
/** The lookup the controller uses right now (the 503 test swaps in one whose ANAF is unreachable). */
let current: TaxpayerLookup;

/** A CUI with a valid check digit that the simulator's fixture does not hold. */
const UNKNOWN = Array.from({ length: 10 }, (_, d) => `6123456${d}`).find((c) => isValidCif(c))!;

async function get(path: string) {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await createTestDatabase('cetate_taxpayers_api');
  sim = await startAnafSimulator({ processingDelayMs: 0 });
  lookup = new TaxpayerLookup({ databaseUrl: db.url, anafUrl: `${sim.url}/api/PlatitorTvaRest/v9/tva` });
  await lookup.open();
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  unreachable = new TaxpayerLookup({ databaseUrl: db.url, anafUrl: `http://127.0.0.1:${port}/api/PlatitorTvaRest/v9/tva` });
  current = lookup;

  @Module({
    controllers: [TaxpayersController],
    providers: [{ provide: TaxpayerLookup, useValue: { get: (cui: string, date?: string) => current.get(cui, date) } }],
  })
  class TestModule {}
  app = await NestFactory.create(TestModule, { bodyParser: false, logger: false });
  const log = createLogger('taxpayers-test');
  log.level = 'silent'; // the 503 test's error log is expected
  base = await serveHttp(app, { port: 0, log, jsonLimit: '1mb' });
});
afterAll(async () => {
  await app?.close();
  await lookup?.close();
  await unreachable?.close();
  await sim?.close();
  await db?.drop();
});

describe('GET /v1/taxpayers/:cui', () => {
  it('answers the buyer-ready view, from ANAF first and from the cache after', async () => {
    const first = await get('/v1/taxpayers/RO41832096');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      cui: '41832096',
      name: 'CETATE DEMO SOFTWARE SRL',
      vatId: 'RO41832096',
      tradeRegister: 'J40/12345/2019',
      address: { city: 'SECTOR1', county: 'RO-B', country: 'RO' },
      vatRegistered: true,
      inactive: false,
      eFacturaRegistered: true,
      source: 'anaf',
    });
    expect(new Date(first.body.checkedAt as string).toISOString()).toBe(first.body.checkedAt);
    const calls = sim.taxpayerCalls().length;
    const again = await get('/v1/taxpayers/41832096');
    expect(again.body).toMatchObject({ source: 'cache', checkedAt: first.body.checkedAt });
    expect(sim.taxpayerCalls().length).toBe(calls);
  });

  it('?date= asks about that day: an inactive supplier without VAT registration', async () => {
    const r = await get('/v1/taxpayers/34567892?date=2026-03-02');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cui: '34567892', vatId: null, vatRegistered: false, inactive: true, address: { county: 'RO-IS' } });
  });

  it('400 problem+json for a CUI failing the check digit or a bad date (ANAF not asked), 404 for an unknown CUI', async () => {
    const calls = sim.taxpayerCalls().length;
    const bad = await get('/v1/taxpayers/41832097');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body).toMatchObject({ status: 400, code: 'INVALID_CUI', instance: '/v1/taxpayers/41832097', errors: [{ path: 'cui' }] });
    expect(await get('/v1/taxpayers/41832096?date=2026-02-30')).toMatchObject({ status: 400, body: { code: 'INVALID_DATE' } });
    expect(sim.taxpayerCalls().length).toBe(calls);

    const unknown = await get(`/v1/taxpayers/${UNKNOWN}`);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({ code: 'TAXPAYER_NOT_FOUND', status: 404 });
    expect(unknown.body.detail).toContain(UNKNOWN);
  });

  it('503 problem+json when ANAF is unreachable', async () => {
    current = unreachable;
    try {
      const r = await get('/v1/taxpayers/35246718?date=2026-01-05');
      expect(r.status).toBe(503);
      expect(r.type).toContain('application/problem+json');
      expect(r.body).toMatchObject({ code: 'ANAF_UNAVAILABLE', status: 503 });
      expect(r.body.detail).toContain('ANAF_NETWORK');
    } finally {
      current = lookup;
    }
  });
});
