import nodeVault from 'node-vault';
import { assertSecretPath, assertSecretTenant, assertSecretValue } from './secret-path.js';
import { SecretStoreError, tenantNotFound } from './secret-store.errors.js';
import type { EnsureTenantSecretsResult, SecretStore, SecretValue } from './secret-store.js';

/** Options of {@link VaultSecretStore}. */
export interface VaultSecretStoreOptions {
  /** Vault address, e.g. `http://127.0.0.1:8200` (`VAULT_ADDR`). */
  endpoint: string;
  /** Vault token (`VAULT_TOKEN`); needs the policy of the README "Vault policy". */
  token: string;
  /** Mount of the KV version 2 engine; default `secret` (`VAULT_KV_MOUNT`). */
  kvMount?: string;
  /** Mount of the transit engine; default `transit` (`VAULT_TRANSIT_MOUNT`). */
  transitMount?: string;
  /** Request timeout, ms; default 10 000. */
  timeoutMs?: number;
}

const MOUNT = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/**
 * {@link SecretStore} on HashiCorp Vault through `node-vault` (ARCHITECTURE.md §2, §5):
 * - the tenant's data key is the transit key `tenant-<slug>` (type `aes256-gcm96`, created by
 *   `ensureTenant`; Vault never releases it);
 * - a secret lives in KV v2 at `<kv>/data/tenants/<slug>/<path>` as `{ ciphertext }`: the JSON
 *   `{tenant, path, value}` encrypted by transit with the tenant's key, so Vault's storage holds it
 *   under the tenant key as well as under Vault's barrier, and a ciphertext moved to another path or
 *   tenant is refused on read (the embedded tenant/path must match);
 * - `deleteTenant` deletes every KV metadata (all versions) under `tenants/<slug>/`, then sets
 *   `deletion_allowed` on the transit key and deletes it.
 * APIs: Vault HTTP API "KV secrets engine - version 2" (`data/`, `metadata/`, LIST) and "Transit secrets
 * engine" (`keys/:name`, `keys/:name/config`, `encrypt/:name`, `decrypt/:name`).
 * Known limit: `ensureTenant` reads then creates the key, so two concurrent first calls may both report
 * `created: true` (Vault's create is idempotent: still one key).
 */
export class VaultSecretStore implements SecretStore {
  private readonly vault: nodeVault.client;
  private readonly kv: string;
  private readonly transit: string;

  constructor(opts: VaultSecretStoreOptions) {
    this.kv = opts.kvMount ?? 'secret';
    this.transit = opts.transitMount ?? 'transit';
    for (const [name, m] of [['VAULT_KV_MOUNT', this.kv], ['VAULT_TRANSIT_MOUNT', this.transit]] as const) {
      if (!MOUNT.test(m)) throw new SecretStoreError('SECRET_STORE_MISCONFIGURED', `${name} ${JSON.stringify(m)} is not a mount path`);
    }
    if (!opts.token) throw new SecretStoreError('SECRET_STORE_MISCONFIGURED', 'VAULT_TOKEN is required with SECRET_STORE=vault');
    this.vault = nodeVault({
      apiVersion: 'v1',
      endpoint: opts.endpoint,
      token: opts.token,
      requestOptions: { timeout: opts.timeoutMs ?? 10_000 },
    });
  }

  private keyName(tenant: string): string {
    return `tenant-${tenant}`;
  }

  async ensureTenant(tenant: string): Promise<EnsureTenantSecretsResult> {
    assertSecretTenant(tenant);
    if (await this.hasTenant(tenant)) return { created: false };
    await this.call('create the transit key', () => this.vault.write(`${this.transit}/keys/${this.keyName(tenant)}`, { type: 'aes256-gcm96' }));
    return { created: true };
  }

  async hasTenant(tenant: string): Promise<boolean> {
    assertSecretTenant(tenant);
    const key = await this.call('read the transit key', () => this.vault.read(`${this.transit}/keys/${this.keyName(tenant)}`), { notFound: undefined });
    return key !== undefined;
  }

  /** @throws SecretStoreError 404 when the tenant has no transit key (checked first: transit's encrypt would create it). */
  async put(tenant: string, path: string, value: SecretValue): Promise<void> {
    assertSecretTenant(tenant);
    assertSecretPath(path);
    assertSecretValue(value);
    if (!(await this.hasTenant(tenant))) throw tenantNotFound(tenant);
    const plaintext = Buffer.from(JSON.stringify({ tenant, path, value }), 'utf8').toString('base64');
    const enc = (await this.call('encrypt with the tenant key', () => this.vault.write(`${this.transit}/encrypt/${this.keyName(tenant)}`, { plaintext }))) as {
      data?: { ciphertext?: string };
    };
    const ciphertext = enc.data?.ciphertext;
    if (!ciphertext) throw new SecretStoreError('SECRET_STORE_FAILED', 'Vault transit encrypt answered without a ciphertext');
    await this.call('write the secret', () => this.vault.write(this.kvData(tenant, path), { data: { ciphertext } }));
  }

  async get(tenant: string, path: string): Promise<SecretValue | undefined> {
    assertSecretTenant(tenant);
    assertSecretPath(path);
    const res = (await this.call('read the secret', () => this.vault.read(this.kvData(tenant, path)), { notFound: undefined })) as
      | { data?: { data?: { ciphertext?: string } | null } }
      | undefined;
    const ciphertext = res?.data?.data?.ciphertext;
    if (!res || !res.data?.data) return undefined; // deleted version
    if (!ciphertext) throw new SecretStoreError('SECRET_DECRYPT_FAILED', `secret ${tenant}:${path} has no ciphertext`);
    const dec = (await this.call('decrypt with the tenant key', () => this.vault.write(`${this.transit}/decrypt/${this.keyName(tenant)}`, { ciphertext }), {
      badRequest: 'decrypt',
    })) as { data?: { plaintext?: string } };
    let doc: { tenant?: unknown; path?: unknown; value?: unknown };
    try {
      doc = JSON.parse(Buffer.from(dec.data?.plaintext ?? '', 'base64').toString('utf8')) as typeof doc;
    } catch (err) {
      throw new SecretStoreError('SECRET_DECRYPT_FAILED', `secret ${tenant}:${path} does not decrypt to JSON`, { cause: err });
    }
    if (doc.tenant !== tenant || doc.path !== path) {
      throw new SecretStoreError('SECRET_DECRYPT_FAILED', `secret ${tenant}:${path} was encrypted for another tenant or path`);
    }
    return doc.value as SecretValue;
  }

  async delete(tenant: string, path: string): Promise<boolean> {
    assertSecretTenant(tenant);
    assertSecretPath(path);
    const meta = await this.call('read the metadata', () => this.vault.read(this.kvMeta(tenant, path)), { notFound: undefined });
    if (meta === undefined) return false;
    await this.call('delete the secret', () => this.vault.delete(this.kvMeta(tenant, path)));
    return true;
  }

  async list(tenant: string): Promise<string[]> {
    assertSecretTenant(tenant);
    const out: string[] = [];
    const walk = async (prefix: string): Promise<void> => {
      const res = (await this.call('list secrets', () => this.vault.list(this.kvMeta(tenant, prefix)), { notFound: undefined })) as
        | { data?: { keys?: string[] } }
        | undefined;
      for (const k of res?.data?.keys ?? []) {
        if (k.endsWith('/')) await walk(prefix + k);
        else out.push(prefix + k);
      }
    };
    await walk('');
    return out.sort();
  }

  async deleteTenant(tenant: string): Promise<number> {
    assertSecretTenant(tenant);
    const paths = await this.list(tenant);
    for (const p of paths) await this.call('delete a secret', () => this.vault.delete(this.kvMeta(tenant, p)), { notFound: undefined });
    if (await this.hasTenant(tenant)) {
      const key = `${this.transit}/keys/${this.keyName(tenant)}`;
      await this.call('allow deleting the transit key', () => this.vault.write(`${key}/config`, { deletion_allowed: true }));
      await this.call('delete the transit key', () => this.vault.delete(key), { notFound: undefined });
    }
    return paths.length;
  }

  async close(): Promise<void> {
    this.vault.stopAllRenewals();
  }

  private kvData(tenant: string, path: string): string {
    return `${this.kv}/data/tenants/${tenant}/${path}`;
  }

  private kvMeta(tenant: string, path: string): string {
    return `${this.kv}/metadata/tenants/${tenant}/${path}`;
  }

  /**
   * One Vault call. HTTP 404 gives `opts.notFound` when that key is present; a 400 of transit decrypt
   * (`badRequest: 'decrypt'`: ciphertext does not authenticate) is `SECRET_DECRYPT_FAILED`; anything else
   * is `SECRET_STORE_FAILED` (502) naming the step and Vault's status.
   */
  private async call<T>(what: string, fn: () => Promise<T>, opts: { notFound?: undefined; badRequest?: 'decrypt' } = {}): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const status = (err as { response?: { statusCode?: number } }).response?.statusCode;
      if (status === 404 && 'notFound' in opts) return undefined;
      if (status === 400 && opts.badRequest === 'decrypt') {
        throw new SecretStoreError('SECRET_DECRYPT_FAILED', `Vault could not ${what} (ciphertext tampered or another key)`, { cause: err });
      }
      throw new SecretStoreError('SECRET_STORE_FAILED', `Vault could not ${what}${status ? ` (HTTP ${status})` : ''}: ${(err as Error).message}`, { cause: err });
    }
  }
}
