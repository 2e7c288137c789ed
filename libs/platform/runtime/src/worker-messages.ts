import { NonRetryableError, type RetryPolicy } from '@cetate/platform-messaging';
import type { Logger } from '@cetate/platform-observability';
import { TenantNotFoundError, type TenantLookup, type TenantRecord } from '@cetate/platform-tenancy';

/**
 * The tenant of a command message for a module worker (`worker-anaf`, `worker-ocr`): the `x-tenant-id` header's
 * tenant, which must be the payload's own `tenant`.
 * @returns `(payloadTenant, headerTenant) => Promise<TenantRecord>` over the registry's cached lookup.
 * @throws NonRetryableError `TENANT_MISMATCH` when the two differ, `TENANT_NOT_FOUND` when the registry has no such
 *   tenant (both send the message to the DLQ at once); any other lookup error as it is (retried).
 */
export function messageTenant(tenants: Pick<TenantLookup, 'bySlug'>): (payloadTenant: string, headerTenant: string) => Promise<TenantRecord> {
  return async (payloadTenant, headerTenant) => {
    if (payloadTenant !== headerTenant) {
      throw new NonRetryableError(`x-tenant-id ${headerTenant} does not match the payload's tenant ${payloadTenant}`, { code: 'TENANT_MISMATCH' });
    }
    return tenants.bySlug(headerTenant).catch((err: unknown) => {
      throw err instanceof TenantNotFoundError ? new NonRetryableError(err.message, { cause: err, code: 'TENANT_NOT_FOUND' }) : err;
    });
  };
}

/**
 * Runs a command handler's `work`; when it fails and the worker gives up on the message (a `NonRetryableError`,
 * or any error on the retry policy's last attempt, after which the consumer dead-letters it), first records the
 * failure with `giveUp(code, reason)` (e.g. the invoice or the document says so), then rethrows the error either
 * way so the consumer retries or dead-letters the message.
 * - `code`: the `NonRetryableError`'s code, else `MAX_ATTEMPTS_EXCEEDED`;
 * - `reason`: the error's message, prefixed `gave up after <n> attempts: ` for a retryable error on its last attempt.
 * A failing `giveUp` is logged (`error`) and does not hide the handler's error.
 * @param attempt the message's 1-based attempt (`ctx.attempt` of the consumer).
 */
export async function withGiveUp<T>(
  attempt: number,
  retry: Pick<RetryPolicy, 'maxAttempts'>,
  work: () => Promise<T>,
  giveUp: (code: string, reason: string) => Promise<unknown>,
  log: Logger,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const lastAttempt = attempt >= retry.maxAttempts;
    const nonRetryable = err instanceof NonRetryableError;
    if (nonRetryable || lastAttempt) {
      const code = nonRetryable ? err.code : 'MAX_ATTEMPTS_EXCEEDED';
      const message = err instanceof Error ? err.message : String(err);
      const reason = lastAttempt && !nonRetryable ? `gave up after ${attempt} attempts: ${message}` : message;
      await giveUp(code, reason).catch((e: unknown) => log.error({ err: e }, 'could not record the failure'));
    }
    throw err;
  }
}
