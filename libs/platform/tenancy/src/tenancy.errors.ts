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
