import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalKeyringSecretStore, MasterKeyring } from '@cetate/platform-secrets';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { runCli } from './cli.js';

let db: TestDatabase;
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

beforeAll(async () => {
  db = await createTestDatabase('cetate_test_platform');
});
afterAll(async () => {
  await db?.drop();
});

async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { PLATFORM_DATABASE_URL: db.url, ...env });
  return { code, out, err };
}

describe('cetate secrets status | rotate-master-key (local keyring)', () => {
  it('re-wraps every data key under the new master key; secrets stay readable with the new key alone', async () => {
    const old = { CETATE_MASTER_KEY: k1, CETATE_MASTER_KEY_ID: 'k1' };
    const store1 = new LocalKeyringSecretStore({ url: db.url, keyring: MasterKeyring.fromEnv(old) });
    for (const t of ['alpha', 'beta']) {
      await store1.ensureTenant(t);
      await store1.put(t, 'anaf/oauth/default', { refreshToken: `refresh-${t}` });
    }
    await store1.close();
    expect((await cli(['secrets', 'status'], old)).out).toEqual(['k1                   2 data key(s)', '1 master key id(s) in use']);

    const rotating = { CETATE_MASTER_KEY: k2, CETATE_MASTER_KEY_ID: 'k2', CETATE_MASTER_KEYS_OLD: `k1:${k1}` };
    const r = await cli(['secrets', 'rotate-master-key'], rotating);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual(['master key k2: 2 tenant data key(s), 2 re-wrapped, 0 already current, 0 failed']);
    expect((await cli(['secrets', 'status'], rotating)).out[0]).toBe('k2                   2 data key(s)');

    const store2 = new LocalKeyringSecretStore({ url: db.url, keyring: MasterKeyring.fromEnv({ CETATE_MASTER_KEY: k2, CETATE_MASTER_KEY_ID: 'k2' }) });
    try {
      expect(await store2.get('beta', 'anaf/oauth/default')).toEqual({ refreshToken: 'refresh-beta' });
    } finally {
      await store2.close();
    }
  });

  it('reports data keys it cannot unwrap (old key not given) and exits 1', async () => {
    const r = await cli(['secrets', 'rotate-master-key'], { CETATE_MASTER_KEY: k1, CETATE_MASTER_KEY_ID: 'k1' });
    expect(r.code).toBe(1);
    expect(r.out[0]).toBe('master key k1: 2 tenant data key(s), 0 re-wrapped, 0 already current, 2 failed');
    expect(r.err.join('\n')).toMatch(/SECRET_MASTER_KEY_UNKNOWN/);
  });

  it('refuses other stores and bad usage', async () => {
    expect((await cli(['secrets', 'rotate-master-key'], { SECRET_STORE: 'vault' })).code).toBe(1);
    expect((await cli(['secrets', 'shred'], {})).code).toBe(2);
  });
});
