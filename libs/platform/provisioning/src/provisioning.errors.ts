import { DomainError } from '@cetate/platform-observability';

/**
 * Another provisioning or deprovisioning run holds this tenant (PostgreSQL advisory lock per slug).
 * HTTP 409, code `TENANT_OPERATION_IN_PROGRESS`. Retry when it has finished.
 */
export class TenantOperationInProgressError extends DomainError {
  constructor(readonly slug: string) {
    super('TENANT_OPERATION_IN_PROGRESS', `Another provisioning or deletion of tenant "${slug}" is running; retry when it has finished.`, {
      status: 409,
    });
  }
}

/**
 * A step of the provisioning saga failed. The step is recorded `failed` with this message in
 * `platform.provisioning_step`; running the saga again retries it. HTTP 502 (a platform service failed),
 * code `PROVISIONING_STEP_FAILED`.
 */
export class ProvisioningStepError extends DomainError {
  constructor(readonly slug: string, readonly step: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('PROVISIONING_STEP_FAILED', `Step "${step}" of tenant "${slug}" failed: ${reason}`, { status: 502, cause });
  }
}

/**
 * The request conflicts with the tenant's state: e.g. `create` with another CIF than the half-provisioned
 * tenant of that slug, `resume` of a tenant being deleted, `migrate` of a tenant still provisioning.
 * HTTP 409, code `TENANT_STATE_CONFLICT`.
 */
export class TenantStateConflictError extends DomainError {
  constructor(message: string) {
    super('TENANT_STATE_CONFLICT', message, { status: 409 });
  }
}
