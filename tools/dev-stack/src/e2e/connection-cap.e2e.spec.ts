/**
 * invoicing-api under a tiny PG_MAX_CONNECTIONS (issue 5 point 6): with `pgMaxConnections: 3` the registry takes
 * 2 and the tenant pool 1 connection, so two tenants share one DataSource slot. Concurrent requests for both
 * wait for the slot instead of failing, and the server never sees more than one tenant connection of the API.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInvoicingApi, type RunningInvoicingApi } from '@cetate/invoicing-api';
import { testEnv } from '@cetate/platform-testing';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

let p: TestPlatform;
let api: RunningInvoicingApi;

beforeAll(async () => {
  p = await startTestPlatform({ worker: 'none' });
  await p.api.close(); // its connections carry the same application_name; only the capped API below runs
  api = await startInvoicingApi({
    databaseUrl: p.workerEnv.DATABASE_URL!,
    platformDatabaseUrl: p.workerEnv.PLATFORM_DATABASE_URL!,
    amqpUrl: p.workerEnv.AMQP_URL!,
    keycloakUrl: p.identity.url,
    storage: { endPoint: '127.0.0.1', port: p.s3.port, useSSL: false, accessKey: p.s3.accessKey, secretKey: p.s3.secretKey, region: 'us-east-1' },
    port: 0,
    pgMaxConnections: 3,
  });
});
afterAll(async () => {
  await api?.close();
  await p?.close();
});

describe('invoicing-api with PG_MAX_CONNECTIONS=3 (one tenant connection)', () => {
  it('serves concurrent requests of two tenants, one tenant connection at a time', async () => {
    const tokens = [await p.token('cetate-api', p.tenant.realm), await p.token('cetate-api', p.otherTenant.realm)];
    const dbs = [p.tenant.dbName, p.otherTenant.dbName];
    const admin = new pg.Client({ connectionString: testEnv.databaseUrl, application_name: 'cetate:e2e-sampler' });
    await admin.connect();
    let on = true;
    let peak = 0;
    let samples = 0;
    const sampler = (async () => {
      while (on) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'cetate:invoicing-api:%' AND datname = ANY($1)`,
          [dbs],
        );
        peak = Math.max(peak, rows[0]!.n);
        samples++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    try {
      const statuses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fetch(`${api.url}/v1/invoices?limit=1`, { headers: { authorization: `Bearer ${tokens[i % 2]}` } }).then(async (r) => {
            const body = (await r.json()) as { total?: number };
            return `${r.status}:${typeof body.total}`;
          }),
        ),
      );
      expect(statuses).toEqual(Array.from({ length: 40 }, () => '200:number'));
    } finally {
      on = false;
      await sampler;
      await admin.end();
    }
    expect(samples).toBeGreaterThan(5);
    expect(peak).toBe(1);
  });
});
