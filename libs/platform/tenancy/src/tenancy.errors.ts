import { DomainError } from '@cetate/platform-observability';

/** No tenant with this slug (or realm) in the registry. HTTP 404, code `TENANT_NOT_FOUND`. */
export class TenantNotFoundError extends DomainError {
  constructor(readonly key: string, by: 'slug' | 'realm' = 'slug') {
    super('TENANT_NOT_FOUND', `No tenant with ${by} "${key}"`, { status: 404 });
  }
}

/**
 * Code that needs a tenant ran outside `runInTenant()`. A programming error (the request or message
 * did not resolve its tenant first), so HTTP 500, code `NO_TENANT_CONTEXT`.
 */
export class NoTenantContextError extends DomainError {
  constructor() {
    super('NO_TENANT_CONTEXT', 'No tenant context: resolve the tenant and wrap the work in runInTenant()', {
      status: 500,
    });
  }
}

/** A tenant slug, CIF or status that breaks the registry rules. HTTP 400, code `INVALID_TENANT`. */
export class InvalidTenantError extends DomainError {
  constructor(message: string, path: string) {
    super('INVALID_TENANT', message, { status: 400, errors: [{ path, message }] });
  }
}

/**
 * The tenant database lacks migrations this process needs (processes never migrate at start-up, ADR 0015).
 * HTTP 503 (the tenant is temporarily unavailable until an operator migrates it), code
 * `TENANT_SCHEMA_BEHIND`. Not cached: once `npm run cetate -- tenant migrate <slug>` ran, the next call succeeds.
 */
export class TenantSchemaBehindError extends DomainError {
  constructor(
    readonly slug: string,
    /** Names of the migrations this process declares that the tenant database has not run, in order. */
    readonly pending: string[],
  ) {
    super(
      'TENANT_SCHEMA_BEHIND',
      `The database of tenant "${slug}" is behind: pending migrations ${pending.join(', ')}. ` +
        `Run: npm run cetate -- tenant migrate ${slug}`,
      { status: 503, detail: `The data of tenant "${slug}" is being upgraded; try again later.` },
    );
  }
}

/** The tenant database does not exist on its cluster (the runner creates nothing). HTTP 404, code `TENANT_DATABASE_MISSING`. */
export class TenantDatabaseMissingError extends DomainError {
  constructor(readonly dbName: string, readonly cluster: string) {
    super('TENANT_DATABASE_MISSING', `Database "${dbName}" does not exist on cluster "${cluster}": provision the tenant first`, { status: 404 });
  }
}

/**
 * A `db_cluster` name that `PG_CLUSTERS` does not define, or a malformed `PG_CLUSTERS`. A configuration error:
 * HTTP 500, code `DB_CLUSTER_UNKNOWN` / `DB_CLUSTERS_INVALID`.
 */
export class DatabaseClusterError extends DomainError {
  constructor(code: 'DB_CLUSTER_UNKNOWN' | 'DB_CLUSTERS_INVALID', message: string) {
    super(code, message, { status: 500 });
  }
}

/** A tenant move that cannot run: tenant not `suspended`, target database already present, copy not identical. HTTP 409, code `TENANT_MOVE_REFUSED`. */
export class TenantMoveError extends DomainError {
  constructor(readonly slug: string, message: string, cause?: unknown) {
    super('TENANT_MOVE_REFUSED', message, { status: 409, ...(cause === undefined ? {} : { cause }) });
  }
}
