/**
 * The mapping of a problem's `errors[]` (VALIDATION_FAILED) to editor fields; parsing and the error class are
 * `@cetate/shared-ui`'s (re-exported here for the screens).
 */
import type { ProblemDetails } from '@cetate/shared-ui';
import { toFinding, type Finding } from './invoice-draft.js';

export { ApiProblem, problemFromResponse, type ProblemDetails as ProblemBody } from '@cetate/shared-ui';

/**
 * The field findings of a 400 `VALIDATION_FAILED` answer (the API ran the same `InvoiceDocumentSchema`, so
 * `errors[].path` is a document path such as `lines.0.quantity`); `[]` for any other problem.
 */
export function findingsFromProblem(p: ProblemDetails): Finding[] {
  if (p.code !== 'VALIDATION_FAILED' || !p.errors) return [];
  return p.errors.map((e) => toFinding(e.path, e.message));
}
