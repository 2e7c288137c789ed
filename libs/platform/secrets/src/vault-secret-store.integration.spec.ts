/**
 * VaultSecretStore against a real Vault (`hashicorp/vault:1.18`, dev mode) started by testcontainers.
 * Where no container runtime answers (no Docker engine, as on the project's CI machines), the suite is
 * reported as SKIPPED, with the reason printed: availability comes from testcontainers' own runtime
 * detection, not from an environment flag.
 */
import { randomBytes } from 'node:crypto';
import nodeVault from 'node-vault';
import { GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretStoreError, VaultSecretStore } from './index.js';

const dockerUnavailable = await getContainerRuntimeClient().then(
  () => undefined,
  (err: unknown) => (err as Error).message,
);
if (dockerUnavailable) {
  console.warn(`VaultSecretStore suite skipped: no Docker engine (testcontainers: ${dockerUnavailable})`);
}

const ROOT_TOKEN = 'cetate-test-root';
const run = randomBytes(3).toString('hex');
const tenant = (x: string) => `v${run}-${x}`;

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecretStoreError);
  expect((err as SecretStoreError).code).toBe(code);
}

describe.skipIf(dockerUnavailable !== undefined)('VaultSecretStore (hashicorp/vault:1.18 through testcontainers)', () => {
  let container: StartedTestContainer;
  let store: VaultSecretStore;
  let admin: nodeVault.client;

  beforeAll(async () => {
    container = await new GenericContainer('hashicorp/vault:1.18')
      .withEnvironment({ VAULT_DEV_ROOT_TOKEN_ID: ROOT_TOKEN, VAULT_DEV_LISTEN_ADDRESS: '0.0.0.0:8200', SKIP_SETCAP: 'true' })
      .withExposedPorts(8200)
      .withWaitStrategy(Wait.forHttp('/v1/sys/health', 8200).forStatusCode(200))
      .start();
    const endpoint = `http://${container.getHost()}:${container.getMappedPort(8200)}`;
    admin = nodeVault({ apiVersion: 'v1', endpoint, token: ROOT_TOKEN });
    // Dev mode mounts KV v2 at secret/; transit is enabled here, at the adapter's default mount.
    await admin.mount({ mount_point: 'transit', type: 'transit' });
    store = new VaultSecretStore({ endpoint, token: ROOT_TOKEN });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await container?.stop();
  });

  it('round trip: ensureTenant creates transit key tenant-<slug>, put/get/list/delete under tenants/<slug>/', async () => {
    const t = tenant('rt');
    expect(await store.hasTenant(t)).toBe(false);
    expect(await store.ensureTenant(t)).toEqual({ created: true });
    expect(await store.ensureTenant(t)).toEqual({ created: false });
    const key = (await admin.read(`transit/keys/tenant-${t}`)) as { data: { type: string } };
    expect(key.data.type).toBe('aes256-gcm96');
    await store.put(t, 'anaf/oauth/default', { access_token: 'a1', refresh_token: 'r1' });
    await store.put(t, 'smtp/password', { value: 'p' });
    expect(await store.get(t, 'anaf/oauth/default')).toEqual({ access_token: 'a1', refresh_token: 'r1' });
    expect(await store.get(t, 'nothing/here')).toBeUndefined();
    expect(await store.list(t)).toEqual(['anaf/oauth/default', 'smtp/password']);
    // stored encrypted by the tenant's transit key, not in clear
    const raw = (await admin.read(`secret/data/tenants/${t}/anaf/oauth/default`)) as { data: { data: Record<string, string> } };
    expect(Object.keys(raw.data.data)).toEqual(['ciphertext']);
    expect(raw.data.data.ciphertext).toMatch(/^vault:v1:/);
    expect(JSON.stringify(raw)).not.toContain('r1');
    expect(await store.delete(t, 'smtp/password')).toBe(true);
    expect(await store.delete(t, 'smtp/password')).toBe(false);
    expect(await store.list(t)).toEqual(['anaf/oauth/default']);
  });

  it('put before ensureTenant: 404, and no transit key is created by it', async () => {
    const t = tenant('nokey');
    await rejectsWith(store.put(t, 'x', { v: '1' }), 'SECRET_TENANT_NOT_FOUND');
    expect(await store.hasTenant(t)).toBe(false);
  });

  it('a ciphertext moved to another path or tenant, or tampered, is refused with a typed error', async () => {
    const [a, b] = [tenant('aad-a'), tenant('aad-b')];
    await store.ensureTenant(a);
    await store.ensureTenant(b);
    await store.put(a, 'one', { v: 'secret-one' });
    const raw = (await admin.read(`secret/data/tenants/${a}/one`)) as { data: { data: { ciphertext: string } } };
    await admin.write(`secret/data/tenants/${a}/two`, { data: raw.data.data });
    await rejectsWith(store.get(a, 'two'), 'SECRET_DECRYPT_FAILED');
    await admin.write(`secret/data/tenants/${b}/one`, { data: raw.data.data });
    await rejectsWith(store.get(b, 'one'), 'SECRET_DECRYPT_FAILED'); // another tenant's transit key
    const c = raw.data.data.ciphertext;
    const tampered = c.slice(0, -6) + (c.slice(-6, -5) === 'A' ? 'B' : 'A') + c.slice(-5);
    await admin.write(`secret/data/tenants/${a}/three`, { data: { ciphertext: tampered } });
    await rejectsWith(store.get(a, 'three'), 'SECRET_DECRYPT_FAILED');
    expect(await store.get(a, 'one')).toEqual({ v: 'secret-one' });
  });

  it('deleteTenant removes every KV metadata under tenants/<slug>/ and the transit key', async () => {
    const [t, other] = [tenant('del'), tenant('keep')];
    await store.ensureTenant(t);
    await store.ensureTenant(other);
    for (const p of ['a', 'b/c', 'b/d/e']) await store.put(t, p, { v: p });
    await store.put(other, 'a', { v: 'other' });
    expect(await store.deleteTenant(t)).toBe(3);
    await expect(admin.list(`secret/metadata/tenants/${t}/`)).rejects.toMatchObject({ response: { statusCode: 404 } });
    await expect(admin.read(`transit/keys/tenant-${t}`)).rejects.toMatchObject({ response: { statusCode: 404 } });
    expect(await store.hasTenant(t)).toBe(false);
    expect(await store.deleteTenant(t)).toBe(0);
    expect(await store.get(other, 'a')).toEqual({ v: 'other' });
  });

  it('concurrent ensureTenant leaves exactly one transit key', async () => {
    const t = tenant('race');
    const results = await Promise.all([store.ensureTenant(t), store.ensureTenant(t), store.ensureTenant(t)]);
    expect(results.some((r) => r.created)).toBe(true);
    const keys = (await admin.list('transit/keys')) as { data: { keys: string[] } };
    expect(keys.data.keys.filter((k) => k === `tenant-${t}`)).toHaveLength(1);
    await store.put(t, 'x', { v: '1' });
    expect(await store.get(t, 'x')).toEqual({ v: '1' });
  });
});
