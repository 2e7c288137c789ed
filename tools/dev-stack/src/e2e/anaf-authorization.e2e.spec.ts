/**
 * Issue 10 point 1 end to end: a tenant admin connects a company CIF to ANAF through invoicing-api (authorize URL →
 * ANAF's redirect to the public callback → status authorized), on the real services and the ANAF simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientCredentialsTokenSource } from '@cetate/platform-identity';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const OTHER_CIF = '14399840';

describe('ANAF authorisation of a tenant company through invoicing-api', () => {
  let p: TestPlatform;
  let admin: ClientCredentialsTokenSource;

  /** One call to invoicing-api: as the tenant admin, the accountant (`as: 'accountant'`) or nobody (`as: 'public'`). */
  const call = async (method: string, path: string, opts: { as?: 'admin' | 'accountant' | 'public'; json?: unknown } = {}) => {
    const as = opts.as ?? 'admin';
    const headers: Record<string, string> = {};
    if (as !== 'public') headers['authorization'] = `Bearer ${as === 'admin' ? await admin.getToken() : await p.token()}`;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${p.api.url}${path}`, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined, redirect: 'manual' });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, text, json: type.includes('json') ? (JSON.parse(text) as Record<string, unknown> & Array<Record<string, unknown>>) : undefined };
  };

  beforeAll(async () => {
    p = await startTestPlatform({ worker: 'none' });
    admin = new ClientCredentialsTokenSource({ tokenUrl: p.identity.tokenUrl(p.tenant.slug), clientId: 'tenant-admin', clientSecret: 'tenant-admin-secret' });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('lists the tenant own CIF (authorised at provisioning), adds a CIF and authorises it through the public callback; a replayed or denied callback is refused', async () => {
    const first = await call('GET', '/v1/anaf/companies', { as: 'accountant' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual([expect.objectContaining({ cif: p.tenant.cif, primary: true, status: 'authorized', daysToExpiry: 365, warning: null })]);

    // only a tenant admin adds companies; the CUI control digit is checked
    expect((await call('POST', '/v1/anaf/companies', { as: 'accountant', json: { cif: OTHER_CIF, name: 'Second SRL' } })).status).toBe(403);
    const bad = await call('POST', '/v1/anaf/companies', { json: { cif: '14399841', name: 'Second SRL' } });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.json).toMatchObject({ code: 'ANAF_COMPANY_INVALID', errors: [{ path: 'cif' }] });
    const added = await call('POST', '/v1/anaf/companies', { json: { cif: `RO${OTHER_CIF}`, name: 'Second SRL' } });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ cif: OTHER_CIF, primary: false, status: 'not_authorized' });

    // start: ANAF's authorize URL; the simulator redirects at once to the registered callback with code and state
    expect((await call('POST', `/v1/anaf/companies/${OTHER_CIF}/authorization`, { as: 'accountant' })).status).toBe(403);
    const start = await call('POST', `/v1/anaf/companies/${OTHER_CIF}/authorization`);
    expect(start.status).toBe(200);
    const authorizeUrl = String(start.json!['authorizeUrl']);
    expect(authorizeUrl.startsWith(`${p.sim.url}/anaf-oauth2/v1/authorize?`)).toBe(true);
    const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location')!);
    expect(back.searchParams.get('state')!.startsWith(`${p.tenant.slug}.`)).toBe(true);

    // the browser lands on the public callback (no token)
    const done = await call('GET', `/v1/anaf/oauth/callback${back.search}`, { as: 'public' });
    expect(done.status).toBe(200);
    expect(done.type).toContain('text/html');
    expect(done.text).toContain(`CIF ${OTHER_CIF}`);
    const replay = await call('GET', `/v1/anaf/oauth/callback${back.search}`, { as: 'public' });
    expect(replay.status).toBe(400);
    expect(replay.type).toContain('application/problem+json');
    expect(replay.json).toMatchObject({ code: 'ANAF_OAUTH_STATE_INVALID' });

    const listed = await call('GET', '/v1/anaf/companies');
    expect(listed.json).toEqual([
      expect.objectContaining({ cif: p.tenant.cif, status: 'authorized' }),
      expect.objectContaining({ cif: OTHER_CIF, name: 'Second SRL', status: 'authorized', daysToExpiry: 365, warning: null }),
    ]);

    // ANAF sends the browser back with an error: refused, the company keeps its status
    const again = await call('POST', `/v1/anaf/companies/${OTHER_CIF}/authorization`);
    const state = new URL(String(again.json!['authorizeUrl'])).searchParams.get('state')!;
    const denied = await call('GET', `/v1/anaf/oauth/callback?error=access_denied&state=${encodeURIComponent(state)}`, { as: 'public' });
    expect(denied.status).toBe(400);
    expect(denied.json).toMatchObject({ code: 'ANAF_OAUTH_DENIED' });
    expect((await call('GET', '/v1/anaf/companies')).json!.find((c) => c['cif'] === OTHER_CIF)).toMatchObject({ status: 'authorized' });
    // tokens of the second CIF in the secret store, nothing of them in the tenant database
    const rows = await p.tenantQuery<{ r: string }>(`SELECT x::text AS r FROM efactura.anaf_company x`);
    expect(rows.some((r) => r.r.includes(back.searchParams.get('state')!))).toBe(false);
  });
});
