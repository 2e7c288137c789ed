import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { databaseUrl, ensureDatabase, platformDatabaseUrl, runMigrationsLocked } from '@cetate/platform-tenancy';
import { KEY_BYTES, open, seal } from './envelope.js';
import { MasterKeyring } from './master-keyring.js';
import { SecretsLocalKeyring1733100000000 } from './migrations/1733100000000-secrets-local-keyring.js';
import { assertSecretPath, assertSecretTenant, assertSecretValue } from './secret-path.js';
import { SecretStoreError, tenantNotFound } from './secret-store.errors.js';
import type { EnsureTenantSecretsResult, SecretStore, SecretValue } from './secret-store.js';

/** Migrations of schema `secrets` in the platform database, in order. */
export const SECRETS_MIGRATIONS = [SecretsLocalKeyring1733100000000];

/** Options of {@link LocalKeyringSecretStore}. */
export interface LocalKeyringOptions {
  /** Platform database URL; default `platformDatabaseUrl()` (`PLATFORM_DATABASE_URL`, else `cetate_platform` next to `DATABASE_URL`). */
  url?: string;
  /** Master keys; default `MasterKeyring.fromEnv()`. */
  keyring?: MasterKeyring;
  /** PostgreSQL connections of this store's pool; default 2. */
  poolSize?: number;
}

/** What {@link LocalKeyringSecretStore.rotateMasterKey} did. */
export interface MasterKeyRotationResult {
  /** The current master key id every data key is now wrapped by. */
  masterKeyId: string;
  /** Tenant data keys in the store. */
  tenants: number;
  /** Data keys this call re-wrapped (were under another master key id). */
  rewrapped: number;
  /** Data keys already under the current master key id (untouched). */
  alreadyCurrent: number;
  /** Data keys left under their old id: `SECRET_MASTER_KEY_UNKNOWN` (add that key to the env and re-run) or `SECRET_DECRYPT_FAILED` (row damaged). */
  failed: Array<{ tenant: string; masterKeyId: string; code: SecretStoreError['code'] }>;
}

/** AAD of a tenant's wrapped data key: binds it to its tenant and to the master key id in its row. */
const dataKeyAad = (tenant: string, masterKeyId: string) => `cetate/local-keyring/v1/tenant-key/${tenant}/${masterKeyId}`;
/** AAD of a secret: binds it to its tenant and path (a tenant slug has no `/`, so the split is unambiguous). */
const secretAad = (tenant: string, path: string) => `cetate/local-keyring/v1/secret/${tenant}/${path}`;

/**
 * The embedded {@link SecretStore} (ARCHITECTURE.md §5; ADR 0012): envelope encryption with AES-256-GCM
 * (node:crypto) in schema `secrets` of the platform database.
 *
 * - Per tenant, `ensureTenant` draws a random 256-bit data key and stores it only sealed by the current
 *   master key (`secrets.tenant_key.wrapped_key`, AAD = tenant + master key id).
 * - Each value is JSON, sealed by the tenant's data key with a random 96-bit IV and AAD = tenant + path
 *   (`secrets.secret.sealed`): a ciphertext copied to another row or tenant does not decrypt.
 * - `rotateMasterKey` re-wraps the data keys only; the secrets are not touched.
 * Tenants and paths are stored in clear (they name secrets, they are not secrets).
 *
 * Each call makes one or two queries (no data keys are cached in memory, so a rotation or a
 * `deleteTenant` by another process is seen at once). Call {@link ensureSchema} once (every method
 * also does), {@link close} at the end.
 */
export class LocalKeyringSecretStore implements SecretStore {
  /** The platform database DataSource of this store (initialised by {@link ensureSchema}). */
  readonly dataSource: DataSource;
  readonly keyring: MasterKeyring;
  private readonly url: string;
  private ready?: Promise<void>;

  constructor(opts: LocalKeyringOptions = {}) {
    this.url = opts.url ?? platformDatabaseUrl();
    this.keyring = opts.keyring ?? MasterKeyring.fromEnv();
    this.dataSource = new DataSource({
      type: 'postgres',
      url: this.url,
      migrations: SECRETS_MIGRATIONS,
      poolSize: opts.poolSize ?? 2,
      applicationName: 'cetate:secrets',
    });
  }

  /**
   * Creates the platform database when missing, connects, and runs the `secrets` migrations under the
   * platform migration advisory lock (`runMigrationsLocked`). Idempotent; concurrent callers share one promise.
   * @throws SecretStoreError `SECRET_STORE_FAILED` (502) when PostgreSQL fails.
   */
  ensureSchema(): Promise<void> {
    this.ready ??= backend('ensure the secrets schema', async () => {
      const dbName = decodeURIComponent(new URL(this.url).pathname.slice(1));
      await ensureDatabase(databaseUrl(this.url, 'postgres'), dbName);
      if (!this.dataSource.isInitialized) await this.dataSource.initialize();
      await runMigrationsLocked(this.dataSource);
    }).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /**
   * Creates the tenant's data key when it has none. Two concurrent calls (any processes) create one key:
   * `INSERT ... ON CONFLICT DO NOTHING`, the loser reports `created: false`.
   */
  async ensureTenant(tenant: string): Promise<EnsureTenantSecretsResult> {
    assertSecretTenant(tenant);
    await this.ensureSchema();
    const dataKey = randomBytes(KEY_BYTES);
    try {
      const { id, key } = this.keyring.current;
      const wrapped = seal(key, dataKey, dataKeyAad(tenant, id));
      const rows: unknown[] = await backend('create a tenant data key', () =>
        this.dataSource.query(
          `INSERT INTO secrets.tenant_key (tenant, master_key_id, wrapped_key) VALUES ($1, $2, $3)
           ON CONFLICT (tenant) DO NOTHING RETURNING tenant`,
          [tenant, id, wrapped],
        ),
      );
      return { created: rows.length === 1 };
    } finally {
      dataKey.fill(0);
    }
  }

  async hasTenant(tenant: string): Promise<boolean> {
    assertSecretTenant(tenant);
    await this.ensureSchema();
    const rows: unknown[] = await backend('read a tenant data key', () =>
      this.dataSource.query(`SELECT 1 FROM secrets.tenant_key WHERE tenant = $1`, [tenant]),
    );
    return rows.length === 1;
  }

  /**
   * Seals `value` (as JSON) under the tenant's data key and upserts row (tenant, path).
   * @throws SecretStoreError 400 bad tenant/path/value, 404 `SECRET_TENANT_NOT_FOUND` when the tenant has
   * no data key (also when `deleteTenant` runs at the same time), 500 when the data key does not unwrap.
   */
  async put(tenant: string, path: string, value: SecretValue): Promise<void> {
    assertSecretTenant(tenant);
    assertSecretPath(path);
    assertSecretValue(value);
    await this.ensureSchema();
    const json = Buffer.from(JSON.stringify(value), 'utf8');
    // FOR KEY SHARE: a concurrent deleteTenant waits (no secret sealed by a key that is going away);
    // a rotation (which re-wraps, not replaces, the data key) does not.
    await backend('store a secret', () =>
      this.dataSource.transaction(async (m) => {
        const rows: Array<{ master_key_id: string; wrapped_key: Buffer }> = await m.query(
          `SELECT master_key_id, wrapped_key FROM secrets.tenant_key WHERE tenant = $1 FOR KEY SHARE`,
          [tenant],
        );
        const row = rows[0];
        if (!row) throw tenantNotFound(tenant);
        const dataKey = this.unwrap(tenant, row.master_key_id, row.wrapped_key);
        try {
          await m.query(
            `INSERT INTO secrets.secret (tenant, path, sealed) VALUES ($1, $2, $3)
             ON CONFLICT (tenant, path) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()`,
            [tenant, path, seal(dataKey, json, secretAad(tenant, path))],
          );
        } finally {
          dataKey.fill(0);
        }
      }),
    );
  }

  /**
   * The secret at `path`; `undefined` when there is none (also when the tenant has no data key).
   * @throws SecretStoreError `SECRET_DECRYPT_FAILED` (500) when the row does not authenticate (tampered,
   * moved from another tenant or path), `SECRET_MASTER_KEY_UNKNOWN` (500).
   */
  async get(tenant: string, path: string): Promise<SecretValue | undefined> {
    assertSecretTenant(tenant);
    assertSecretPath(path);
    await this.ensureSchema();
    const rows: Array<{ master_key_id: string; wrapped_key: Buffer; sealed: Buffer }> = await backend('read a secret', () =>
      this.dataSource.query(
        `SELECT k.master_key_id, k.wrapped_key, s.sealed FROM secrets.secret s
         JOIN secrets.tenant_key k ON k.tenant = s.tenant WHERE s.tenant = $1 AND s.path = $2`,
        [tenant, path],
      ),
    );
    const row = rows[0];
    if (!row) return undefined;
    const dataKey = this.unwrap(tenant, row.master_key_id, row.wrapped_key);
    try {
      const plain = open(dataKey, row.sealed, secretAad(tenant, path), `secret ${tenant}:${path}`);
      return JSON.parse(plain.toString('utf8')) as SecretValue;
    } finally {
      dataKey.fill(0);
    }
  }

  async delete(tenant: string, path: string): Promise<boolean> {
    assertSecretTenant(tenant);
    assertSecretPath(path);
    await this.ensureSchema();
    // A CTE, so the answer is rows (TypeORM answers a bare DELETE with [rows, rowCount]).
    const rows: Array<{ n: number }> = await backend('delete a secret', () =>
      this.dataSource.query(`WITH d AS (DELETE FROM secrets.secret WHERE tenant = $1 AND path = $2 RETURNING 1) SELECT count(*)::int AS n FROM d`, [tenant, path]),
    );
    return rows[0]?.n === 1;
  }

  async list(tenant: string): Promise<string[]> {
    assertSecretTenant(tenant);
    await this.ensureSchema();
    const rows: Array<{ path: string }> = await backend('list secrets', () =>
      this.dataSource.query(`SELECT path FROM secrets.secret WHERE tenant = $1 ORDER BY path COLLATE "C"`, [tenant]),
    );
    return rows.map((r) => r.path);
  }

  /** Deletes the tenant's secrets and its data key in one transaction. Idempotent (0 when nothing was there). */
  async deleteTenant(tenant: string): Promise<number> {
    assertSecretTenant(tenant);
    await this.ensureSchema();
    return backend('delete a tenant', () =>
      this.dataSource.transaction(async (m) => {
        // Lock the key first: a concurrent put (FOR KEY SHARE) finishes before, or sees no key after.
        await m.query(`SELECT 1 FROM secrets.tenant_key WHERE tenant = $1 FOR UPDATE`, [tenant]);
        const gone: Array<{ n: number }> = await m.query(
          `WITH d AS (DELETE FROM secrets.secret WHERE tenant = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
          [tenant],
        );
        await m.query(`DELETE FROM secrets.tenant_key WHERE tenant = $1`, [tenant]);
        return gone[0]?.n ?? 0;
      }),
    );
  }

  /**
   * Re-wraps every tenant data key that is not under the current master key id (`CETATE_MASTER_KEY_ID`):
   * unwrap with the old key (from `CETATE_MASTER_KEYS_OLD`), seal with the current one. The secrets are
   * not re-encrypted (the data keys do not change: the point of envelope encryption). Each key is
   * updated on its own with a compare-and-set on its old id, so a crash or a concurrent rotation leaves
   * every row consistent and a re-run finishes the job. A key that cannot be unwrapped (its master key
   * id is not in this process's env, or the row does not authenticate) is skipped and listed in
   * `failed`; the old master key may leave the env only when `failed` is empty (check
   * {@link masterKeyUsage}).
   */
  async rotateMasterKey(): Promise<MasterKeyRotationResult> {
    await this.ensureSchema();
    const current = this.keyring.current;
    const stale: Array<{ tenant: string; master_key_id: string; wrapped_key: Buffer }> = await backend('list data keys', () =>
      this.dataSource.query(`SELECT tenant, master_key_id, wrapped_key FROM secrets.tenant_key WHERE master_key_id <> $1 ORDER BY tenant`, [current.id]),
    );
    let rewrapped = 0;
    const failed: MasterKeyRotationResult['failed'] = [];
    for (const row of stale) {
      let dataKey: Buffer;
      try {
        dataKey = this.unwrap(row.tenant, row.master_key_id, row.wrapped_key);
      } catch (err) {
        if (!(err instanceof SecretStoreError)) throw err;
        failed.push({ tenant: row.tenant, masterKeyId: row.master_key_id, code: err.code });
        continue;
      }
      try {
        const wrapped = seal(current.key, dataKey, dataKeyAad(row.tenant, current.id));
        const done: Array<{ n: number }> = await backend('re-wrap a data key', () =>
          this.dataSource.query(
            `WITH u AS (UPDATE secrets.tenant_key SET master_key_id = $2, wrapped_key = $3, rewrapped_at = now()
               WHERE tenant = $1 AND master_key_id = $4 RETURNING 1) SELECT count(*)::int AS n FROM u`,
            [row.tenant, current.id, wrapped, row.master_key_id],
          ),
        );
        rewrapped += done[0]?.n ?? 0;
      } finally {
        dataKey.fill(0);
      }
    }
    const counted: Array<{ n: number }> = await backend('count data keys', () =>
      this.dataSource.query(`SELECT count(*)::int AS n FROM secrets.tenant_key WHERE master_key_id = $1`, [current.id]),
    );
    const underCurrent = counted[0]?.n ?? 0;
    return { masterKeyId: current.id, tenants: underCurrent + failed.length, rewrapped, alreadyCurrent: underCurrent - rewrapped, failed };
  }

  /** How many tenant data keys each master key id wraps, e.g. `{ k2: 998, k1: 2 }` (is an old key still needed?). */
  async masterKeyUsage(): Promise<Record<string, number>> {
    await this.ensureSchema();
    const rows: Array<{ id: string; n: number }> = await backend('count data keys', () =>
      this.dataSource.query(`SELECT master_key_id AS id, count(*)::int AS n FROM secrets.tenant_key GROUP BY 1 ORDER BY 1`),
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.n]));
  }

  async close(): Promise<void> {
    this.ready = undefined;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private unwrap(tenant: string, masterKeyId: string, wrapped: Buffer): Buffer {
    const master = this.keyring.get(masterKeyId);
    if (!master) {
      throw new SecretStoreError(
        'SECRET_MASTER_KEY_UNKNOWN',
        `The data key of tenant "${tenant}" is wrapped by master key "${masterKeyId}", which this process was not given (known: ${this.keyring.ids.join(', ')}); add it to CETATE_MASTER_KEYS_OLD`,
      );
    }
    const key = open(master, wrapped, dataKeyAad(tenant, masterKeyId), `data key of tenant ${tenant}`);
    if (key.length !== KEY_BYTES) throw new SecretStoreError('SECRET_DECRYPT_FAILED', `data key of tenant ${tenant}: wrong length`);
    return key;
  }
}

/** Runs a PostgreSQL operation; a failure that is not already a SecretStoreError becomes `SECRET_STORE_FAILED` (502). */
async function backend<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SecretStoreError) throw err;
    throw new SecretStoreError('SECRET_STORE_FAILED', `Secret store (PostgreSQL) could not ${what}: ${(err as Error).message}`, { cause: err });
  }
}
