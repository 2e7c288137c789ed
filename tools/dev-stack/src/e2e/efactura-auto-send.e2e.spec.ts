/**
 * Per-tenant automatic sending (issue 7 point 6): `GET`/`PUT /v1/settings/efactura` (read: accountant, tenant-admin;
 * write: tenant-admin), and the scheduler of invoicing-api sending every `draft` invoice whose deadline is within
 * `workingDaysBefore` Romanian working days, as `auto-send`, exactly once although two API replicas pass over the
 * tenant every 300 ms. Real platform (worker included); the two replicas are extra `invoicing-api` processes (in this
 * test process) on the same databases, broker and identity server, with a short pass interval.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInvoicingApi, type RunningInvoicingApi } from '@cetate/invoicing-api';
import { addRomanianWorkingDays, DEMO_INVOICE_DOCUMENT, efacturaTransmissionDeadline, romanianDate } from '@cetate/invoicing-domain';
import type { InvoiceView } from '@cetate/invoicing-contracts';
import { startTestPlatform, TEST_RETRY, type TestPlatform } from './test-platform.js';

let p: TestPlatform;
const replicas: RunningInvoicingApi[] = [];

beforeAll(async () => {
  p = await startTestPlatform();
  for (let i = 0; i < 2; i++) {
    replicas.push(
      await startInvoicingApi({
        databaseUrl: p.workerEnv.DATABASE_URL!,
        platformDatabaseUrl: p.workerEnv.PLATFORM_DATABASE_URL,
        amqpUrl: p.workerEnv.AMQP_URL!,
        keycloakUrl: p.identity.url,
        storage: { endPoint: '127.0.0.1', port: p.s3.port, useSSL: false, accessKey: p.s3.accessKey, secretKey: p.s3.secretKey, region: 'us-east-1' },
        port: 0,
        retry: TEST_RETRY,
        autoSend: { intervalMs: 300 },
      }),
    );
  }
}, 120_000);
afterAll(async () => {
  for (const r of replicas) await r.close();
  await p?.close();
});

/** A fresh client-credentials token (roles as they are now, not a cached token's). */
async function freshToken(clientId: string, secret: string): Promise<string> {
  const res = await fetch(p.identity.tokenUrl(p.tenant.realm), {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function settings(method: 'GET' | 'PUT', token: string, body?: unknown) {
  const res = await fetch(`${p.api.url}/v1/settings/efactura`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const today = romanianDate(new Date());
/** With workingDaysBefore = 1, what is due: a deadline on or before the next working day. */
const cutoff = addRomanianWorkingDays(today, 1);
const invoices: Record<string, InvoiceView> = {};

describe('automatic sending before the deadline', () => {
  it('settings: accountants read, only tenant admins write, and only a valid body', async () => {
    const accountant = await p.token();
    expect(await settings('GET', accountant)).toEqual({ status: 200, json: { autoSend: false, workingDaysBefore: 1, updatedAt: null, updatedBy: null } });
    expect((await settings('GET', await p.token('reader'))).status).toBe(403); // role `user`
    expect((await settings('PUT', accountant, { autoSend: true, workingDaysBefore: 1 })).status).toBe(403);

    // give the `reader` client's service account the tenant-admin role (Keycloak admin API of the identity server)
    const kc = new KcAdminClient({ baseUrl: p.identity.url, realmName: p.identity.admin.realm });
    await kc.auth({ grantType: 'client_credentials', clientId: p.identity.admin.clientId, clientSecret: p.identity.admin.clientSecret });
    const realm = p.tenant.realm;
    const [reader] = await kc.clients.find({ realm, clientId: 'reader' });
    const sa = await kc.clients.getServiceAccountUser({ realm, id: reader!.id! });
    const role = (await kc.roles.find({ realm })).find((r) => r.name === 'tenant-admin')!;
    await kc.users.addRealmRoleMappings({ realm, id: sa.id!, roles: [{ id: role.id!, name: 'tenant-admin' }] });
    const admin = await freshToken('reader', 'reader-secret');

    for (const bad of [{ autoSend: 'yes', workingDaysBefore: 1 }, { autoSend: true, workingDaysBefore: 5 }, { autoSend: true }, { autoSend: true, workingDaysBefore: 1, extra: 1 }]) {
      const r = await settings('PUT', admin, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json.code).toBe('VALIDATION_FAILED');
    }
    expect((await settings('GET', admin)).json).toMatchObject({ autoSend: false, updatedAt: null });
  });

  it('with autoSend off nothing is sent; on, exactly the due drafts are sent once, as auto-send, by two replicas', async () => {
    const make = async (key: string, issueDate: string) => {
      invoices[key] = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: `AUTO-${key}-${issueDate}`, issueDate });
    };
    const twentyDaysAgo = new Date(Date.parse(`${today}T12:00:00Z`) - 20 * 86_400_000).toISOString().slice(0, 10);
    await make('OVERDUE', twentyDaysAgo);
    await make('EDGE', addRomanianWorkingDays(cutoff, -5)); // deadline = the next working day: due
    await make('NEXT', addRomanianWorkingDays(cutoff, -4)); // deadline one working day later: not yet
    await make('TODAY', today); // deadline in 5 working days
    expect(invoices.EDGE!.efactura.deadline).toBe(cutoff);
    expect(invoices.NEXT!.efactura.deadline).toBe(addRomanianWorkingDays(cutoff, 1));
    expect(invoices.TODAY!.efactura.deadline).toBe(efacturaTransmissionDeadline(today));

    await sleep(1500); // five passes of each replica with the defaults (autoSend off)
    for (const inv of Object.values(invoices)) expect((await p.client.get(inv.id)).efactura.state).toBe('draft');

    const admin = await freshToken('reader', 'reader-secret');
    const put = await settings('PUT', admin, { autoSend: true, workingDaysBefore: 1 });
    expect(put).toMatchObject({ status: 200, json: { autoSend: true, workingDaysBefore: 1, updatedBy: 'reader' } });
    expect((await settings('GET', await p.token())).json).toMatchObject({ autoSend: true, workingDaysBefore: 1 });

    for (const key of ['OVERDUE', 'EDGE']) {
      const done = await p.client.waitForFinal(invoices[key]!.id, { timeoutMs: 60_000 });
      expect(done.efactura.state, key).toBe('accepted');
    }
    await sleep(1500); // more passes: nothing more is sent
    for (const key of ['OVERDUE', 'EDGE']) {
      const detail = await p.client.get(invoices[key]!.id);
      const requests = detail.history.filter((h) => h.event === 'send-requested');
      expect(requests, key).toHaveLength(1);
      expect(requests[0]!.detail).toMatchObject({ by: 'auto-send' });
      expect(p.uploadsOf(detail), key).toBe(1);
    }
    for (const key of ['NEXT', 'TODAY']) {
      const detail = await p.client.get(invoices[key]!.id);
      expect(detail.efactura.state, key).toBe('draft');
      expect(detail.history.map((h) => h.event), key).toEqual(['created']);
    }
  });
});
