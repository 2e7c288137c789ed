import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { open } from './envelope.js';
import { LocalKeyringSecretStore, MasterKeyring, SecretStoreError, type MasterKey } from './index.js';

const key = (id: string): MasterKey => ({ id, key: randomBytes(32) });
const k1 = key('k1');
const k2 = key('k2');
const run = randomBytes(3).toString('hex');
const tenant = (x: string) => `t${run}-${x}`;

/** Expects `p` to reject with a SecretStoreError of `code` (and returns it). */
async function rejectsWith(p: Promise<unknown>, code: string): Promise<SecretStoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecretStoreError);
  expect((err as SecretStoreError).code).toBe(code);
  return err as SecretStoreError;
}

describe('LocalKeyringSecretStore', () => {
  let db: TestDatabase;
  let store: LocalKeyringSecretStore;
  const opened: LocalKeyringSecretStore[] = [];
  const storeWith = (ring: MasterKeyring) => {
    const s = new LocalKeyringSecretStore({ url: db.url, keyring: ring, poolSize: 1 });
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = storeWith(new MasterKeyring(k1));
    await Promise.all([store.ensureSchema(), storeWith(new MasterKeyring(k1)).ensureSchema()]);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await db?.drop();
  });

  it('round trip: ensureTenant, put, get, list, delete', async () => {
    const t = tenant('rt');
    expect(await store.hasTenant(t)).toBe(false);
    expect(await store.ensureTenant(t)).toEqual({ created: true });
    expect(await store.ensureTenant(t)).toEqual({ created: false });
    expect(await store.hasTenant(t)).toBe(true);
    await store.put(t, 'anaf/oauth/default', { access_token: 'a1', refresh_token: 'r1' });
    await store.put(t, 'smtp/password', { value: 'p' });
    await store.put(t, 'anaf/oauth/default', { access_token: 'a2', refresh_token: 'r2' });
    expect(await store.get(t, 'anaf/oauth/default')).toEqual({ access_token: 'a2', refresh_token: 'r2' });
    expect(await store.get(t, 'anaf/oauth/other')).toBeUndefined();
    expect(await store.list(t)).toEqual(['anaf/oauth/default', 'smtp/password']);
    expect(await store.delete(t, 'smtp/password')).toBe(true);
    expect(await store.delete(t, 'smtp/password')).toBe(false);
    expect(await store.list(t)).toEqual(['anaf/oauth/default']);
    // a tenant without a key reads as empty
    expect(await store.get(tenant('none'), 'anaf/oauth/default')).toBeUndefined();
    expect(await store.list(tenant('none'))).toEqual([]);
  });

  it('put before ensureTenant: 404 SECRET_TENANT_NOT_FOUND, nothing stored', async () => {
    const t = tenant('nokey');
    const err = await rejectsWith(store.put(t, 'x', { v: '1' }), 'SECRET_TENANT_NOT_FOUND');
    expect(err.status).toBe(404);
    const rows = await store.dataSource.query(`SELECT 1 FROM secrets.secret WHERE tenant = $1`, [t]);
    expect(rows).toHaveLength(0);
  });

  it('refuses bad paths and slugs (400) before any SQL', async () => {
    const t = tenant('paths');
    for (const p of ['../x', 'a/../b', 'a//b', '/a', 'a/', 'A', 'a b', '.', 'a/./b', '', 'x'.repeat(513)]) {
      const err = await rejectsWith(store.put(t, p, { v: '1' }), 'SECRET_PATH_INVALID');
      expect(err.status).toBe(400);
    }
    for (const s of ['a;drop database', 'A', 'x', '1abc', '../etc']) {
      expect((await rejectsWith(store.ensureTenant(s), 'SECRET_TENANT_INVALID')).status).toBe(400);
    }
    await store.ensureTenant(t);
    await rejectsWith(store.put(t, 'a', { v: 1 } as never), 'SECRET_VALUE_INVALID');
  });

  it('a ciphertext moved to another path or tenant does not decrypt (AAD); tampering is a typed 500', async () => {
    const [a, b] = [tenant('aad-a'), tenant('aad-b')];
    await store.ensureTenant(a);
    await store.ensureTenant(b);
    await store.put(a, 'one', { v: 'secret-one' });
    await store.put(a, 'two', { v: 'secret-two' });
    await store.put(b, 'one', { v: 'secret-b' });
    // same tenant, another path
    await store.dataSource.query(`UPDATE secrets.secret SET sealed = (SELECT sealed FROM secrets.secret WHERE tenant = $1 AND path = 'one') WHERE tenant = $1 AND path = 'two'`, [a]);
    expect((await rejectsWith(store.get(a, 'two'), 'SECRET_DECRYPT_FAILED')).status).toBe(500);
    // another tenant, same path
    await store.dataSource.query(`UPDATE secrets.secret SET sealed = (SELECT sealed FROM secrets.secret WHERE tenant = $1 AND path = 'one') WHERE tenant = $2 AND path = 'one'`, [a, b]);
    await rejectsWith(store.get(b, 'one'), 'SECRET_DECRYPT_FAILED');
    // the original still reads
    expect(await store.get(a, 'one')).toEqual({ v: 'secret-one' });
    // one flipped bit in the ciphertext body
    await store.dataSource.query(`UPDATE secrets.secret SET sealed = set_byte(sealed, 14, get_byte(sealed, 14) # 1) WHERE tenant = $1 AND path = 'one'`, [a]);
    await rejectsWith(store.get(a, 'one'), 'SECRET_DECRYPT_FAILED');
    // a data key moved to another tenant does not unwrap
    await store.dataSource.query(`UPDATE secrets.tenant_key SET wrapped_key = (SELECT wrapped_key FROM secrets.tenant_key WHERE tenant = $1) WHERE tenant = $2`, [a, b]);
    await rejectsWith(store.put(b, 'three', { v: 'x' }), 'SECRET_DECRYPT_FAILED');
    // a damaged key is reported by a rotation, not silently skipped
    const k9 = key('k9');
    const rotation = await storeWith(new MasterKeyring(k9, [k1])).rotateMasterKey();
    expect(rotation.failed).toEqual([{ tenant: b, masterKeyId: 'k1', code: 'SECRET_DECRYPT_FAILED' }]);
    expect(await store.masterKeyUsage()).toEqual({ k1: 1, k9: rotation.tenants - 1 });
    // no damaged tenant left behind, and back to k1 for the other tests
    expect(await store.deleteTenant(b)).toBe(1);
    const back = await storeWith(new MasterKeyring(k1, [k9])).rotateMasterKey();
    expect(back).toMatchObject({ rewrapped: rotation.rewrapped, failed: [] });
  });

  it('deleteTenant leaves no row of the tenant and touches no other tenant', async () => {
    const [t, other] = [tenant('del'), tenant('keep')];
    await store.ensureTenant(t);
    await store.ensureTenant(other);
    for (const p of ['a', 'b/c', 'b/d']) await store.put(t, p, { v: p });
    await store.put(other, 'a', { v: 'other' });
    expect(await store.deleteTenant(t)).toBe(3);
    const keyRows = await store.dataSource.query(`SELECT 1 FROM secrets.tenant_key WHERE tenant = $1`, [t]);
    const secretRows = await store.dataSource.query(`SELECT 1 FROM secrets.secret WHERE tenant = $1`, [t]);
    expect([keyRows.length, secretRows.length]).toEqual([0, 0]);
    expect(await store.hasTenant(t)).toBe(false);
    expect(await store.deleteTenant(t)).toBe(0);
    expect(await store.get(other, 'a')).toEqual({ v: 'other' });
  });

  it('two concurrent ensureTenant (two processes\' pools) make one data key', async () => {
    const t = tenant('race');
    const [s1, s2] = [storeWith(new MasterKeyring(k1)), storeWith(new MasterKeyring(k1))];
    await Promise.all([s1.ensureSchema(), s2.ensureSchema()]);
    const results = await Promise.all([s1.ensureTenant(t), s2.ensureTenant(t), s1.ensureTenant(t), s2.ensureTenant(t)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await store.dataSource.query(`SELECT 1 FROM secrets.tenant_key WHERE tenant = $1`, [t]);
    expect(rows).toHaveLength(1);
    await s1.put(t, 'x', { v: 'from s1' });
    expect(await s2.get(t, 'x')).toEqual({ v: 'from s1' });
  });

  it('rotateMasterKey re-wraps data keys under the new id; secrets untouched; the old key can then leave the env', async () => {
    const t = tenant('rot');
    await store.ensureTenant(t);
    await store.put(t, 'anaf/oauth/default', { access_token: 'before-rotation' });
    const sealedBefore: Array<{ sealed: Buffer }> = await store.dataSource.query(`SELECT sealed FROM secrets.secret WHERE tenant = $1`, [t]);

    // New key k2 current, k1 still readable
    const rotating = storeWith(new MasterKeyring(k2, [k1]));
    expect(await rotating.get(t, 'anaf/oauth/default')).toEqual({ access_token: 'before-rotation' });
    const usageBefore = await rotating.masterKeyUsage();
    const result = await rotating.rotateMasterKey();
    expect(result.masterKeyId).toBe('k2');
    expect(result.rewrapped).toBe(usageBefore.k1);
    expect(result.rewrapped).toBeGreaterThan(0);
    expect(result.tenants).toBe(result.rewrapped + result.alreadyCurrent);
    expect(await rotating.masterKeyUsage()).toEqual({ k2: result.tenants });
    expect((await rotating.rotateMasterKey()).rewrapped).toBe(0); // idempotent

    const sealedAfter: Array<{ sealed: Buffer }> = await store.dataSource.query(`SELECT sealed FROM secrets.secret WHERE tenant = $1`, [t]);
    expect(sealedAfter[0]!.sealed.equals(sealedBefore[0]!.sealed)).toBe(true);

    // k1 removed from the env: still reads and writes
    const onlyK2 = storeWith(new MasterKeyring(k2));
    expect(await onlyK2.get(t, 'anaf/oauth/default')).toEqual({ access_token: 'before-rotation' });
    await onlyK2.put(t, 'after', { v: 'k2' });
    expect(await onlyK2.get(t, 'after')).toEqual({ v: 'k2' });
    // a process that only has the old key is told which key is missing
    const err = await rejectsWith(store.get(t, 'after'), 'SECRET_MASTER_KEY_UNKNOWN');
    expect(err.message).toContain('"k2"');
  });

  it('rotation reports a data key under an id this process lacks, and leaves it as it was', async () => {
    const db2 = await createTestDatabase();
    try {
      const s1 = new LocalKeyringSecretStore({ url: db2.url, keyring: new MasterKeyring(k1), poolSize: 1 });
      const s3 = new LocalKeyringSecretStore({ url: db2.url, keyring: new MasterKeyring(key('k3')), poolSize: 1 });
      try {
        await s1.ensureTenant(tenant('lost'));
        const r = await s3.rotateMasterKey();
        expect(r).toMatchObject({ masterKeyId: 'k3', rewrapped: 0, tenants: 1, failed: [{ tenant: tenant('lost'), masterKeyId: 'k1', code: 'SECRET_MASTER_KEY_UNKNOWN' }] });
        expect(await s1.masterKeyUsage()).toEqual({ k1: 1 });
        await rejectsWith(s3.get(tenant('lost'), 'x').then(() => s3.put(tenant('lost'), 'x', { v: '1' })), 'SECRET_MASTER_KEY_UNKNOWN');
      } finally {
        await s1.close();
        await s3.close();
      }
    } finally {
      await db2.drop();
    }
  });

  it('nothing readable in clear in PostgreSQL: no plaintext, no data key, no master key in any column', async () => {
    const t = tenant('scan');
    await store.ensureTenant(t);
    const plaintext = `plain-${randomBytes(12).toString('hex')}`;
    await store.put(t, 'anaf/oauth/default', { access_token: plaintext, refresh_token: plaintext });
    const [row] = (await store.dataSource.query(`SELECT master_key_id, wrapped_key FROM secrets.tenant_key WHERE tenant = $1`, [t])) as Array<{
      master_key_id: string;
      wrapped_key: Buffer;
    }>;
    const dataKey = open(store.keyring.get(row!.master_key_id)!, row!.wrapped_key, `cetate/local-keyring/v1/tenant-key/${t}/${row!.master_key_id}`, 'test');
    expect(dataKey).toHaveLength(32);

    const needles = [plaintext, Buffer.from(plaintext).toString('hex'), Buffer.from(plaintext).toString('base64')];
    for (const k of [dataKey, store.keyring.current.key]) needles.push(k.toString('hex'), k.toString('base64'));
    // Every table of every non-system schema of the platform database, each row as text (bytea as hex).
    const tables: Array<{ s: string; t: string }> = await store.dataSource.query(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((x) => `${x.s}.${x.t}`)).toEqual(expect.arrayContaining(['secrets.secret', 'secrets.tenant_key']));
    let scanned = 0;
    for (const { s, t: table } of tables) {
      const rows: Array<{ r: string }> = await store.dataSource.query(`SELECT x::text AS r FROM "${s}"."${table}" x`);
      for (const { r } of rows) {
        scanned++;
        const lower = r.toLowerCase();
        for (const n of needles) expect(lower.includes(n.toLowerCase()), `${s}.${table} holds a secret`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(2);
    // and the value really is there, sealed
    expect(await store.get(t, 'anaf/oauth/default')).toEqual({ access_token: plaintext, refresh_token: plaintext });
  });
});
