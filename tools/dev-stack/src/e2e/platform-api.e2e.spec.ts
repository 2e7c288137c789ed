/**
 * platform-api over HTTP with a platform operator's token (realm `platform`, role `platform-operator`): create a
 * tenant (201, steps, first admin's temporary password once), refusals as RFC 9457 problem+json before anything
 * runs, suspend/resume, export, delete with confirmation.
 */
import { randomUUID } from 'node:crypto';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatformApi } from '@cetate/platform-api';
import { startTenantPlatform, type TenantPlatform } from '../tenant-platform.js';

let p: TenantPlatform;
let api: RunningPlatformApi;
const slug = `pa-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  p = await startTenantPlatform();
  api = await p.startPlatformApi();
});

afterAll(async () => {
  await api?.close();
  await p?.services.saga.delete(slug).catch(() => undefined);
  await p?.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await p.operatorToken()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('platform-api /v1/tenants (platform operator)', () => {
  it('refuses a hostile slug or a bad CIF with 400 problem+json, and nothing is created', async () => {
    for (const body of [
      { slug: 'a;drop database', displayName: 'X', cif: '41832096', admin: { email: 'a@x.ro' } },
      { slug: 'platform', displayName: 'X', cif: '41832096', admin: { email: 'a@x.ro' } },
      { slug: 'ok-slug', displayName: 'X', cif: '41832097', admin: { email: 'a@x.ro' } },
    ]) {
      const r = await call('POST', '/v1/tenants', body);
      expect(r.status).toBe(400);
      expect(r.type).toMatch(/application\/problem\+json/);
      expect(r.json.code).toBe('INVALID_TENANT');
      expect(r.json.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
    const missing = await call('POST', '/v1/tenants', { slug: 'x1' });
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe('VALIDATION_FAILED');
    expect((await call('GET', '/v1/tenants')).json.items).toEqual([]);
  });

  it('creates a tenant (201, every step succeeded, temporary password once), shows, suspends, resumes', async () => {
    const r = await call('POST', '/v1/tenants', { slug, displayName: 'Firma PA SRL', cif: 'RO41832096', admin: { email: 'ana@pa.example', username: 'ana' } });
    expect(r.status).toBe(201);
    const tenant = r.json.tenant as { status: string; steps: Array<{ step: string; status: string }> };
    expect(tenant.status).toBe('active');
    expect(tenant.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['realm:succeeded', 'database:succeeded', 'bucket:succeeded', 'secrets:succeeded', 'event:succeeded']);
    expect(r.json.firstAdmin).toMatchObject({ username: 'ana' });
    expect(String((r.json.firstAdmin as { temporaryPassword: string }).temporaryPassword).length).toBeGreaterThanOrEqual(12);

    const again = await call('POST', '/v1/tenants', { slug, displayName: 'Firma PA SRL', cif: 'RO41832096', admin: { email: 'ana@pa.example', username: 'ana' } });
    expect(again.status).toBe(201);
    expect(again.json.firstAdmin).toBeUndefined();

    const other = await call('POST', '/v1/tenants', { slug, displayName: 'Alta', cif: '35246718', admin: { email: 'x@pa.example' } });
    expect(other.status).toBe(409);
    expect(other.json.code).toBe('TENANT_STATE_CONFLICT');

    const shown = await call('GET', `/v1/tenants/${slug}`);
    expect(shown.status).toBe(200);
    expect(shown.json.dbName).toBe(`tenant_${slug.replace(/-/g, '_')}`);
    expect((await call('POST', `/v1/tenants/${slug}/suspend`)).json.status).toBe('suspended');
    expect((await call('POST', `/v1/tenants/${slug}/resume`)).json.status).toBe('active');
    const migrated = await call('POST', `/v1/tenants/${slug}/migrate`);
    expect(migrated.json).toEqual({ slug, migrationsRun: [] });
  });

  it('exports the tenant as a zip with manifest.json and database.sql', async () => {
    const res = await fetch(`${api.url}/v1/tenants/${slug}/export`, { headers: { authorization: `Bearer ${await p.operatorToken()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await res.arrayBuffer());
    const names = await new Promise<string[]>((resolve, reject) =>
      yauzl.fromBuffer(zip, { lazyEntries: true }, (err, z) => {
        if (err || !z) return reject(err);
        const out: string[] = [];
        z.on('entry', (e: { fileName: string }) => {
          out.push(e.fileName);
          z.readEntry();
        });
        z.on('end', () => resolve(out));
        z.readEntry();
      }),
    );
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'database.sql']));
  });

  it('deletes only with ?confirm=<slug>; afterwards the tenant is gone (404)', async () => {
    const refused = await call('DELETE', `/v1/tenants/${slug}`);
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('CONFIRMATION_REQUIRED');
    expect((await call('GET', `/v1/tenants/${slug}`)).status).toBe(200);
    const deleted = await call('DELETE', `/v1/tenants/${slug}?confirm=${slug}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ deleted: slug });
    const gone = await call('GET', `/v1/tenants/${slug}`);
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('TENANT_NOT_FOUND');
  });
});
