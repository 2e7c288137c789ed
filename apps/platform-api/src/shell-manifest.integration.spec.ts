/**
 * `GET /v1/shell/manifest?tenant=` over HTTP on a real platform-api (real PostgreSQL registry, RabbitMQ vhost,
 * s3rver): public (no token), the contract's shape for an active tenant and for the operators (`platform`),
 * 404 problem+json `TENANT_NOT_FOUND` for unknown, malformed, provisioning and suspended tenants.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellManifest } from '@cetate/shared-ui';
import { identityAdminFromEnv } from '@cetate/platform-identity';
import { secretStoreFromEnv } from '@cetate/platform-secrets';
import { DatabaseClusters, TenantRegistry } from '@cetate/platform-tenancy';
import { createTestDatabase, createTestVhost, startEmbeddedS3, testEnv, type EmbeddedS3, type TestDatabase, type TestVhost } from '@cetate/platform-testing';
import { startPlatformApi, type RunningPlatformApi } from './platform-api.js';
import { TENANT_SHELL_MODULES } from './shell-modules.js';

process.env.LOG_LEVEL ??= 'warn';

let db: TestDatabase;
let vhost: TestVhost;
let s3: EmbeddedS3;
let api: RunningPlatformApi;
let registry: TenantRegistry;
const PUBLIC_IDENTITY = 'http://127.0.0.1:8090';

beforeAll(async () => {
  db = await createTestDatabase('cetate_test_platform');
  vhost = await createTestVhost();
  s3 = await startEmbeddedS3();
  const env = { SECRET_STORE: 'local', CETATE_MASTER_KEY: randomBytes(32).toString('base64'), CETATE_MASTER_KEY_ID: 't1', PLATFORM_DATABASE_URL: db.url, DATABASE_URL: testEnv.databaseUrl };
  api = await startPlatformApi({
    databaseUrl: testEnv.databaseUrl,
    platformDatabaseUrl: db.url,
    clusters: DatabaseClusters.single(testEnv.databaseUrl),
    amqpUrl: vhost.url,
    storage: { endPoint: '127.0.0.1', port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' },
    // No identity call happens on this endpoint; an unreachable admin URL proves it.
    identity: identityAdminFromEnv({ KEYCLOAK_URL: 'http://127.0.0.1:9' }),
    secrets: secretStoreFromEnv(env),
    keycloakUrl: 'http://127.0.0.1:9',
    publicKeycloakUrl: `${PUBLIC_IDENTITY}/`,
    port: 0,
  });
  registry = new TenantRegistry({ url: db.url, clusters: DatabaseClusters.single(testEnv.databaseUrl) });
  await registry.upsert({ slug: 'demo', displayName: 'Demo SRL', cif: 'RO41832096', status: 'active' });
  await registry.upsert({ slug: 'half', displayName: 'Half SRL', cif: '41832096', status: 'provisioning' });
  await registry.upsert({ slug: 'off', displayName: 'Off SRL', cif: '41832096', status: 'suspended' });
});

afterAll(async () => {
  await registry?.close();
  await api?.close();
  await s3?.close();
  await vhost?.drop();
  await db?.drop();
});

async function get(query: string): Promise<{ status: number; type: string | null; cache: string | null; json: Record<string, unknown> }> {
  const res = await fetch(`${api.url}/v1/shell/manifest${query}`);
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), json: (await res.json()) as Record<string, unknown> };
}

describe('GET /v1/shell/manifest (public)', () => {
  it("answers an active tenant's manifest without a token, in the contract's shape", async () => {
    const r = await get('?tenant=demo');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.cache).toBe('no-cache');
    const m = r.json as unknown as ShellManifest;
    expect(m.tenant).toEqual({ slug: 'demo', displayName: 'Demo SRL' });
    expect(m.identity).toEqual({ url: PUBLIC_IDENTITY, realm: 'demo', clientId: 'cetate-shell' });
    expect(m.modules).toEqual([
      {
        name: 'invoicing',
        remote: 'invoicing',
        entry: '/remotes/invoicing/mf-manifest.json',
        expose: './App',
        path: '/facturi',
        apiBase: '/api/invoicing',
        roles: ['accountant', 'user', 'tenant-admin'],
        title: { ro: 'Facturi', en: 'Invoices' },
      },
      {
        name: 'admin',
        remote: 'admin',
        entry: '/remotes/admin/mf-manifest.json',
        expose: './App',
        path: '/administrare',
        apiBase: '/api/platform',
        roles: ['tenant-admin'],
        title: { ro: 'Administrare', en: 'Administration' },
      },
    ]);
    expect(m.modules).toEqual(TENANT_SHELL_MODULES);
  });

  it("answers the operators' manifest for tenant=platform (realm platform, admin module for platform-operator)", async () => {
    const r = await get('?tenant=platform');
    expect(r.status).toBe(200);
    const m = r.json as unknown as ShellManifest;
    expect(m.tenant.slug).toBe('platform');
    expect(m.identity).toEqual({ url: PUBLIC_IDENTITY, realm: 'platform', clientId: 'cetate-shell' });
    expect(m.modules.map((x) => [x.name, x.roles])).toEqual([['admin', ['platform-operator']]]);
  });

  it('answers 404 problem+json TENANT_NOT_FOUND for unknown, malformed, provisioning and suspended tenants', async () => {
    for (const q of ['?tenant=nobody', '?tenant=Bad%20Slug', '?tenant=half', '?tenant=off', '?tenant=a']) {
      const r = await get(q);
      expect(r.status, q).toBe(404);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.json.code).toBe('TENANT_NOT_FOUND');
      expect(r.json.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('answers 400 VALIDATION_FAILED without tenant', async () => {
    const r = await get('');
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
  });

  it('the operator endpoints still need a token (401)', async () => {
    const res = await fetch(`${api.url}/v1/tenants`);
    expect(res.status).toBe(401);
  });
});
