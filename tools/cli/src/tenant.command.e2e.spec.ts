/**
 * Issue 5 acceptance, tenant lifecycle, on real services (PostgreSQL, RabbitMQ, s3rver, the dev identity server
 * with its Keycloak admin REST subset): `cetate tenant create` step by step; a process killed in the middle and a
 * failed step, both finished by re-running `create`; `list --json`; suspend/resume; `delete --yes` leaving no realm,
 * database, bucket or secret; a hostile slug refused before any SQL; one run per tenant at a time.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { Client as MinioClient } from 'minio';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { identityAdminFromEnv } from '@cetate/platform-identity';
import { ProvisioningSaga, ProvisioningStateStore, TenantOperationInProgressError } from '@cetate/platform-provisioning';
import { secretStoreFromEnv } from '@cetate/platform-secrets';
import { InvalidTenantError, TenantRegistry } from '@cetate/platform-tenancy';
import { testEnv } from '@cetate/platform-testing';
import { startTenantPlatform, type TenantPlatform } from '@cetate/dev-stack/tenant-platform';

let p: TenantPlatform;
const slugs: string[] = [];

beforeAll(async () => {
  p = await startTenantPlatform();
});

afterAll(async () => {
  for (const s of slugs) await p?.services.saga.delete(s).catch(() => undefined);
  await p?.close();
});

function slug(): string {
  const s = `t-${Math.random().toString(36).slice(2, 8)}`;
  slugs.push(s);
  return s;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { ...p.env, ...env });
  return { code, out, err };
}

const createArgs = (s: string) => ['tenant', 'create', s, '--name', `Firma ${s} SRL`, '--cif', 'RO41832096', '--admin-email', `admin@${s}.example`];

async function pgDatabaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: testEnv.databaseUrl });
  await c.connect();
  try {
    return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await c.end();
  }
}

/** A TCP server that accepts and never answers: a call to it hangs (what a stuck dependency looks like). */
async function blackHole(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, server };
}

describe('tenant lifecycle (cetate tenant ...)', () => {
  it('creates a tenant step by step: realm, database with migrations, bucket, secrets, event; then active', async () => {
    const s = slug();
    const r = await cli(createArgs(s));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const stepLines = r.out.filter((l) => /^\[\d\/5\]/.test(l));
    expect(stepLines.map((l) => l.split(/\s+/).slice(1, 3).join(' '))).toEqual(['realm ok', 'database ok', 'bucket ok', 'secrets ok', 'event ok']);
    expect(r.out).toContain(`tenant ${s}: active`);
    expect(r.out.some((l) => l.startsWith('first tenant admin: admin / '))).toBe(true);

    const t = await p.services.saga.show(s);
    expect(t.status).toBe('active');
    expect(t.steps.map((x) => `${x.step}:${x.status}`)).toEqual(['realm:succeeded', 'database:succeeded', 'bucket:succeeded', 'secrets:succeeded', 'event:succeeded']);
    // The tenant's own API client works: a token of the new realm carries the service account's role.
    const token = await p.apiToken(s);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string; realm_access: { roles: string[] } };
    expect(claims.iss).toBe(`${p.identity.url}/realms/${s}`);
    expect(claims.realm_access.roles).toContain('accountant');
    // Every module's migrations ran in the tenant database.
    const c = new pg.Client({ connectionString: new URL(`/${t.dbName}`, testEnv.databaseUrl).toString() });
    await c.connect();
    try {
      const names = (await c.query<{ name: string }>('SELECT name FROM migrations ORDER BY name')).rows.map((x) => x.name);
      expect(names).toEqual(expect.arrayContaining(['InvoicingSchema1732190000000', 'EfacturaSchema1732190100000', 'MessagingOutboxInbox1732200000000']));
    } finally {
      await c.end();
    }

    // Re-running create on an active tenant changes nothing and says so.
    const again = await cli(createArgs(s));
    expect(again.code).toBe(0);
    expect(again.out).toContain(`tenant ${s}: active`);
    expect(again.out.some((l) => l.startsWith('first tenant admin'))).toBe(false);
  });

  it('finishes a half-provisioned tenant: the process is killed in the bucket step, create again completes it', async () => {
    const s = slug();
    const hole = await blackHole();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tools/cli/src/main.ts', ...createArgs(s)], {
        env: { ...process.env, ...p.env, S3_ENDPOINT: hole.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      // Wait until the database step is done and the bucket step hangs on the black hole, then kill -9.
      const deadline = Date.now() + 60_000;
      while (!/\[2\/5\] database\s+ok/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(/\[2\/5\] database\s+ok/);
      const state = new ProvisioningStateStore(p.services.registry, p.platformDb.url);
      while (!(await state.steps(s)).some((x) => x.step === 'bucket' && x.status === 'running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(child.signalCode).toBe('SIGKILL');
    } finally {
      hole.server.close();
    }
    const half = await p.services.saga.show(s);
    expect(half.status).toBe('provisioning');
    expect(half.steps.map((x) => `${x.step}:${x.status}`)).toEqual(['realm:succeeded', 'database:succeeded', 'bucket:running']);

    const r = await cli(createArgs(s));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const lines = r.out.filter((l) => /^\[\d\/5\]/.test(l)).map((l) => l.split(/\s+/).slice(1, 3).join(' '));
    expect(lines).toEqual(['realm skip', 'database skip', 'bucket ok', 'secrets ok', 'event ok']);
    const done = await p.services.saga.show(s);
    expect(done.status).toBe('active');
    expect(done.steps.find((x) => x.step === 'bucket')?.attempts).toBe(2);
    // The first admin was created by the killed run; the temporary password was printed then, not again.
    expect(r.out.some((l) => l.startsWith('first tenant admin'))).toBe(false);
  });

  it('records a failed step with its reason, and create retries it', async () => {
    const s = slug();
    const refused = await cli(createArgs(s), { S3_ENDPOINT: 'http://127.0.0.1:1' });
    expect(refused.code).toBe(1);
    expect(refused.out.some((l) => /^\[3\/5\] bucket\s+FAILED/.test(l))).toBe(true);
    expect(refused.err.join('\n')).toMatch(/PROVISIONING_STEP_FAILED: Step "bucket" of tenant "t-[a-z0-9]+" failed/);

    const shown = await cli(['tenant', 'show', s, '--json']);
    const view = JSON.parse(shown.out[0]!) as { status: string; steps: Array<{ step: string; status: string; lastError: string | null; attempts: number }> };
    expect(view.status).toBe('provisioning');
    const bucket = view.steps.find((x) => x.step === 'bucket')!;
    expect(bucket.status).toBe('failed');
    expect(bucket.lastError).toMatch(/ECONNREFUSED|connect/i);

    const retried = await cli(createArgs(s));
    expect(retried.code).toBe(0);
    const after = await p.services.saga.show(s);
    expect(after.status).toBe('active');
    expect(after.steps.find((x) => x.step === 'bucket')).toMatchObject({ status: 'succeeded', attempts: 2, lastError: null });
  });

  it('list --json prints one object per tenant with slug, status and its steps', async () => {
    const r = await cli(['tenant', 'list', '--json']);
    expect(r.code).toBe(0);
    const objs = r.out.map((l) => JSON.parse(l) as { slug: string; status: string; steps: Array<{ step: string; status: string }> });
    expect(objs.length).toBeGreaterThanOrEqual(3);
    for (const o of objs) {
      expect(o.slug).toMatch(/^t-/);
      expect(['provisioning', 'active', 'suspended']).toContain(o.status);
      expect(o.steps.length).toBeGreaterThan(0);
    }
    expect(new Set(objs.map((o) => o.slug)).size).toBe(objs.length);
  });

  it('suspends and resumes', async () => {
    const s = slug();
    expect((await cli(createArgs(s))).code).toBe(0);
    expect((await cli(['tenant', 'suspend', s])).out).toContain(`tenant ${s}: suspended`);
    expect((await p.services.registry.get(s)).status).toBe('suspended');
    expect((await cli(['tenant', 'resume', s])).out).toContain(`tenant ${s}: active`);
  });

  it('delete --yes leaves no realm, database, bucket, secret or registry row behind', async () => {
    const s = slug();
    expect((await cli(createArgs(s))).code).toBe(0);
    const t = await p.services.registry.get(s);
    const identity = identityAdminFromEnv(p.env);
    const minio = new MinioClient({ endPoint: '127.0.0.1', port: p.s3.port, useSSL: false, accessKey: p.s3.accessKey, secretKey: p.s3.secretKey, region: 'us-east-1' });
    expect(await identity.realmExists(s)).toBe(true);
    expect(await pgDatabaseExists(t.dbName)).toBe(true);
    expect(await minio.bucketExists(t.bucket)).toBe(true);
    expect(await p.secrets.hasTenant(s)).toBe(true);

    expect((await cli(['tenant', 'delete', s])).code).toBe(2); // --yes is required
    const r = await cli(['tenant', 'delete', s, '--yes']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`tenant ${s}: deleted`);

    expect(await identity.realmExists(s)).toBe(false);
    expect(await pgDatabaseExists(t.dbName)).toBe(false);
    expect(await minio.bucketExists(t.bucket)).toBe(false);
    expect(await p.secrets.hasTenant(s)).toBe(false);
    expect(await p.secrets.list(s)).toEqual([]);
    const rows = await p.services.registry.dataSource.query(
      `SELECT (SELECT count(*) FROM platform.tenant WHERE slug = $1)::int AS tenants,
              (SELECT count(*) FROM platform.provisioning_step WHERE tenant_slug = $1)::int AS steps`,
      [s],
    );
    expect(rows[0]).toEqual({ tenants: 0, steps: 0 });
    const again = await cli(['tenant', 'show', s]);
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toMatch(/TENANT_NOT_FOUND/);
  });

  it('refuses a slug such as "a;drop database" before any SQL or service call', async () => {
    // A saga whose every service is unreachable: a validation that ran after any I/O would fail with a connection error.
    const dead = 'postgres://postgres@127.0.0.1:1/cetate_platform';
    const registry = new TenantRegistry({ url: dead });
    const saga = new ProvisioningSaga({
      registry,
      state: new ProvisioningStateStore(registry, dead),
      identity: identityAdminFromEnv({ KEYCLOAK_URL: 'http://127.0.0.1:1' }),
      database: { provision: () => Promise.reject(new Error('must not run')), drop: () => Promise.reject(new Error('must not run')) },
      buckets: { ensureBucket: () => Promise.reject(new Error('must not run')), removeBucket: () => Promise.reject(new Error('must not run')) },
      secrets: secretStoreFromEnv({ ...p.env, PLATFORM_DATABASE_URL: dead }),
      events: { provisioned: async () => undefined, deprovisioned: async () => undefined, suspended: async () => undefined, resumed: async () => undefined },
      shellRedirectUris: () => [],
    });
    for (const bad of ['a;drop database', 'A', 'Robert"); DROP TABLE', 'x', 'platform', 'master', `a${'b'.repeat(40)}`]) {
      await expect(saga.create({ slug: bad, displayName: 'X', cif: '41832096', admin: { email: 'a@b.ro' } })).rejects.toBeInstanceOf(InvalidTenantError);
    }
    const r = await cli(['tenant', 'create', 'a;drop database', '--name', 'X', '--cif', '41832096', '--admin-email', 'a@b.ro']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/INVALID_TENANT/);
    expect(await pgDatabaseExists('tenant_a;drop database')).toBe(false);
    await registry.close();
  });

  it('runs one saga per tenant at a time: a concurrent create gets TENANT_OPERATION_IN_PROGRESS', async () => {
    const s = slug();
    const input = { slug: s, displayName: `Firma ${s}`, cif: '41832096', admin: { email: `a@${s}.example` } };
    const results = await Promise.allSettled([p.services.saga.create(input), p.services.saga.create(input)]);
    const rejected = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(TenantOperationInProgressError);
    expect((await p.services.saga.show(s)).status).toBe('active');
  });
});
