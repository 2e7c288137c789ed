import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { JWK } from 'jose';
import { DomainError } from '@cetate/platform-observability';
import type { SecretBox } from './crypto.js';

/** Database the dev identity server uses when only `DATABASE_URL` is given. */
export const DEFAULT_IDENTITY_DATABASE = 'cetate_identity';

/** Advisory lock key (pg_advisory_lock, bigint) taken while migrating: "cetate dev identity" as digits. */
const MIGRATION_LOCK_KEY = 7_104_220_131_605n;

/**
 * A write the admin API refuses because it collides with existing data (Keycloak answers 409
 * `{"errorMessage": ...}`). Code `DEV_IDENTITY_CONFLICT`.
 */
export class IdentityConflictError extends DomainError {
  constructor(message: string) {
    super('DEV_IDENTITY_CONFLICT', message, { status: 409 });
  }
}

/** A realm row (Keycloak RealmModel subset). */
export interface RealmRow {
  id: string;
  name: string;
  displayName: string | null;
  enabled: boolean;
  /** Keycloak `accessTokenLifespan`, seconds. */
  accessTokenLifespan: number;
  /** `aud` of the realm's access tokens. */
  audience: string;
}

/** Signing and cookie keys of a realm, decrypted. */
export interface RealmKeys {
  /** RS256 private key as JWK with `kid`, `alg`, `use`. */
  privateJwk: JWK;
  /** Its public part, served at `/certs`. */
  publicJwk: JWK;
  /** Keys oidc-provider signs its cookies with. */
  cookieKeys: string[];
}

/** A role row (Keycloak RoleRepresentation subset, realm roles only). */
export interface RoleRow {
  id: string;
  name: string;
  description: string | null;
}

/** A client row; `secret` is decrypted (undefined for public clients). */
export interface ClientRow {
  id: string;
  realm: string;
  clientId: string;
  name: string | null;
  enabled: boolean;
  publicClient: boolean;
  secret: string | undefined;
  standardFlowEnabled: boolean;
  serviceAccountsEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  redirectUris: string[];
  webOrigins: string[];
  attributes: Record<string, string>;
}

/** A user row; `passwordHash` is the scrypt hash (never the password). */
export interface UserRow {
  id: string;
  realm: string;
  username: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  enabled: boolean;
  emailVerified: boolean;
  requiredActions: string[];
  passwordHash: string | null;
  /** Set for the service account user of a client (Keycloak `serviceAccountClientLink`). */
  serviceAccountClientId: string | null;
  /** Epoch ms. */
  createdTimestamp: number;
}

/** Filters of {@link IdentityStore.findUsers} (Keycloak `GET /users` query parameters). */
export interface UserQuery {
  username?: string;
  email?: string;
  /** Exact match of username/email instead of substring (Keycloak `exact`). */
  exact?: boolean;
  first?: number;
  max?: number;
  includeServiceAccounts: boolean;
}

/** One stored oidc-provider model (decrypted payload). */
export interface StoredPayload {
  payload: Record<string, unknown>;
  consumedAt: Date | null;
}

const MIGRATIONS: string[] = [
  `CREATE TABLE realms (
     name text PRIMARY KEY,
     id uuid NOT NULL UNIQUE,
     display_name text,
     enabled boolean NOT NULL DEFAULT true,
     access_token_lifespan integer NOT NULL,
     audience text NOT NULL,
     signing_key_sealed text NOT NULL,
     public_jwk jsonb NOT NULL,
     cookie_keys_sealed text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE roles (
     id uuid PRIMARY KEY,
     realm text NOT NULL REFERENCES realms(name) ON DELETE CASCADE,
     name text NOT NULL,
     description text,
     UNIQUE (realm, name)
   );
   CREATE TABLE clients (
     id uuid PRIMARY KEY,
     realm text NOT NULL REFERENCES realms(name) ON DELETE CASCADE,
     client_id text NOT NULL,
     name text,
     enabled boolean NOT NULL DEFAULT true,
     public_client boolean NOT NULL,
     secret_sealed text,
     standard_flow_enabled boolean NOT NULL,
     service_accounts_enabled boolean NOT NULL,
     direct_access_grants_enabled boolean NOT NULL,
     redirect_uris jsonb NOT NULL DEFAULT '[]',
     web_origins jsonb NOT NULL DEFAULT '[]',
     attributes jsonb NOT NULL DEFAULT '{}',
     UNIQUE (realm, client_id)
   );
   CREATE TABLE users (
     id uuid PRIMARY KEY,
     realm text NOT NULL REFERENCES realms(name) ON DELETE CASCADE,
     username text NOT NULL,
     email text,
     first_name text,
     last_name text,
     enabled boolean NOT NULL DEFAULT true,
     email_verified boolean NOT NULL DEFAULT false,
     required_actions jsonb NOT NULL DEFAULT '[]',
     password_hash text,
     service_account_client uuid REFERENCES clients(id) ON DELETE CASCADE,
     created_timestamp bigint NOT NULL,
     UNIQUE (realm, username)
   );
   CREATE UNIQUE INDEX users_realm_email ON users (realm, email) WHERE email IS NOT NULL;
   CREATE TABLE user_roles (
     user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     role_id uuid NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
     PRIMARY KEY (user_id, role_id)
   );
   CREATE TABLE oidc_payloads (
     realm text NOT NULL REFERENCES realms(name) ON DELETE CASCADE,
     model text NOT NULL,
     id_digest text NOT NULL,
     payload_sealed text NOT NULL,
     grant_digest text,
     uid_digest text,
     user_code_digest text,
     consumed_at timestamptz,
     expires_at timestamptz,
     PRIMARY KEY (realm, model, id_digest)
   );
   CREATE INDEX oidc_payloads_grant ON oidc_payloads (realm, grant_digest) WHERE grant_digest IS NOT NULL;
   CREATE INDEX oidc_payloads_uid ON oidc_payloads (realm, uid_digest) WHERE uid_digest IS NOT NULL;
   CREATE INDEX oidc_payloads_user_code ON oidc_payloads (realm, user_code_digest) WHERE user_code_digest IS NOT NULL;
   CREATE INDEX oidc_payloads_expires ON oidc_payloads (expires_at);`,
];

/**
 * The identity database URL from the environment: `DEV_IDENTITY_DATABASE_URL`, else `DATABASE_URL`
 * (default `postgres://postgres@127.0.0.1:5432/postgres`) with its database replaced by
 * {@link DEFAULT_IDENTITY_DATABASE}.
 */
export function identityDatabaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env['DEV_IDENTITY_DATABASE_URL']) return env['DEV_IDENTITY_DATABASE_URL'];
  const url = new URL(env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${DEFAULT_IDENTITY_DATABASE}`;
  return url.toString();
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** Creates the database of `url` on its server when missing (connecting to database `postgres`). */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid identity database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (err) {
        // 42P04 duplicate_database: another process created it between the check and here.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } finally {
    await client.end();
  }
}

type Row = Record<string, unknown>;

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

/**
 * PostgreSQL storage of the dev identity server: realms (with their signing keys), realm roles,
 * clients, users, role mappings and oidc-provider's models. Private keys, cookie keys, client secrets
 * and every oidc-provider payload are sealed with AES-256-GCM ({@link SecretBox}); token and session
 * identifiers are stored as HMAC digests; passwords as scrypt hashes. Usernames and emails are kept
 * lower-case (Keycloak lower-cases them).
 */
export class IdentityStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly box: SecretBox,
  ) {}

  /**
   * Connects to `databaseUrl` (creating the database when missing) and applies the migrations under
   * a PostgreSQL advisory lock, so concurrent starts migrate once.
   * @throws Error when PostgreSQL is unreachable.
   */
  static async open(databaseUrl: string, box: SecretBox): Promise<IdentityStore> {
    await ensureDatabase(databaseUrl);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    // An idle client the server ends (restart, DROP DATABASE ... WITH (FORCE): 57P01) must not crash the process;
    // pg-pool drops it and the next query opens a new one.
    pool.on('error', () => undefined);
    const store = new IdentityStore(pool, box);
    try {
      await store.migrate();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      try {
        await client.query('CREATE TABLE IF NOT EXISTS dev_identity_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM dev_identity_migrations');
        for (let v = (rows[0]?.v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
          await client.query('BEGIN');
          try {
            await client.query(MIGRATIONS[v - 1]!);
            await client.query('INSERT INTO dev_identity_migrations (version) VALUES ($1)', [v]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
      }
    } finally {
      client.release();
    }
  }

  /** Closes the pool. */
  close(): Promise<void> {
    return this.pool.end();
  }

  private async q<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  // ---------------------------------------------------------------- realms

  private toRealm = (r: Row): RealmRow => ({
    id: r['id'] as string,
    name: r['name'] as string,
    displayName: (r['display_name'] as string | null) ?? null,
    enabled: r['enabled'] as boolean,
    accessTokenLifespan: r['access_token_lifespan'] as number,
    audience: r['audience'] as string,
  });

  /** All realms, by name. */
  async listRealms(): Promise<RealmRow[]> {
    return (await this.q('SELECT * FROM realms ORDER BY name')).map(this.toRealm);
  }

  /** One realm, or undefined. */
  async getRealm(name: string): Promise<RealmRow | undefined> {
    const [r] = await this.q('SELECT * FROM realms WHERE name = $1', [name]);
    return r ? this.toRealm(r) : undefined;
  }

  /** Decrypted keys of a realm. @throws Error when the realm is missing or the DB key is wrong. */
  async getRealmKeys(name: string): Promise<RealmKeys> {
    const [r] = await this.q('SELECT signing_key_sealed, public_jwk, cookie_keys_sealed FROM realms WHERE name = $1', [name]);
    if (!r) throw new Error(`realm ${name} not found`);
    return {
      privateJwk: JSON.parse(this.box.open(r['signing_key_sealed'] as string, `realm-key:${name}`)) as JWK,
      publicJwk: r['public_jwk'] as JWK,
      cookieKeys: JSON.parse(this.box.open(r['cookie_keys_sealed'] as string, `realm-cookies:${name}`)) as string[],
    };
  }

  /** Inserts a realm with its keys. @throws IdentityConflictError when the name exists. */
  async insertRealm(realm: Omit<RealmRow, 'id'> & { id?: string }, keys: RealmKeys): Promise<RealmRow> {
    try {
      const [r] = await this.q(
        `INSERT INTO realms (name, id, display_name, enabled, access_token_lifespan, audience, signing_key_sealed, public_jwk, cookie_keys_sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          realm.name,
          realm.id ?? randomUUID(),
          realm.displayName,
          realm.enabled,
          realm.accessTokenLifespan,
          realm.audience,
          this.box.seal(JSON.stringify(keys.privateJwk), `realm-key:${realm.name}`),
          JSON.stringify(keys.publicJwk),
          this.box.seal(JSON.stringify(keys.cookieKeys), `realm-cookies:${realm.name}`),
        ],
      );
      return this.toRealm(r!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentityConflictError('Conflict detected. See logs for details');
      throw err;
    }
  }

  /** Updates `enabled` / `displayName` / `accessTokenLifespan`; undefined when the realm is missing. */
  async updateRealm(name: string, patch: Partial<Pick<RealmRow, 'enabled' | 'displayName' | 'accessTokenLifespan'>>): Promise<RealmRow | undefined> {
    const [r] = await this.q(
      `UPDATE realms SET enabled = COALESCE($2, enabled), display_name = CASE WHEN $3::boolean THEN $4 ELSE display_name END,
         access_token_lifespan = COALESCE($5, access_token_lifespan) WHERE name = $1 RETURNING *`,
      [name, patch.enabled ?? null, patch.displayName !== undefined, patch.displayName ?? null, patch.accessTokenLifespan ?? null],
    );
    return r ? this.toRealm(r) : undefined;
  }

  /** Deletes a realm and everything in it. @returns false when it did not exist. */
  async deleteRealm(name: string): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Users first: their FK to clients (service accounts) and roles would otherwise race the cascade order.
      await client.query('DELETE FROM users WHERE realm = $1', [name]);
      const { rowCount } = await client.query('DELETE FROM realms WHERE name = $1', [name]);
      await client.query('COMMIT');
      return (rowCount ?? 0) > 0;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  // ---------------------------------------------------------------- roles

  private toRole = (r: Row): RoleRow => ({ id: r['id'] as string, name: r['name'] as string, description: (r['description'] as string | null) ?? null });

  /** Realm roles, by name. */
  async listRoles(realm: string): Promise<RoleRow[]> {
    return (await this.q('SELECT * FROM roles WHERE realm = $1 ORDER BY name', [realm])).map(this.toRole);
  }

  /** A realm role by name, or undefined. */
  async getRole(realm: string, name: string): Promise<RoleRow | undefined> {
    const [r] = await this.q('SELECT * FROM roles WHERE realm = $1 AND name = $2', [realm, name]);
    return r ? this.toRole(r) : undefined;
  }

  /** A realm role by id, or undefined. */
  async getRoleById(realm: string, id: string): Promise<RoleRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [r] = await this.q('SELECT * FROM roles WHERE realm = $1 AND id = $2', [realm, id]);
    return r ? this.toRole(r) : undefined;
  }

  /** Creates a realm role. @throws IdentityConflictError `Role with name X already exists` (Keycloak's message). */
  async insertRole(realm: string, name: string, description: string | null = null): Promise<RoleRow> {
    try {
      const [r] = await this.q('INSERT INTO roles (id, realm, name, description) VALUES ($1, $2, $3, $4) RETURNING *', [randomUUID(), realm, name, description]);
      return this.toRole(r!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentityConflictError(`Role with name ${name} already exists`);
      throw err;
    }
  }

  /** Creates the roles that are missing; returns all of `names`. */
  async ensureRoles(realm: string, names: Iterable<string>): Promise<RoleRow[]> {
    const out: RoleRow[] = [];
    for (const name of new Set(names)) {
      await this.q('INSERT INTO roles (id, realm, name) VALUES ($1, $2, $3) ON CONFLICT (realm, name) DO NOTHING', [randomUUID(), realm, name]);
      out.push((await this.getRole(realm, name))!);
    }
    return out;
  }

  // ---------------------------------------------------------------- clients

  private toClient = (r: Row): ClientRow => ({
    id: r['id'] as string,
    realm: r['realm'] as string,
    clientId: r['client_id'] as string,
    name: (r['name'] as string | null) ?? null,
    enabled: r['enabled'] as boolean,
    publicClient: r['public_client'] as boolean,
    secret: r['secret_sealed'] ? this.box.open(r['secret_sealed'] as string, `client-secret:${r['id'] as string}`) : undefined,
    standardFlowEnabled: r['standard_flow_enabled'] as boolean,
    serviceAccountsEnabled: r['service_accounts_enabled'] as boolean,
    directAccessGrantsEnabled: r['direct_access_grants_enabled'] as boolean,
    redirectUris: r['redirect_uris'] as string[],
    webOrigins: r['web_origins'] as string[],
    attributes: r['attributes'] as Record<string, string>,
  });

  /** Clients of a realm by clientId; `clientId` filters to that one (Keycloak `?clientId=`, exact). */
  async listClients(realm: string, clientId?: string): Promise<ClientRow[]> {
    const rows = clientId === undefined
      ? await this.q('SELECT * FROM clients WHERE realm = $1 ORDER BY client_id', [realm])
      : await this.q('SELECT * FROM clients WHERE realm = $1 AND client_id = $2', [realm, clientId]);
    return rows.map(this.toClient);
  }

  /** A client by its id (UUID), or undefined. */
  async getClient(realm: string, id: string): Promise<ClientRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [r] = await this.q('SELECT * FROM clients WHERE realm = $1 AND id = $2', [realm, id]);
    return r ? this.toClient(r) : undefined;
  }

  /** A client by its `clientId`, or undefined. */
  async getClientByClientId(realm: string, clientId: string): Promise<ClientRow | undefined> {
    return (await this.listClients(realm, clientId))[0];
  }

  /** `$1..$13` of the clients table in column order (realm, id first); the secret sealed to the client's id. */
  private clientParams(c: Omit<ClientRow, 'id'> & { id: string }): unknown[] {
    return [c.realm, c.id, c.clientId, c.name, c.enabled, c.publicClient, c.secret ? this.box.seal(c.secret, `client-secret:${c.id}`) : null,
      c.standardFlowEnabled, c.serviceAccountsEnabled, c.directAccessGrantsEnabled,
      JSON.stringify(c.redirectUris), JSON.stringify(c.webOrigins), JSON.stringify(c.attributes)];
  }

  /** Inserts a client. @throws IdentityConflictError `Client X already exists` (Keycloak's message). */
  async insertClient(c: Omit<ClientRow, 'id'> & { id?: string }): Promise<ClientRow> {
    const id = c.id ?? randomUUID();
    try {
      const [r] = await this.q(
        `INSERT INTO clients (realm, id, client_id, name, enabled, public_client, secret_sealed, standard_flow_enabled,
           service_accounts_enabled, direct_access_grants_enabled, redirect_uris, web_origins, attributes)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING *`,
        this.clientParams({ ...c, id }),
      );
      return this.toClient(r!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentityConflictError(`Client ${c.clientId} already exists`);
      throw err;
    }
  }

  /** Replaces a client's fields (all of {@link ClientRow} but id/realm). */
  async updateClient(c: ClientRow): Promise<ClientRow> {
    try {
      const [r] = await this.q(
        `UPDATE clients SET client_id=$3, name=$4, enabled=$5, public_client=$6, secret_sealed=$7, standard_flow_enabled=$8,
           service_accounts_enabled=$9, direct_access_grants_enabled=$10, redirect_uris=$11, web_origins=$12, attributes=$13
         WHERE realm = $1 AND id = $2 RETURNING *`,
        this.clientParams(c),
      );
      return this.toClient(r!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentityConflictError(`Client ${c.clientId} already exists`);
      throw err;
    }
  }

  /** Deletes a client (and its service account user). @returns false when missing. */
  async deleteClient(realm: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.q('DELETE FROM clients WHERE realm = $1 AND id = $2 RETURNING id', [realm, id]);
    return rows.length > 0;
  }

  // ---------------------------------------------------------------- users

  private toUser = (r: Row): UserRow => ({
    id: r['id'] as string,
    realm: r['realm'] as string,
    username: r['username'] as string,
    email: (r['email'] as string | null) ?? null,
    firstName: (r['first_name'] as string | null) ?? null,
    lastName: (r['last_name'] as string | null) ?? null,
    enabled: r['enabled'] as boolean,
    emailVerified: r['email_verified'] as boolean,
    requiredActions: r['required_actions'] as string[],
    passwordHash: (r['password_hash'] as string | null) ?? null,
    serviceAccountClientId: (r['service_account_client'] as string | null) ?? null,
    createdTimestamp: Number(r['created_timestamp']),
  });

  private userWhere(realm: string, f: UserQuery): { sql: string; params: unknown[] } {
    const params: unknown[] = [realm];
    let sql = 'realm = $1';
    if (!f.includeServiceAccounts) sql += ' AND service_account_client IS NULL';
    for (const [col, v] of [['username', f.username], ['email', f.email]] as const) {
      if (v === undefined) continue;
      if (f.exact) {
        params.push(v.toLowerCase());
        sql += ` AND ${col} = $${params.length}`;
      } else {
        params.push(`%${v.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        sql += ` AND ${col} LIKE $${params.length}`;
      }
    }
    return { sql, params };
  }

  /** Users matching `f`, ordered by username (Keycloak's order), paged by `first`/`max`. */
  async findUsers(realm: string, f: UserQuery): Promise<UserRow[]> {
    const { sql, params } = this.userWhere(realm, f);
    params.push(Math.max(0, f.first ?? 0), f.max === undefined || f.max < 0 ? null : f.max);
    const rows = await this.q(`SELECT * FROM users WHERE ${sql} ORDER BY username OFFSET $${params.length - 1} LIMIT $${params.length}`, params);
    return rows.map(this.toUser);
  }

  /** Number of users matching `f` (paging ignored). */
  async countUsers(realm: string, f: UserQuery): Promise<number> {
    const { sql, params } = this.userWhere(realm, f);
    const [r] = await this.q<{ n: string }>(`SELECT count(*) AS n FROM users WHERE ${sql}`, params);
    return Number(r?.n ?? 0);
  }

  /** A user by id, or undefined. */
  async getUser(realm: string, id: string): Promise<UserRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [r] = await this.q('SELECT * FROM users WHERE realm = $1 AND id = $2', [realm, id]);
    return r ? this.toUser(r) : undefined;
  }

  /** A user by username (case-insensitive), or undefined. */
  async getUserByUsername(realm: string, username: string): Promise<UserRow | undefined> {
    const [r] = await this.q('SELECT * FROM users WHERE realm = $1 AND username = $2', [realm, username.toLowerCase()]);
    return r ? this.toUser(r) : undefined;
  }

  /** The service account user of a client, or undefined. */
  async getServiceAccountUser(realm: string, clientUuid: string): Promise<UserRow | undefined> {
    const [r] = await this.q('SELECT * FROM users WHERE realm = $1 AND service_account_client = $2', [realm, clientUuid]);
    return r ? this.toUser(r) : undefined;
  }

  /**
   * Inserts a user. @throws IdentityConflictError `User exists with same username` / `... same email`
   * (Keycloak's messages).
   */
  async insertUser(u: Omit<UserRow, 'id' | 'createdTimestamp'> & { id?: string }): Promise<UserRow> {
    if (await this.getUserByUsername(u.realm, u.username)) throw new IdentityConflictError('User exists with same username');
    if (u.email && (await this.q('SELECT 1 FROM users WHERE realm = $1 AND email = $2', [u.realm, u.email.toLowerCase()])).length) {
      throw new IdentityConflictError('User exists with same email');
    }
    try {
      const [r] = await this.q(
        `INSERT INTO users (id, realm, username, email, first_name, last_name, enabled, email_verified, required_actions,
           password_hash, service_account_client, created_timestamp)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING *`,
        [u.id ?? randomUUID(), u.realm, u.username.toLowerCase(), u.email?.toLowerCase() ?? null, u.firstName, u.lastName, u.enabled,
          u.emailVerified, JSON.stringify(u.requiredActions), u.passwordHash, u.serviceAccountClientId, Date.now()],
      );
      return this.toUser(r!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentityConflictError('User exists with same username or email');
      throw err;
    }
  }

  /** Updates the given profile fields. @throws IdentityConflictError when the new email is taken. */
  async updateUser(
    realm: string,
    id: string,
    patch: Partial<Pick<UserRow, 'enabled' | 'email' | 'firstName' | 'lastName' | 'requiredActions' | 'emailVerified' | 'passwordHash'>>,
  ): Promise<UserRow | undefined> {
    const cur = await this.getUser(realm, id);
    if (!cur) return undefined;
    const next = { ...cur, ...patch, email: patch.email === undefined ? cur.email : (patch.email?.toLowerCase() ?? null) };
    if (next.email && next.email !== cur.email && (await this.q('SELECT 1 FROM users WHERE realm = $1 AND email = $2 AND id <> $3', [realm, next.email, id])).length) {
      throw new IdentityConflictError('User exists with same email');
    }
    const [r] = await this.q(
      `UPDATE users SET enabled=$3, email=$4, first_name=$5, last_name=$6, required_actions=$7, email_verified=$8, password_hash=$9
       WHERE realm = $1 AND id = $2 RETURNING *`,
      [realm, id, next.enabled, next.email, next.firstName, next.lastName, JSON.stringify(next.requiredActions), next.emailVerified, next.passwordHash],
    );
    return r ? this.toUser(r) : undefined;
  }

  /** Deletes a user. @returns false when missing. */
  async deleteUser(realm: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.q('DELETE FROM users WHERE realm = $1 AND id = $2 RETURNING id', [realm, id])).length > 0;
  }

  /** Realm roles mapped directly to a user, by name. */
  async userRoles(userId: string): Promise<RoleRow[]> {
    const rows = await this.q('SELECT r.* FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1 ORDER BY r.name', [userId]);
    return rows.map(this.toRole);
  }

  /** Maps roles (ids of this realm's roles) to a user; already mapped ones are kept. */
  async addUserRoles(userId: string, roleIds: string[]): Promise<void> {
    for (const roleId of roleIds) {
      await this.q('INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, roleId]);
    }
  }

  /** Removes role mappings of a user. */
  async removeUserRoles(userId: string, roleIds: string[]): Promise<void> {
    if (roleIds.length) await this.q('DELETE FROM user_roles WHERE user_id = $1 AND role_id = ANY($2::uuid[])', [userId, roleIds]);
  }

  // ---------------------------------------------------------------- oidc-provider models

  /**
   * Upserts one oidc-provider model (Session, Grant, RefreshToken, AuthorizationCode, Interaction, ...).
   * `expiresIn` seconds from now; undefined = no expiry. The payload is sealed; `id`, `grantId`, `uid`
   * and `userCode` are stored as digests.
   */
  async upsertPayload(realm: string, model: string, id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
    const idDigest = this.box.digest(id);
    await this.q(
      `INSERT INTO oidc_payloads (realm, model, id_digest, payload_sealed, grant_digest, uid_digest, user_code_digest, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::integer IS NULL THEN NULL ELSE now() + make_interval(secs => $8::integer) END)
       ON CONFLICT (realm, model, id_digest) DO UPDATE SET payload_sealed = EXCLUDED.payload_sealed, grant_digest = EXCLUDED.grant_digest,
         uid_digest = EXCLUDED.uid_digest, user_code_digest = EXCLUDED.user_code_digest, expires_at = EXCLUDED.expires_at`,
      [
        realm,
        model,
        idDigest,
        this.box.seal(JSON.stringify(payload), `oidc:${realm}:${model}:${idDigest}`),
        typeof payload['grantId'] === 'string' ? this.box.digest(payload['grantId']) : null,
        typeof payload['uid'] === 'string' ? this.box.digest(payload['uid']) : null,
        typeof payload['userCode'] === 'string' ? this.box.digest(payload['userCode']) : null,
        typeof expiresIn === 'number' && expiresIn > 0 ? Math.ceil(expiresIn) : null,
      ],
    );
  }

  private async findPayloadBy(realm: string, model: string, column: 'id_digest' | 'uid_digest' | 'user_code_digest', value: string): Promise<StoredPayload | undefined> {
    const [r] = await this.q(
      `SELECT id_digest, payload_sealed, consumed_at FROM oidc_payloads
       WHERE realm = $1 AND model = $2 AND ${column} = $3 AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
      [realm, model, this.box.digest(value)],
    );
    if (!r) return undefined;
    const payload = JSON.parse(this.box.open(r['payload_sealed'] as string, `oidc:${realm}:${model}:${r['id_digest'] as string}`)) as Record<string, unknown>;
    return { payload, consumedAt: (r['consumed_at'] as Date | null) ?? null };
  }

  /** A live (unexpired) model by id. */
  findPayload(realm: string, model: string, id: string): Promise<StoredPayload | undefined> {
    return this.findPayloadBy(realm, model, 'id_digest', id);
  }

  /** A live Session by its `uid`. */
  findPayloadByUid(realm: string, model: string, uid: string): Promise<StoredPayload | undefined> {
    return this.findPayloadBy(realm, model, 'uid_digest', uid);
  }

  /** A live DeviceCode by its `userCode`. */
  findPayloadByUserCode(realm: string, model: string, userCode: string): Promise<StoredPayload | undefined> {
    return this.findPayloadBy(realm, model, 'user_code_digest', userCode);
  }

  /** Marks a model consumed (authorization codes, rotated refresh tokens). */
  async consumePayload(realm: string, model: string, id: string): Promise<void> {
    await this.q('UPDATE oidc_payloads SET consumed_at = now() WHERE realm = $1 AND model = $2 AND id_digest = $3', [realm, model, this.box.digest(id)]);
  }

  /** Deletes a model. */
  async destroyPayload(realm: string, model: string, id: string): Promise<void> {
    await this.q('DELETE FROM oidc_payloads WHERE realm = $1 AND model = $2 AND id_digest = $3', [realm, model, this.box.digest(id)]);
  }

  /** Deletes every model of a grant (oidc-provider `revokeByGrantId`). */
  async revokeGrant(realm: string, grantId: string): Promise<void> {
    await this.q('DELETE FROM oidc_payloads WHERE realm = $1 AND grant_digest = $2', [realm, this.box.digest(grantId)]);
  }

  /** Deletes expired models of all realms; returns how many. */
  async purgeExpired(): Promise<number> {
    return (await this.q('DELETE FROM oidc_payloads WHERE expires_at <= now() RETURNING 1')).length;
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a textual UUID (ids in admin paths; anything else is "not found", never an SQL error). */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
