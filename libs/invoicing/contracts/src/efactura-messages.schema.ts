import { z } from 'zod';

/**
 * Message contracts between `invoicing-api` and `worker-anaf` (ARCHITECTURE.md §3, §4).
 *
 * Commands go to exchange `cetate.commands` with routing key `worker.request.<tag>`; events go to
 * `cetate.events` with routing key `invoicing.invoice.<past-tense-event>`. Payloads are validated with
 * these schemas on both sides; a breaking change gets a new `version`.
 */

/** Worker tag of the submit command (routing key `worker.request.anaf.efactura.submit`). */
export const EFACTURA_SUBMIT_TAG = 'anaf.efactura.submit';

const uuid = z.string().uuid();
const slug = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/);

/**
 * `anaf.efactura.submit` v1: send one version of one invoice to ANAF.
 * - `xmlObjectKey`: the UBL XML already stored in the tenant bucket (imported XML, or built by the API);
 *   the worker reads it from there, validates it, uploads it.
 * - `standard`: ANAF upload `standard` parameter: `UBL` for Invoice, `CN` for CreditNote.
 * - `cif`: ANAF upload `cif` parameter: digits only, no `RO` prefix (ANAF upload API).
 * - `b2c`: sent with `uploadb2c` instead of `upload` (same parameters).
 * The idempotency key of the message is `<invoiceId>:v<invoiceVersion>`: a second send of the same
 * version never makes a second upload (ARCHITECTURE.md §4).
 */
export const EfacturaSubmitPayloadSchema = z.object({
  invoiceId: uuid,
  invoiceVersion: z.number().int().positive(),
  tenant: slug,
  number: z.string().describe('BT-1 invoice number; empty when the imported document has none (validation then reports it)'),
  documentType: z.enum(['Invoice', 'CreditNote']),
  standard: z.enum(['UBL', 'CN']),
  cif: z.string().regex(/^\d{2,10}$/).describe('ANAF `cif` upload parameter'),
  xmlObjectKey: z.string().min(1),
  xmlSha256: z.string().regex(/^[0-9a-f]{64}$/),
  extern: z.boolean().default(false),
  autofactura: z.boolean().default(false),
  b2c: z
    .boolean()
    .default(false)
    .describe('upload through `uploadb2c`: the buyer has no CUI (a person: CNP, or thirteen zeros when none is known; ANAF-EFACTURA.md 2025-2026)'),
});
export type EfacturaSubmitPayload = z.infer<typeof EfacturaSubmitPayloadSchema>;

/** Worker tag of the status-sync command (routing key `worker.request.anaf.efactura.status-sync`). */
export const EFACTURA_STATUS_SYNC_TAG = 'anaf.efactura.status-sync';

/**
 * `anaf.efactura.status-sync` v1: one run of the status sync of one tenant's seller CIF.
 * - `generation`: the schedule this run belongs to (`efactura.status_sync.generation`); a message of an older
 *   generation is a duplicate and is dropped, so at most one run per CIF is ever scheduled.
 */
export const EfacturaStatusSyncPayloadSchema = z.object({
  tenant: slug,
  cif: z.string().regex(/^\d{2,10}$/).describe('seller CIF, digits only'),
  generation: z.number().int().positive(),
});
export type EfacturaStatusSyncPayload = z.infer<typeof EfacturaStatusSyncPayloadSchema>;

/** Fields every `invoicing.invoice.efactura-*` event carries. `seq` orders the events of one submission. */
const EventBase = z.object({
  invoiceId: uuid,
  invoiceVersion: z.number().int().positive(),
  seq: z.number().int().nonnegative().describe('monotonic per (invoiceId, invoiceVersion); older events are ignored'),
  occurredAt: z.string().datetime(),
});

/**
 * One validation or ANAF error message, by rule id where one is known (e.g. `BR-RO-010`). A finding of the local
 * validator (`validateUbl` of `@cetate/invoicing-domain`) also carries `terms` (EN 16931 BT-/BG- ids), `xpath` (with
 * positions), `line`/`column` (1-based, in the stored XML), `en`/`ro` (what to change) and `path`; ANAF's messages
 * have none of them. All optional, so v1 producers and consumers keep working.
 */
export const EfacturaMessageSchema = z.object({
  ruleId: z.string().optional(),
  flag: z.enum(['fatal', 'warning']).default('fatal'),
  message: z.string(),
  terms: z.array(z.string()).optional(),
  xpath: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  en: z.string().optional(),
  ro: z.string().optional(),
  path: z.string().optional(),
});
export type EfacturaMessage = z.infer<typeof EfacturaMessageSchema>;

export const EfacturaValidatingEventSchema = EventBase;
export const EfacturaInvalidEventSchema = EventBase.extend({
  fatal: z.array(z.string()).describe('sorted distinct rule ids that failed'),
  warnings: z.array(z.string()),
  messages: z.array(EfacturaMessageSchema),
});
export const EfacturaUploadingEventSchema = EventBase;
export const EfacturaSubmittedEventSchema = EventBase.extend({
  indexIncarcare: z.string().describe('ANAF index_incarcare of the upload'),
});
export const EfacturaUnknownEventSchema = EventBase.extend({ reason: z.string() });
export const EfacturaAcceptedEventSchema = EventBase.extend({
  indexIncarcare: z.string(),
  idDescarcare: z.string().describe('ANAF id_descarcare of the answer'),
  zipObjectKey: z.string().describe('signed ZIP archived in the tenant bucket'),
});
export const EfacturaRejectedEventSchema = EfacturaAcceptedEventSchema.extend({
  errors: z.array(EfacturaMessageSchema),
});
export const EfacturaFailedEventSchema = EventBase.extend({
  code: z.string(),
  reason: z.string(),
});

/** Routing keys of the e-Factura events on `cetate.events`, keyed by the state they report. */
export const EFACTURA_EVENT_KEYS = {
  validating: 'invoicing.invoice.efactura-validating',
  invalid: 'invoicing.invoice.efactura-invalid',
  uploading: 'invoicing.invoice.efactura-uploading',
  submitted: 'invoicing.invoice.efactura-submitted',
  unknown: 'invoicing.invoice.efactura-unknown',
  accepted: 'invoicing.invoice.efactura-accepted',
  rejected: 'invoicing.invoice.efactura-rejected',
  failed: 'invoicing.invoice.efactura-failed',
} as const;

export type EfacturaEventState = keyof typeof EFACTURA_EVENT_KEYS;
