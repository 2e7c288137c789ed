import { Body, Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import type { ValidationResultView } from '@cetate/invoicing-contracts';
import { Roles } from '@cetate/platform-identity';
import { UnsupportedMediaTypeError } from './invoicing.errors.js';
import { UblProblemFilter } from './ubl-problem.filter.js';
import { validateInput } from './ubl-validation.js';

/** Media types of a raw UBL body (`express.raw` on `/v1/validate`, ≤ 10 MiB). */
export const VALIDATE_XML_TYPES = ['application/xml', 'text/xml'];

/**
 * Local validation of an invoice without storing or sending anything (the invoice editor checks a draft as it is
 * typed; an accountant checks a UBL before importing it). Same rules, same function and same findings as the worker's
 * check before every upload (`validateUbl` of `@cetate/invoicing-domain`: EN 16931 1.3.8 + CIUS-RO 1.0.9). Any user of
 * the caller's tenant; no database access. Errors are RFC 9457 problem+json with `traceId`.
 */
@Controller('v1/validate')
@UseFilters(UblProblemFilter)
export class ValidateController {
  /**
   * `POST /v1/validate`. Body:
   * - `application/xml` or `text/xml`: a UBL 2.1 Invoice or CreditNote, ≤ 10 MiB (ANAF's upload limit), validated
   *   byte for byte;
   * - `application/json`: the invoice JSON document (`InvoiceDocumentSchema` of `@cetate/invoicing-contracts`, EN
   *   16931 terms, amounts as decimal strings, ≤ 1 MB), built into its CIUS-RO UBL with `buildCiusRoUbl` (what
   *   `POST /v1/invoices` would store), then validated; `line`/`column` of its findings are in that built XML.
   *
   * 200 → `ValidationResultView` `{ valid, documentType, fatal: [rule ids], warnings: [rule ids], findings }`, each
   * finding `{ ruleId, flag, terms: [BT-/BG- ids], xpath, line?, column?, en, ro, message, path }`; `valid` is false
   * when a fatal rule failed (ANAF would reject the document).
   *
   * Errors: 400 `VALIDATION_FAILED` with `errors[]` (`{ path, message }` per field) for JSON that does not match the
   * schema, 400 `MALFORMED_BODY` for JSON that does not parse; 422 with the parser's `code` (`UBL_MALFORMED`,
   * `UBL_UNKNOWN_ROOT`, `XML_TOO_LARGE`, `XML_DTD_FORBIDDEN`, `XML_TOO_DEEP`, `XML_TOO_MANY_ELEMENTS`,
   * `XML_ENCODING_UNSUPPORTED`), `detail` and `line`/`column` when known, for XML that is not a UBL 2.1
   * Invoice/CreditNote; 413 `PAYLOAD_TOO_LARGE` over 10 MiB (XML) / 1 MB (JSON); 415 `UNSUPPORTED_MEDIA_TYPE` for
   * another content type; 401/403 as every tenant endpoint.
   */
  @Post()
  @HttpCode(200)
  @Roles('accountant', 'user', 'tenant-admin')
  validate(@Req() req: Request, @Body() body: unknown): ValidationResultView {
    if (req.is(VALIDATE_XML_TYPES)) return validateInput({ xml: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) });
    if (req.is('application/json')) return validateInput({ json: body });
    throw new UnsupportedMediaTypeError(req.headers['content-type'], ['application/json', ...VALIDATE_XML_TYPES]);
  }
}
