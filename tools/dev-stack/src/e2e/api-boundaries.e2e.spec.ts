import { conformanceDir } from '@cetate/platform-testing';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInTenant } from '@cetate/platform-tenancy';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const CONFORMANCE = conformanceDir();
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ worker: 'none' });
});
afterAll(async () => {
  await p?.close();
});

/** What is stored for the tenant: invoice rows (via the API) and objects in its bucket. */
async function stored(): Promise<{ invoices: number; objects: number }> {
  const list = await fetch(`${p.api.url}/v1/invoices?limit=200`, { headers: { authorization: `Bearer ${await p.token()}` } });
  const body = (await list.json()) as { total: number };
  const objects = await runInTenant(p.tenant, () => p.storage.listObjects(p.tenant, 'invoicing/'));
  return { invoices: body.total, objects: objects.length };
}

async function expectProblem(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { status: number; code: string; type: string; title: string; detail: string; traceId: string };
  expect(body.status).toBe(status);
  expect(body.code).toBe(code);
  expect(body.type).toMatch(/^https:\/\/cetate\.dev\/problems\//);
  expect(body.detail.length).toBeGreaterThan(10);
  expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
}

describe('invoicing-api boundaries: identity and bad input', () => {
  it('refuses a request without a token (401) and a token of a realm that is no tenant (403)', async () => {
    const none = await fetch(`${p.api.url}/v1/invoices`);
    await expectProblem(none, 401, 'AUTH_INVALID_TOKEN');
    const stranger = await fetch(`${p.api.url}/v1/invoices`, { headers: { authorization: `Bearer ${await p.token('cetate-api', p.strangerRealm)}` } });
    await expectProblem(stranger, 403, 'AUTH_FORBIDDEN');
  });

  it("never shows one tenant's invoices to another tenant's token", async () => {
    const mine = await p.client.importXml(await readFile(path.join(CONFORMANCE, 'invoices/ro-phive/ubl_b2g_example1.xml')));
    const other = { authorization: `Bearer ${await p.token('cetate-api', p.otherTenant.realm)}` };
    const list = await fetch(`${p.api.url}/v1/invoices`, { headers: other });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id)).not.toContain(mine.id);
    for (const suffix of ['', '/xml', '/send']) {
      const res = await fetch(`${p.api.url}/v1/invoices/${mine.id}${suffix}`, { method: suffix === '/send' ? 'POST' : 'GET', headers: other });
      await expectProblem(res, 404, 'INVOICE_NOT_FOUND');
    }
    expect((await p.client.get(mine.id)).efactura.state).toBe('draft'); // the other tenant's send did nothing
  });

  it('refuses writes to a token without the accountant role (403) but lets it read', async () => {
    const reader = await p.token('reader');
    const read = await fetch(`${p.api.url}/v1/invoices`, { headers: { authorization: `Bearer ${reader}` } });
    expect(read.status).toBe(200);
    const write = await fetch(`${p.api.url}/v1/invoices/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/xml' },
      body: await readFile(path.join(CONFORMANCE, 'invoices/ro-phive/ubl_b2g_example1.xml')),
    });
    await expectProblem(write, 403, 'AUTH_FORBIDDEN');
  });

  it('answers malformed XML with 400 problem+json and stores nothing', async () => {
    const before = await stored();
    const res = await fetch(`${p.api.url}/v1/invoices/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token()}`, 'content-type': 'application/xml' },
      body: '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID>1</Invoice>',
    });
    await expectProblem(res, 400, 'UBL_MALFORMED');
    expect(await stored()).toEqual(before);
  });

  it('answers XML that is not a UBL invoice with 400 UBL_UNKNOWN_ROOT and stores nothing', async () => {
    const before = await stored();
    const res = await fetch(`${p.api.url}/v1/invoices/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token()}`, 'content-type': 'text/xml' },
      body: '<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
    });
    await expectProblem(res, 400, 'UBL_UNKNOWN_ROOT');
    expect(await stored()).toEqual(before);
  });

  it('answers a wrong content type with 415 and stores nothing', async () => {
    const before = await stored();
    const res = await fetch(`${p.api.url}/v1/invoices/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token()}`, 'content-type': 'application/pdf' },
      body: Buffer.from('%PDF-1.7 not an invoice'),
    });
    await expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await stored()).toEqual(before);
  });

  it('answers a 20 MB body with 413 and stores nothing', async () => {
    const before = await stored();
    const big = Buffer.alloc(20 * 1024 * 1024, 'a');
    const res = await fetch(`${p.api.url}/v1/invoices/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token()}`, 'content-type': 'application/xml' },
      body: big,
    });
    await expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await stored()).toEqual(before);
  });

  it('answers a JSON invoice with float amounts with 400 and the field paths, storing nothing', async () => {
    const before = await stored();
    const res = await fetch(`${p.api.url}/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ documentType: 'Invoice', number: 'X1', lines: [{ quantity: 1.5 }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: Array<{ path: string }> };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e) => e.path)).toContain('lines.0.quantity');
    expect(await stored()).toEqual(before);
  });

  it('answers an unknown invoice id with 404 problem+json', async () => {
    const res = await fetch(`${p.api.url}/v1/invoices/00000000-0000-4000-8000-000000000000`, { headers: { authorization: `Bearer ${await p.token()}` } });
    await expectProblem(res, 404, 'INVOICE_NOT_FOUND');
  });
});
