import { z } from 'zod';
// the dependency-free entry of the messaging library (zod only): importing the contracts never loads amqplib
import { defineCommand, defineEvent } from '@cetate/platform-messaging/contracts';

/**
 * Inbound e-Factura (issue 10, ARCHITECTURE.md §4 "Inbound"): supplier invoices and buyer messages that ANAF's SPV
 * holds for one of the tenant's companies, read by `worker-anaf` and handed to the module that owns purchases.
 *
 * Amounts are decimal strings exactly as written in the UBL (`^-?\d+(\.\d+)?$`), dates `YYYY-MM-DD`, CUIs digits only
 * (no `RO`). Names of fields follow EN 16931 (the BT-/BG- term is in each description).
 */

const slug = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/);
const cifDigits = z.string().regex(/^\d{2,13}$/);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Worker tag of the inbox-sync command (routing key `worker.request.anaf.efactura.inbox-sync`). */
export const EFACTURA_INBOX_SYNC_TAG = 'anaf.efactura.inbox-sync';

/**
 * `anaf.efactura.inbox-sync` v1: one run of the inbox sync of one tenant company (CIF): list ANAF's messages
 * (`listaMesajePaginatieFactura`, filters `P` and `R`), download each new one once, archive and parse it.
 * - `runId`: the row of `efactura.inbox_sync_run` that reports the run (created by whoever asked for it, so a
 *   caller can wait for it); a redelivered command finds its run and resumes it.
 * - `trigger`: `schedule` (the worker's own schedule) or `manual` (CLI / API).
 */
export const EfacturaInboxSyncPayloadSchema = z.object({
  tenant: slug,
  cif: z.string().regex(/^\d{2,10}$/).describe('the company CIF whose SPV inbox is read, digits only'),
  runId: z.string().uuid(),
  trigger: z.enum(['schedule', 'manual']).default('schedule'),
});
export type EfacturaInboxSyncPayload = z.infer<typeof EfacturaInboxSyncPayloadSchema>;

/** Command `worker.request.anaf.efactura.inbox-sync` v1 (queue `worker.anaf.efactura.inbox-sync`). */
export const EfacturaInboxSyncCommand = defineCommand({
  tag: EFACTURA_INBOX_SYNC_TAG,
  version: 1,
  schema: EfacturaInboxSyncPayloadSchema,
  description: "Read ANAF's SPV inbox of one tenant company (received invoices P, buyer messages R): download each new message once, archive its signed ZIP, parse it into a purchase invoice.",
});

/** A party of a received invoice (BG-4 seller / BG-7 buyer). */
export const ReceivedPartySchema = z.object({
  name: z.string().nullable().describe('BT-27 / BT-44 (registration name), else the trading name BT-28 / BT-45'),
  cif: cifDigits.nullable().describe('BT-31 / BT-48 without the RO prefix, else BT-32 / BT-47 when it is a CUI; digits'),
  vatId: z.string().nullable().describe('BT-31 / BT-48 as written (e.g. RO41832096)'),
  tradeRegister: z.string().nullable().describe('BT-30 / BT-47 legal registration identifier as written'),
  street: z.string().nullable().describe('BT-35 / BT-50'),
  city: z.string().nullable().describe('BT-37 / BT-52'),
  countrySubentity: z.string().nullable().describe('BT-39 / BT-54 (ISO 3166-2:RO, e.g. RO-B)'),
  country: z.string().nullable().describe('BT-40 / BT-55'),
});
export type ReceivedParty = z.infer<typeof ReceivedPartySchema>;

/** One invoice line (BG-25). */
export const ReceivedLineSchema = z.object({
  lineId: z.string().describe('BT-126'),
  name: z.string().nullable().describe('BT-153'),
  quantity: decimal.nullable().describe('BT-129 (negative on a credit of a credit note is kept as written)'),
  unitCode: z.string().nullable().describe('BT-130'),
  unitPrice: decimal.nullable().describe('BT-146'),
  netAmount: decimal.nullable().describe('BT-131'),
  vatCategoryCode: z.string().nullable().describe('BT-151'),
  vatRate: decimal.nullable().describe('BT-152'),
});

/** A document-level allowance (BG-20, `chargeIndicator` false) or charge (BG-21, true). */
export const ReceivedAllowanceChargeSchema = z.object({
  chargeIndicator: z.boolean(),
  amount: decimal.describe('BT-92 / BT-99'),
  reason: z.string().nullable().describe('BT-97 / BT-104'),
  reasonCode: z.string().nullable().describe('BT-98 / BT-105'),
  vatCategoryCode: z.string().nullable().describe('BT-95 / BT-102'),
  vatRate: decimal.nullable().describe('BT-96 / BT-103'),
});

/** One VAT breakdown (BG-23). */
export const ReceivedVatSchema = z.object({
  categoryCode: z.string().describe('BT-118'),
  rate: decimal.nullable().describe('BT-119'),
  base: decimal.describe('BT-116'),
  amount: decimal.describe('BT-117'),
  exemptionReason: z.string().nullable().describe('BT-120 or BT-121'),
});

/** Document totals (BG-22) and the VAT total in the accounting currency. */
export const ReceivedTotalsSchema = z.object({
  lineNet: decimal.nullable().describe('BT-106'),
  allowances: decimal.nullable().describe('BT-107'),
  charges: decimal.nullable().describe('BT-108'),
  net: decimal.nullable().describe('BT-109'),
  vat: decimal.nullable().describe('BT-110 (the TaxTotal in the invoice currency)'),
  vatInTaxCurrency: decimal.nullable().describe('BT-111 (the TaxTotal in BT-6, e.g. RON on a EUR invoice)'),
  gross: decimal.nullable().describe('BT-112'),
  prepaid: decimal.nullable().describe('BT-113'),
  rounding: decimal.nullable().describe('BT-114'),
  payable: decimal.describe('BT-115'),
});

/** A payment instruction (BG-16): means code and, for a transfer, the account (BG-17). */
export const ReceivedPaymentMeansSchema = z.object({
  code: z.string().describe('BT-81 (UNTDID 4461, e.g. 30 credit transfer, 42 payment to bank account)'),
  accountId: z.string().nullable().describe('BT-84 (IBAN, compact, upper case)'),
  accountName: z.string().nullable().describe('BT-85'),
  bic: z.string().nullable().describe('BT-86'),
  paymentId: z.string().nullable().describe('BT-83 remittance information'),
});

/**
 * A supplier invoice or credit note as read from the UBL that ANAF delivered (`invoiceFromReceivedUbl` of
 * `@cetate/invoicing-domain`): what a purchase invoice needs, nothing of the sender's formatting.
 */
export const ReceivedInvoiceSchema = z.object({
  documentType: z.enum(['Invoice', 'CreditNote']),
  typeCode: z.string().describe('BT-3 (380, 381, 384, 389, 751, ...)'),
  number: z.string().min(1).describe('BT-1'),
  issueDate: isoDate.describe('BT-2'),
  dueDate: isoDate.nullable().describe('BT-9'),
  currency: z.string().regex(/^[A-Z]{3}$/).describe('BT-5'),
  taxCurrency: z.string().regex(/^[A-Z]{3}$/).nullable().describe('BT-6'),
  buyerReference: z.string().nullable().describe('BT-10'),
  orderReference: z.string().nullable().describe('BT-13'),
  precedingInvoice: z.string().nullable().describe('BT-25 (a credit note\'s original invoice)'),
  supplier: ReceivedPartySchema,
  buyer: ReceivedPartySchema,
  lines: z.array(ReceivedLineSchema),
  allowanceCharges: z.array(ReceivedAllowanceChargeSchema),
  vat: z.array(ReceivedVatSchema),
  totals: ReceivedTotalsSchema,
  paymentMeans: z.array(ReceivedPaymentMeansSchema),
  notes: z.array(z.string()).describe('BT-22'),
});
export type ReceivedInvoice = z.infer<typeof ReceivedInvoiceSchema>;

/** What the taxpayer lookup (PlatitorTvaRest v9, the answer of the day the invoice was received) says of the supplier. */
export const SupplierCheckSchema = z.object({
  found: z.boolean().describe('false: ANAF does not know the CUI (notFound)'),
  name: z.string().nullable().describe('date_generale.denumire'),
  vatRegistered: z.boolean().nullable().describe('registered for VAT on the issue date (inregistrare_scop_Tva.perioade_TVA; scpTVA when no period is listed)'),
  inactive: z.boolean().nullable().describe('stare_inactiv.statusInactivi with dataInactivare on or before the issue date'),
  checkedAt: z.string().datetime(),
});
export type SupplierCheck = z.infer<typeof SupplierCheckSchema>;

/** Routing key of {@link EfacturaInboundReceivedEvent}. */
export const EFACTURA_INBOUND_RECEIVED_KEY = 'invoicing.efactura.inbound-received';

/**
 * The queue the purchases side (`documents-api`) takes received invoices from, bound to
 * {@link EFACTURA_INBOUND_RECEIVED_KEY}. Both the publisher's topology (`worker-anaf`) and the consumer's declare it, so
 * an event published before `documents-api` ever started is kept, never refused as unroutable.
 */
export const EFACTURA_INBOUND_QUEUE = 'purchases.efactura-inbound';

/**
 * `invoicing.efactura.inbound-received` v1: one supplier invoice (filter `P`) read from ANAF, archived and parsed.
 * The purchases module records it once: keyed by `idSolicitare` (ANAF's upload index of the supplier's upload), and
 * flagged as a duplicate when the same supplier CUI + number + issue date came by another path (e.g. OCR).
 */
export const EfacturaInboundReceivedEventSchema = z.object({
  tenant: slug,
  cif: z.string().regex(/^\d{2,10}$/).describe('the tenant company (buyer) whose inbox held the message'),
  idSolicitare: z.string().regex(/^\d+$/).describe('ANAF id_solicitare: the supplier upload index'),
  idDescarcare: z.string().regex(/^\d+$/).describe('ANAF id (id_descarcare) of the message'),
  dataCreare: z.string().datetime().describe("the message's data_creare (Europe/Bucharest) as an instant"),
  zipObjectKey: z.string().min(1).describe('the signed ZIP as archived in the tenant bucket'),
  xmlSha256: z.string().regex(/^[0-9a-f]{64}$/),
  signatureVerified: z.boolean().describe("the ZIP's XMLDSig signature checked against the invoice XML"),
  invoice: ReceivedInvoiceSchema,
  supplierCheck: SupplierCheckSchema.nullable(),
});
export type EfacturaInboundReceivedEvent = z.infer<typeof EfacturaInboundReceivedEventSchema>;

/** Event contract of {@link EfacturaInboundReceivedEventSchema}. */
export const EfacturaInboundReceivedEvent = defineEvent({
  routingKey: EFACTURA_INBOUND_RECEIVED_KEY,
  version: 1,
  schema: EfacturaInboundReceivedEventSchema,
  description: 'A supplier invoice arrived through ANAF e-Factura: archived (signed ZIP) and parsed; the purchases module records it once.',
});
