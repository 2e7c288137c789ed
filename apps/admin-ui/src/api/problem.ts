/**
 * How admin-ui shows a platform-api problem (the parsing and the error class are `@cetate/shared-ui`'s).
 */
import type { ProblemDetails } from '@cetate/shared-ui';

/**
 * i18n key of the message shown for a problem: a known code (`errors.USER_EXISTS`), else by status (401, 403,
 * 404, 5xx), else `errors.unknown`. The server's `detail` is shown under the message.
 */
export function problemMessageKey(problem: Pick<ProblemDetails, 'code' | 'status'>): string {
  if (KNOWN_CODES.has(problem.code)) return `errors.${problem.code}`;
  if (problem.status === 401) return 'errors.unauthorized';
  if (problem.status === 403) return 'errors.forbidden';
  if (problem.status === 404) return 'errors.notFound';
  if (problem.status >= 500) return 'errors.server';
  return 'errors.unknown';
}

/** Codes with their own message in `i18n.ts`. */
export const KNOWN_CODES: ReadonlySet<string> = new Set([
  'NETWORK',
  'VALIDATION_FAILED',
  'USER_EXISTS',
  'USER_SELF_LOCKOUT',
  'USER_NOT_FOUND',
  'IDENTITY_ADMIN_FAILED',
  'INVALID_TENANT',
  'TENANT_NOT_FOUND',
  'TENANT_OPERATION_IN_PROGRESS',
  'TENANT_STATE_CONFLICT',
  'PROVISIONING_STEP_FAILED',
]);
