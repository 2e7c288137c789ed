import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from './envelope.js';
import {
  assertSecretPath,
  DEV_MASTER_KEY_ID,
  devMasterKey,
  LocalKeyringSecretStore,
  MasterKeyring,
  secretStoreFromEnv,
  SecretStoreError,
  VaultSecretStore,
} from './index.js';

const b64 = () => randomBytes(32).toString('base64');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(SecretStoreError);
    return (err as SecretStoreError).code;
  }
}

describe('MasterKeyring.fromEnv', () => {
  it('reads CETATE_MASTER_KEY with its id (default k1) and the previous keys', () => {
    const [cur, old1, old2] = [b64(), b64(), b64()];
    const ring = MasterKeyring.fromEnv({ CETATE_MASTER_KEY: cur, CETATE_MASTER_KEYS_OLD: `k0:${old1}, 2025-a:${old2}` });
    expect(ring.current.id).toBe('k1');
    expect(ring.current.key.toString('base64')).toBe(cur);
    expect(ring.ids).toEqual(['k1', 'k0', '2025-a']);
    expect(ring.get('2025-a')!.toString('base64')).toBe(old2);
    expect(ring.isDevKey).toBe(false);
    expect(MasterKeyring.fromEnv({ CETATE_MASTER_KEY: cur, CETATE_MASTER_KEY_ID: 'k7' }).current.id).toBe('k7');
  });

  it('unset key: the deterministic development key (same on every call), refused with NODE_ENV=production', () => {
    const a = MasterKeyring.fromEnv({});
    const b = MasterKeyring.fromEnv({ CETATE_MASTER_KEY: '' });
    expect(a.current.id).toBe(DEV_MASTER_KEY_ID);
    expect(a.isDevKey).toBe(true);
    expect(a.current.key.equals(b.current.key)).toBe(true);
    expect(a.current.key).toHaveLength(32);
    expect(codeOf(() => MasterKeyring.fromEnv({ NODE_ENV: 'production' }))).toBe('SECRET_STORE_MISCONFIGURED');
    // rotating away from the dev key: the bare id names it
    const ring = MasterKeyring.fromEnv({ CETATE_MASTER_KEY: b64(), CETATE_MASTER_KEYS_OLD: DEV_MASTER_KEY_ID });
    expect(ring.get(DEV_MASTER_KEY_ID)!.equals(devMasterKey().key)).toBe(true);
  });

  it('refuses malformed keys', () => {
    for (const env of [
      { CETATE_MASTER_KEY: randomBytes(16).toString('base64') },
      { CETATE_MASTER_KEY: 'not base64 at all!' },
      { CETATE_MASTER_KEY: b64(), CETATE_MASTER_KEY_ID: 'bad id' },
      { CETATE_MASTER_KEY: b64(), CETATE_MASTER_KEYS_OLD: 'nocolon' },
      { CETATE_MASTER_KEY: b64(), CETATE_MASTER_KEYS_OLD: `a:${b64()},a:${b64()}` },
    ]) {
      expect(codeOf(() => MasterKeyring.fromEnv(env)), JSON.stringify(env)).toBe('SECRET_STORE_MISCONFIGURED');
    }
  });
});

describe('seal/open (AES-256-GCM)', () => {
  it('round trips, and fails with another key, another AAD or one flipped bit', () => {
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('hello'), 'aad-1');
    expect(sealed).toHaveLength(1 + 12 + 5 + 16);
    expect(open(key, sealed, 'aad-1', 't').toString()).toBe('hello');
    expect(seal(key, Buffer.from('hello'), 'aad-1').equals(sealed)).toBe(false); // random IV
    expect(codeOf(() => open(randomBytes(32), sealed, 'aad-1', 't'))).toBe('SECRET_DECRYPT_FAILED');
    expect(codeOf(() => open(key, sealed, 'aad-2', 't'))).toBe('SECRET_DECRYPT_FAILED');
    const flipped = Buffer.from(sealed);
    flipped[14]! ^= 1;
    expect(codeOf(() => open(key, flipped, 'aad-1', 't'))).toBe('SECRET_DECRYPT_FAILED');
    expect(codeOf(() => open(key, sealed.subarray(0, 10), 'aad-1', 't'))).toBe('SECRET_DECRYPT_FAILED');
  });
});

describe('assertSecretPath', () => {
  it('accepts /-separated [a-z0-9._-] segments, refuses traversal and empty segments', () => {
    for (const ok of ['a', 'anaf/oauth/default', 'x.y/z_1-2', 'a/.b']) expect(() => assertSecretPath(ok)).not.toThrow();
    for (const bad of ['', '..', '../a', 'a/..', 'a/./b', 'a//b', '/a', 'a/', 'A', 'a b', 'a\\b', 'a%2f']) {
      expect(codeOf(() => assertSecretPath(bad)), bad).toBe('SECRET_PATH_INVALID');
    }
  });
});

describe('secretStoreFromEnv', () => {
  it('local by default, vault on demand, refuses anything else', async () => {
    const local = secretStoreFromEnv({ DATABASE_URL: 'postgres://u@h:1/postgres' });
    expect(local).toBeInstanceOf(LocalKeyringSecretStore);
    expect((local as LocalKeyringSecretStore).dataSource.options).toMatchObject({ url: 'postgres://u@h:1/cetate_platform' });
    await local.close();
    expect(secretStoreFromEnv({ SECRET_STORE: 'vault', VAULT_TOKEN: 't' })).toBeInstanceOf(VaultSecretStore);
    expect(codeOf(() => secretStoreFromEnv({ SECRET_STORE: 'vault' }))).toBe('SECRET_STORE_MISCONFIGURED');
    expect(codeOf(() => secretStoreFromEnv({ SECRET_STORE: 'vault', VAULT_TOKEN: 't', VAULT_KV_MOUNT: '../x' }))).toBe('SECRET_STORE_MISCONFIGURED');
    expect(codeOf(() => secretStoreFromEnv({ SECRET_STORE: 'file' }))).toBe('SECRET_STORE_MISCONFIGURED');
  });
});
