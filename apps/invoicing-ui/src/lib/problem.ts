/**
 * RFC 9457 problem+json answers of invoicing-api (`{ type, title, status, detail, instance, code, traceId,
 * errors? }`, see README "HTTP API of invoicing-api") as a typed error the screens show, and the mapping of
 * `errors[]` (VALIDATION_FAILED) to editor fields.
 */
import { toFinding, type Finding } from './invoice-draft.js';

/** The body of an `application/problem+json` answer (members the UI reads). */
export interface ProblemBody {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  traceId?: string;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
}

/** A failed API call: the problem body, or one made up from the status when the body was not problem+json. */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemBody) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'ApiProblem';
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

/**
 * Reads a non-2xx `Response` into an {@link ApiProblem}: its problem+json body when it is one (`code` and
 * `status` present), else `HTTP_<status>` with the status text (e.g. the gateway's 502 when the API is down).
 */
export async function problemFromResponse(res: Response): Promise<ApiProblem> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const b = body as Partial<ProblemBody> | undefined;
  if (b && typeof b === 'object' && typeof b.code === 'string' && typeof b.status === 'number') {
    return new ApiProblem({ ...b, title: b.title ?? b.code } as ProblemBody);
  }
  return new ApiProblem({ status: res.status, code: `HTTP_${res.status}`, title: res.statusText || `HTTP ${res.status}`, detail: text.slice(0, 300) || undefined });
}

/**
 * The field findings of a 400 `VALIDATION_FAILED` answer (the API ran the same `InvoiceDocumentSchema`, so
 * `errors[].path` is a document path such as `lines.0.quantity`); `[]` for any other problem.
 */
export function findingsFromProblem(p: ProblemBody): Finding[] {
  if (p.code !== 'VALIDATION_FAILED' || !p.errors) return [];
  return p.errors.map((e) => toFinding(e.path, e.message));
}
