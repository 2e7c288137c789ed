import { z } from 'zod';

/**
 * The JSON shapes of `documents-api` (apps/documents-api/README.md): the extracted fields of a document, the
 * corrections an accountant sends, and the views of documents and purchase invoices. Shared by the API, the worker
 * (which stores {@link ExtractedFields}) and their clients. Amounts are decimal strings with two decimals, dates ISO
 * `YYYY-MM-DD`, confidences 0..1, positions in the page's own unit (PDF points for a text layer, pixels for a scan)
 * with the origin at the top left.
 */

/** Media types a document may have (decided from the file's first bytes, never from the declared type). */
export const DOCUMENT_MIME_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'] as const;
export type DocumentMimeType = (typeof DOCUMENT_MIME_TYPES)[number];

/**
 * Life of a document: `uploaded` (stored, extraction command queued) → `processing` (the worker reads it; `progress`
 * grows page by page) → `extracted` (fields stored) | `failed` (typed error code) → `confirmed` (a draft purchase
 * invoice was made from its fields).
 */
export const DOCUMENT_STATUSES = ['uploaded', 'processing', 'extracted', 'failed', 'confirmed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Axis-aligned box on a page, origin top-left, `x0 < x1`, `y0 < y1`. */
export const BBoxSchema = z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() });
export type BBoxView = z.infer<typeof BBoxSchema>;

/**
 * One field as read: its value, a confidence 0..1 and where it was read (1-based `page`, `bbox`). A value the
 * accountant typed or changed has `corrected: true` and confidence 1; it keeps the position of the reading it
 * replaced, and has none when nothing had been read.
 */
export const ExtractedFieldSchema = z.object({
  value: z.string(),
  confidence: z.number().min(0).max(1),
  page: z.number().int().positive().optional(),
  bbox: BBoxSchema.optional(),
  corrected: z.boolean().optional(),
});
export type ExtractedFieldView = z.infer<typeof ExtractedFieldSchema>;

/** Seller (BG-4) or buyer (BG-7) as read: BT-27/BT-44 name, CUI/CIF (BT-31/BT-32, BT-48/BT-47), trade register. */
export const ExtractedPartySchema = z.object({
  name: ExtractedFieldSchema.optional(),
  cif: ExtractedFieldSchema.optional(),
  tradeRegister: ExtractedFieldSchema.optional(),
});

/** One VAT rate of the breakdown (BG-23): BT-119 `rate` (percent), BT-116 `base`, BT-117 `amount`. */
export const ExtractedVatSchema = z.object({
  rate: z.string(),
  base: z.string(),
  amount: z.string(),
  confidence: z.number().min(0).max(1),
  page: z.number().int().positive().optional(),
  bbox: BBoxSchema.optional(),
  corrected: z.boolean().optional(),
});

/**
 * The invoice fields of a document (what `@cetate/documents-ocr` extracts, `ExtractedInvoice` of
 * `@cetate/documents-extraction`, as stored in `documents.document.fields`): `supplier`, `buyer`, `series`, `number`
 * (BT-1 without the series), `issueDate` (BT-2), `dueDate` (BT-9), `currency` (BT-5), `netTotal` (BT-109), `vatTotal`
 * (BT-110), `payableTotal` (BT-115), `vat[]` (BG-23), `iban` (BT-84), and `warnings` (totals that disagree, ...).
 */
export const ExtractedFieldsSchema = z.object({
  supplier: ExtractedPartySchema,
  buyer: ExtractedPartySchema,
  series: ExtractedFieldSchema.optional(),
  number: ExtractedFieldSchema.optional(),
  issueDate: ExtractedFieldSchema.optional(),
  dueDate: ExtractedFieldSchema.optional(),
  currency: ExtractedFieldSchema.optional(),
  netTotal: ExtractedFieldSchema.optional(),
  vatTotal: ExtractedFieldSchema.optional(),
  payableTotal: ExtractedFieldSchema.optional(),
  vat: z.array(ExtractedVatSchema),
  iban: ExtractedFieldSchema.optional(),
  warnings: z.array(z.string()),
});
export type ExtractedFields = z.infer<typeof ExtractedFieldsSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
/** A money amount: decimal string, at most 2 decimals (EN 16931 amounts), up to 15 integer digits. */
const amount = z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/, 'a decimal amount with at most 2 decimals, e.g. 1190.00');
/** A Romanian CUI/CIF as written: digits, optionally prefixed `RO` (VAT registered); the check digit is checked by the API. */
const cif = z.string().regex(/^(RO)?\d{2,10}$/, 'a Romanian CUI/CIF: 2 to 10 digits, optionally prefixed RO');
const text = (max: number) => z.string().trim().min(1).max(max);

/** Corrections of a party; `null` removes the value. */
const PartyCorrectionSchema = z
  .object({ name: text(300).nullable().optional(), cif: cif.nullable().optional(), tradeRegister: text(40).nullable().optional() })
  .strict();

/**
 * Body of `PATCH /v1/documents/:id/fields` (and the optional body of `POST /v1/documents/:id/confirm`): the values the
 * accountant confirms or changes. A member left out keeps what was read; `null` removes it; `vat`, when given,
 * replaces the whole breakdown. Every value given becomes `corrected: true` with confidence 1.
 */
export const FieldCorrectionsSchema = z
  .object({
    supplier: PartyCorrectionSchema.optional(),
    buyer: PartyCorrectionSchema.optional(),
    series: text(20).nullable().optional(),
    number: text(40).nullable().optional(),
    issueDate: isoDate.nullable().optional(),
    dueDate: isoDate.nullable().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as RON').nullable().optional(),
    netTotal: amount.nullable().optional(),
    vatTotal: amount.nullable().optional(),
    payableTotal: amount.nullable().optional(),
    vat: z
      .array(z.object({ rate: z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'a VAT rate in percent, e.g. 21'), base: amount, amount }).strict())
      .max(20)
      .optional(),
    iban: z
      .string()
      .transform((s) => s.replace(/\s+/g, '').toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, 'an IBAN (ISO 13616)'))
      .nullable()
      .optional(),
  })
  .strict();
export type FieldCorrections = z.infer<typeof FieldCorrectionsSchema>;

/** A document as `GET /v1/documents/:id` shows it (the list shows the same without `fields`). */
export interface DocumentView {
  id: string;
  filename: string;
  /** From the file's first bytes. */
  mime: DocumentMimeType;
  /** Bytes. */
  size: number;
  /** SHA-256 of the file, hex. */
  sha256: string;
  /** Object key in the tenant bucket (`documents/...`). */
  objectKey: string;
  status: DocumentStatus;
  /** Why it failed (`DOCUMENT_CORRUPT`, `DOCUMENT_ENCRYPTED`, `OCR_TIMEOUT`, ...); `null` unless `failed`. */
  error: { code: string; message: string } | null;
  /** Pages being or been read; `null` before the worker knows. */
  pages: number | null;
  /** Pages read so far. */
  pagesDone: number;
  /** `pagesDone / pages`, 0..1 (1 once extracted). */
  progress: number;
  /** Where the words came from (`text-layer`, `ocr`, ...), once extracted. */
  source: string | null;
  /** The fields read (and corrected), once extracted; omitted in lists. */
  fields?: ExtractedFields | null;
  /** The draft purchase invoice made from this document (`confirmed`). */
  purchaseInvoiceId: string | null;
  /**
   * A purchase invoice that already has this document's supplier CUI, number and issue date: set when the document
   * was confirmed and turned out to be a duplicate (flagged, no second invoice made), or, before confirming, the one a
   * confirmation would collide with.
   */
  duplicateOf: string | null;
  /** An earlier document of this tenant with exactly the same bytes (same SHA-256), if any. */
  sameFileAs: string | null;
  createdAt: string;
  updatedAt: string;
  extractedAt: string | null;
  confirmedAt: string | null;
}

/** One VAT rate of a purchase invoice (BG-23). */
export interface PurchaseInvoiceVatView {
  /** BT-119, percent. */
  rate: string;
  /** BT-116. */
  base: string;
  /** BT-117. */
  amount: string;
}

/** One line of a purchase invoice (BG-25), when read. */
export interface PurchaseInvoiceLineView {
  /** BT-126. */
  lineId: string;
  /** BT-153. */
  name: string | null;
  /** BT-129. */
  quantity: string | null;
  /** BT-130. */
  unitCode: string | null;
  /** BT-146. */
  unitPrice: string | null;
  /** BT-131. */
  netAmount: string | null;
  /** BT-152. */
  vatRate: string | null;
}

/** A purchase invoice (schema `purchases`), as `GET /v1/purchase-invoices/:id` shows it. */
export interface PurchaseInvoiceView {
  id: string;
  status: 'draft' | 'confirmed';
  /** `ocr` (made from a document) or `efactura` (the inbound e-Factura sync). */
  source: 'ocr' | 'efactura';
  sourceDocumentId: string | null;
  /** When this row was recorded as a flagged duplicate of another one (never counted twice). */
  duplicateOf: string | null;
  /** BG-4: BT-27 name, `cif` (CUI digits, the duplicate key), BT-31 VAT id (`RO…` when printed), BT-30 trade register. */
  supplier: { name: string | null; cif: string; vatId: string | null; tradeRegister: string | null };
  /** BG-7: BT-44 name, CUI digits. */
  buyer: { name: string | null; cif: string | null };
  series: string | null;
  /** BT-1 (series and number as printed together when there is a series). */
  number: string;
  /** BT-2. */
  issueDate: string;
  /** BT-9. */
  dueDate: string | null;
  /** BT-5. */
  currency: string;
  /** BT-109, BT-110, BT-115. */
  totals: { net: string | null; vat: string | null; payable: string | null };
  vat: PurchaseInvoiceVatView[];
  /** BT-84. */
  iban: string | null;
  lines: PurchaseInvoiceLineView[];
  /** `Invoice` or `CreditNote` (UBL root; scans are `Invoice`). */
  documentType: 'Invoice' | 'CreditNote';
  /** Received through ANAF e-Factura (source `efactura`), else null. */
  efactura: PurchaseInvoiceEfacturaView | null;
  createdAt: string;
  updatedAt: string;
}

/** What a purchase invoice received through ANAF e-Factura (issue 10) also carries. */
export interface PurchaseInvoiceEfacturaView {
  /** ANAF `id_solicitare` of the supplier's upload: one purchase invoice per value. */
  idSolicitare: string;
  /** ANAF `id` of the message (descarcare id). */
  idDescarcare: string | null;
  /** The signed ZIP archived in the tenant bucket. */
  zipObjectKey: string | null;
  /** The ZIP's XMLDSig signature verified against the invoice. */
  signatureVerified: boolean | null;
  /** ANAF `data_creare` (ISO 8601). */
  receivedAt: string | null;
  /** BT-3. */
  typeCode: string | null;
  /** BT-6 and BT-111 (VAT total in the accounting currency). */
  taxCurrency: string | null;
  vatTotalTaxCurrency: string | null;
  /** BT-106, BT-107, BT-108, BT-113, BT-114. */
  lineNetTotal: string | null;
  allowanceTotal: string | null;
  chargeTotal: string | null;
  prepaidTotal: string | null;
  roundingAmount: string | null;
  /** BT-25. */
  precedingInvoice: string | null;
  /** Taxpayer lookup (PlatitorTvaRest v9) of the supplier on the issue date; null when not checked. */
  supplierCheck: { found: boolean | null; vatRegistered: boolean | null; inactive: boolean | null; checkedAt: string | null } | null;
}

/** Answer of `POST /v1/documents/:id/confirm`. */
export interface ConfirmResult {
  document: DocumentView;
  purchaseInvoice: PurchaseInvoiceView;
}
