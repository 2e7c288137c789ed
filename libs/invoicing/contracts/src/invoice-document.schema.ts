/**
 * The invoice document an accountant POSTs to create an outbound RO e-Factura invoice or credit note.
 *
 * Property names are readable English; the comment on each one gives the EN 16931 business term
 * (BT-n) or business group (BG-n) it carries. The UBL 2.1 / CIUS-RO XML is built from this document by
 * `buildCiusRoUbl` in `@cetate/invoicing-domain`; every computed amount (line nets, VAT breakdown,
 * document totals) is derived there and is NOT part of this input.
 *
 * Money and quantities are decimal STRINGS ("1234.50"), never JSON numbers: a JSON number is
 * rejected with an explicit issue, so no value ever passes through a binary float.
 *
 * Rules enforced here (each failing rule becomes a zod issue with the path of the offending field):
 * - structural: required fields, code lists, date format, string lengths (CIUS-RO 1.0.1 BR-RO-Lxxx);
 * - CIUS-RO 1.0.1: BR-RO-010 (BT-1 has a digit), BR-RO-020 (BT-3 list), BR-RO-030 (BT-6 = RON when
 *   BT-5 ≠ RON), BR-RO-065, BR-RO-081/082/091/092 (street and city), BR-RO-100/101 (SECTOR1..6 for
 *   RO-B), BR-RO-110/111 (ISO 3166-2:RO subdivision), BR-RO-120 (buyer BT-47 or BT-48), BR-RO-A020
 *   (≤ 20 notes), BR-RO-180/201/211 (delivery address: street, city, subdivision);
 * - EN 16931: BR-53 (BT-111 when BT-6), BR-CO-09 (VAT id country prefix), BR-CO-25 (due date or
 *   payment terms), BR-61 (account for credit transfer), BR-42/BR-44 (allowance/charge reason),
 *   BR-S-05, BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05, BR-O-05 (rate per category),
 *   BR-E-10 (exemption reason), BR-AE-02, BR-IC-02, BR-IC-11, BR-IC-12, BR-G-02, BR-O-02..04,
 *   BR-O-11 (category O alone), BR-S-10/BR-Z-10 (no exemption reason for S/Z).
 */
import { z } from 'zod';

/* ------------------------------------------------------------------------------------------------
 * Decimal strings
 * ---------------------------------------------------------------------------------------------- */

/** Builds the error callback shared by every decimal field: JSON numbers get a precise message. */
function decimalTypeError(what: string) {
  return (issue: { input?: unknown }) =>
    typeof issue.input === 'number'
      ? `${what} must be a decimal string such as "12.50", not a JSON number (binary floats lose cents)`
      : `${what} must be a decimal string`;
}

/**
 * A decimal string: optional minus, 1..15 integer digits without leading zeros, optional fraction of
 * 1..`maxDecimals` digits. Rejects exponents ("1e3"), "+", spaces, commas, "NaN", "Infinity".
 */
function decimalString(what: string, maxDecimals: number, opts: { negative?: boolean; positive?: boolean } = {}) {
  const sign = opts.negative ? '-?' : '';
  const re = new RegExp(`^${sign}(0|[1-9][0-9]{0,14})(\\.[0-9]{1,${maxDecimals}})?$`);
  return z
    .string({ error: decimalTypeError(what) })
    .refine((s) => re.test(s), {
      message: `${what} must match ${re.source} (at most ${maxDecimals} decimals${opts.negative ? '' : ', not negative'})`,
    })
    .refine((s) => !opts.positive || /[1-9]/.test(s), { message: `${what} must be greater than zero` });
}

/** Amount in the document currency, ≤ 2 decimals, ≥ 0 (CIUS-RO BR-DEC-RO-*: amounts have at most 2 decimals). */
export const AmountSchema = decimalString('amount', 2);
/** Signed amount, ≤ 2 decimals (e.g. BT-111 of a negative invoice). */
export const SignedAmountSchema = decimalString('amount', 2, { negative: true });
/** Quantity (BT-129), ≤ 6 decimals, may be negative (a negative 380 storno line). */
export const QuantitySchema = decimalString('quantity', 6, { negative: true });
/** Item net price (BT-146), ≤ 6 decimals, never negative (EN 16931 BR-27). */
export const UnitPriceSchema = decimalString('price', 6);
/** VAT rate in percent (BT-152/BT-96/BT-103), ≤ 2 decimals, e.g. "19", "9.00", "0". */
export const VatRateSchema = decimalString('VAT rate', 2).refine((s) => Number(s) <= 100, {
  message: 'VAT rate is a percentage between 0 and 100',
});
/** Exchange rate: units of BT-6 (RON) for 1 unit of BT-5, ≤ 6 decimals, > 0 (e.g. BNR "4.9756"). */
export const ExchangeRateSchema = decimalString('exchange rate', 6, { positive: true });

/** Calendar date `YYYY-MM-DD` without time zone (CIUS-RO BR-RO-DT001 forbids the `+02:00` suffix). */
export const IsoDateSchema = z.iso.date({ error: 'date must be YYYY-MM-DD' });

/* ------------------------------------------------------------------------------------------------
 * Code lists
 * ---------------------------------------------------------------------------------------------- */

/** Root element of the UBL document: `Invoice` (Invoice-2) or `CreditNote` (CreditNote-2). */
export const DocumentTypeSchema = z.enum(['Invoice', 'CreditNote']);

/**
 * BT-3 invoice type code, UNTDID 1001 restricted by CIUS-RO BR-RO-020: 380 invoice, 384 corrected
 * invoice, 389 self-billed invoice (upload with `autofactura=DA`), 751 invoice for accounting
 * purposes (all in `Invoice`); 381 credit note (only in `CreditNote`).
 */
export const InvoiceTypeCodeSchema = z.enum(['380', '381', '384', '389', '751']);

/**
 * BT-151 / BT-95 / BT-102 / BT-118 VAT category code (UNCL5305 subset of EN 16931):
 * S standard, Z zero rated, E exempt, AE reverse charge (taxare inversă), K intra-community supply,
 * G export outside the EU, O outside the scope of VAT. (L, M — Canary Islands, Ceuta/Melilla — are
 * not used by Romanian sellers and are not accepted.)
 */
export const VatCategorySchema = z.enum(['S', 'Z', 'E', 'AE', 'K', 'G', 'O']);

/**
 * ISO 3166-2:RO county codes accepted by CIUS-RO BR-RO-110/111 for BT-39 / BT-54 / BT-79 (CIUS-RO code
 * list ISO-3166-RO-CODES). The one copy: the validator's `ISO_3166_RO_CODES` is built from it.
 */
export const RO_COUNTY_CODES = [
  'RO-AB', 'RO-AG', 'RO-AR', 'RO-B', 'RO-BC', 'RO-BH', 'RO-BN', 'RO-BR', 'RO-BT', 'RO-BV', 'RO-BZ',
  'RO-CJ', 'RO-CL', 'RO-CS', 'RO-CT', 'RO-CV', 'RO-DB', 'RO-DJ', 'RO-GJ', 'RO-GL', 'RO-GR', 'RO-HD',
  'RO-HR', 'RO-IF', 'RO-IL', 'RO-IS', 'RO-MH', 'RO-MM', 'RO-MS', 'RO-NT', 'RO-OT', 'RO-PH', 'RO-SB',
  'RO-SJ', 'RO-SM', 'RO-SV', 'RO-TL', 'RO-TM', 'RO-TR', 'RO-VL', 'RO-VN', 'RO-VS',
] as const;

/**
 * City values required for Bucharest (`RO-B`) by CIUS-RO BR-RO-100/101 (code list SECTOR-RO). The one
 * copy: the validator's `SECTOR_RO_CODES` is built from it.
 */
export const RO_BUCHAREST_SECTORS = ['SECTOR1', 'SECTOR2', 'SECTOR3', 'SECTOR4', 'SECTOR5', 'SECTOR6'] as const;

const CurrencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 alphabetic currency code, e.g. RON, EUR');
const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. RO');
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * VAT identifier with its ISO 3166-1 country prefix (EN 16931 BR-CO-09; Greece uses "EL").
 * Romanian ones are `RO` + the CUI (2..10 digits, no leading zero), e.g. "RO18547290".
 */
export const VatIdentifierSchema = z
  .string()
  .trim()
  .regex(/^[A-Z]{2}[0-9A-Za-z+*.]{2,13}$/, 'VAT identifier must start with its 2-letter country prefix (BR-CO-09), e.g. RO18547290')
  .refine((s) => !s.startsWith('RO') || /^RO[1-9][0-9]{1,9}$/.test(s), {
    message: 'a Romanian VAT identifier is "RO" followed by the CUI digits (2..10 digits)',
  });

/* ------------------------------------------------------------------------------------------------
 * Parties
 * ---------------------------------------------------------------------------------------------- */

/**
 * Postal address. Seller BG-5 (BT-35..BT-40), buyer BG-8 (BT-50..BT-55), deliver-to BG-15
 * (BT-75..BT-80). CIUS-RO requires street and city (BR-RO-081/082/091/092/180/201); when the
 * country is RO the subdivision is an ISO 3166-2:RO code (BR-RO-110/111/212) and for `RO-B` the city
 * is `SECTOR1`..`SECTOR6` (BR-RO-100/101/202).
 */
export const PostalAddressSchema = z
  .object({
    /** BT-35 / BT-50 / BT-75 address line 1 (street and number). */
    street: text(150),
    /** BT-36 / BT-51 / BT-76 address line 2 (≤ 100 chars, BR-RO-L100). */
    additionalStreet: text(100).optional(),
    /** BT-37 / BT-52 / BT-77 city (≤ 50 chars, BR-RO-L050); SECTOR1..SECTOR6 in Bucharest. */
    city: text(50),
    /** BT-38 / BT-53 / BT-78 post code (≤ 20 chars, BR-RO-L020). */
    postalCode: text(20).optional(),
    /** BT-39 / BT-54 / BT-79 country subdivision: "RO-B", "RO-CJ"… (required for RO). */
    countrySubdivision: text(50).optional(),
    /** BT-40 / BT-55 / BT-80 country code (ISO 3166-1 alpha-2). */
    countryCode: CountryCodeSchema,
  })
  .superRefine((a, ctx) => {
    if (a.countryCode !== 'RO') return;
    if (!a.countrySubdivision || !(RO_COUNTY_CODES as readonly string[]).includes(a.countrySubdivision)) {
      ctx.addIssue({
        code: 'custom',
        path: ['countrySubdivision'],
        message: 'for country RO the subdivision must be an ISO 3166-2:RO code such as RO-B or RO-CJ (CIUS-RO BR-RO-110/111)',
      });
    } else if (a.countrySubdivision === 'RO-B' && !(RO_BUCHAREST_SECTORS as readonly string[]).includes(a.city)) {
      ctx.addIssue({
        code: 'custom',
        path: ['city'],
        message: 'for Bucharest (RO-B) the city must be SECTOR1..SECTOR6 (CIUS-RO BR-RO-100/101)',
      });
    }
  });
export type PostalAddress = z.infer<typeof PostalAddressSchema>;

/** Contact point: seller BG-6 (BT-41..BT-43) / buyer BG-9 (BT-56..BT-58). */
export const ContactSchema = z.object({
  /** BT-41 / BT-56 contact point name. */
  name: text(100).optional(),
  /** BT-42 / BT-57 telephone. */
  telephone: text(100).optional(),
  /** BT-43 / BT-58 e-mail. */
  email: z.email().max(100).optional(),
});

/**
 * A trading party: seller BG-4 or buyer BG-7. For the seller: name BT-27, trading name BT-28, legal
 * registration id BT-30, VAT id BT-31, tax registration id BT-32 (the CUI of a seller NOT registered
 * for VAT). For the buyer: name BT-44, trading name BT-45, legal registration id BT-47 (the CUI, a
 * person's CNP, or "0000000000000" for a consumer without CNP), VAT id BT-48.
 */
export const PartySchema = z.object({
  /** BT-27 / BT-44 registered name. */
  name: text(200),
  /** BT-28 / BT-45 trading name, if different. */
  tradingName: text(200).optional(),
  /** BT-30 / BT-47 legal registration identifier (CUI digits for RO companies, CNP or 13 zeros for persons). */
  legalRegistrationId: text(100).optional(),
  /** BT-31 / BT-48 VAT identifier with country prefix, e.g. "RO18547290". */
  vatIdentifier: VatIdentifierSchema.optional(),
  /** BT-32 seller tax registration identifier (CUI of a non-VAT-registered seller). Seller only. */
  taxRegistrationId: text(100).optional(),
  /** BG-5 / BG-8 postal address. */
  address: PostalAddressSchema,
  /** BG-6 / BG-9 contact. */
  contact: ContactSchema.optional(),
});
export type Party = z.infer<typeof PartySchema>;

/* ------------------------------------------------------------------------------------------------
 * Allowances, charges, lines
 * ---------------------------------------------------------------------------------------------- */

/**
 * Line allowance BG-27 (amount BT-136, reason BT-139, reason code BT-140 UNCL5189) or line charge
 * BG-28 (amount BT-141, reason BT-144, reason code BT-145 UNCL7161). One of reason / reason code is
 * required (EN 16931 BR-42 / BR-44). The amount is subtracted from (allowance) or added to (charge)
 * the line net amount BT-131.
 */
export const LineAllowanceChargeSchema = z
  .object({
    /** BT-136 / BT-141 amount without VAT, ≤ 2 decimals. */
    amount: AmountSchema,
    /** BT-139 / BT-144 reason text. */
    reason: text(100).optional(),
    /** BT-140 / BT-145 reason code (UNCL5189 for allowances, e.g. "95"; UNCL7161 for charges). */
    reasonCode: z.string().regex(/^[0-9A-Z]{1,3}$/).optional(),
  })
  .refine((a) => a.reason !== undefined || a.reasonCode !== undefined, {
    message: 'an allowance or charge needs a reason or a reason code (EN 16931 BR-42/BR-44)',
    path: ['reason'],
  });
export type LineAllowanceCharge = z.infer<typeof LineAllowanceChargeSchema>;

/**
 * Document level allowance BG-20 (amount BT-92, VAT category BT-95, rate BT-96, reason BT-97, reason
 * code BT-98) or charge BG-21 (BT-99, BT-102, BT-103, BT-104, BT-105). Reduces (allowance) or raises
 * (charge) the VAT taxable amount BT-116 of its (category, rate) and BT-109.
 */
export const DocumentAllowanceChargeSchema = z
  .object({
    /** BT-92 / BT-99 amount without VAT, ≤ 2 decimals. */
    amount: AmountSchema,
    /** BT-95 / BT-102 VAT category code. */
    vatCategory: VatCategorySchema,
    /** BT-96 / BT-103 VAT rate in percent (omit for category O). */
    vatRate: VatRateSchema.optional(),
    /** BT-97 / BT-104 reason text. */
    reason: text(100).optional(),
    /** BT-98 / BT-105 reason code. */
    reasonCode: z.string().regex(/^[0-9A-Z]{1,3}$/).optional(),
  })
  .refine((a) => a.reason !== undefined || a.reasonCode !== undefined, {
    message: 'an allowance or charge needs a reason or a reason code (EN 16931 BR-33/BR-38)',
    path: ['reason'],
  });
export type DocumentAllowanceCharge = z.infer<typeof DocumentAllowanceChargeSchema>;

/** Invoice line BG-25. Its net amount BT-131 = round2(quantity × price) − allowances + charges. */
export const InvoiceLineSchema = z.object({
  /** BT-126 line identifier, unique within the document. */
  id: text(50),
  /** BT-127 line note (≤ 300 chars, BR-RO-L300). */
  note: text(300).optional(),
  /** BT-129 invoiced quantity (decimal string, may be negative). */
  quantity: QuantitySchema,
  /** BT-130 unit of measure, UN/ECE Rec 20/21 code: "H87" piece, "C62" one, "KGM", "HUR", "MON"… */
  unitCode: z.string().regex(/^[A-Z0-9]{1,3}$/, 'UN/ECE Rec 20/21 unit code, e.g. H87, C62, KGM'),
  /** BT-153 item name (≤ 100 chars, BR-RO-L100). */
  itemName: text(100),
  /** BT-154 item description (≤ 200 chars, BR-RO-L200). */
  itemDescription: text(200).optional(),
  /** BT-155 seller's item identifier. */
  sellersItemId: text(100).optional(),
  /** BT-146 item net price per 1 unit of BT-130 (no base quantity), ≥ 0. */
  priceAmount: UnitPriceSchema,
  /** BT-151 invoiced item VAT category code. */
  vatCategory: VatCategorySchema,
  /** BT-152 invoiced item VAT rate in percent; omitted for category O (BR-O-05). */
  vatRate: VatRateSchema.optional(),
  /** BG-27 line allowances. */
  allowances: z.array(LineAllowanceChargeSchema).optional(),
  /** BG-28 line charges. */
  charges: z.array(LineAllowanceChargeSchema).optional(),
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

/** VAT exemption reason of one category in the VAT breakdown BG-23: BT-120 text, BT-121 VATEX code. */
export const VatExemptionSchema = z
  .object({
    /** BT-118 the category the reason applies to (not S or Z: BR-S-10, BR-Z-10). */
    vatCategory: z.enum(['E', 'AE', 'K', 'G', 'O']),
    /** BT-120 exemption reason text, e.g. "Scutit conform art. 292 alin. (2) lit. a) Cod fiscal". */
    reason: text(300).optional(),
    /** BT-121 exemption reason code (CEF VATEX), e.g. "VATEX-EU-AE". */
    reasonCode: z.string().regex(/^VATEX-[A-Z0-9-]+$/i).optional(),
  })
  .refine((e) => e.reason !== undefined || e.reasonCode !== undefined, {
    message: 'give an exemption reason text (BT-120) or code (BT-121)',
    path: ['reason'],
  });

/* ------------------------------------------------------------------------------------------------
 * The document
 * ---------------------------------------------------------------------------------------------- */

const CATEGORY_RATE_RULE: Record<string, string> = {
  S: 'BR-S-05',
  Z: 'BR-Z-05',
  E: 'BR-E-05',
  AE: 'BR-AE-05',
  K: 'BR-IC-05',
  G: 'BR-G-05',
  O: 'BR-O-05',
};

const InvoiceDocumentObject = z.object({
  /** Root element: `Invoice` or `CreditNote`. */
  documentType: DocumentTypeSchema,
  /** BT-1 invoice number (≤ 200 chars, BR-RO-L155; contains at least one digit, BR-RO-010). */
  number: text(200).refine((s) => /[0-9]/.test(s), {
    message: 'the invoice number must contain at least one digit (CIUS-RO BR-RO-010)',
  }),
  /** BT-2 issue date, YYYY-MM-DD. */
  issueDate: IsoDateSchema,
  /** BT-3 type code: 380/384/389/751 for `Invoice`, 381 for `CreditNote` (BR-RO-020). */
  typeCode: InvoiceTypeCodeSchema,
  /** BT-5 document currency (ISO 4217). */
  currencyCode: CurrencyCodeSchema,
  /** BT-6 VAT accounting currency: "RON" whenever BT-5 ≠ RON (CIUS-RO BR-RO-030). */
  taxCurrencyCode: z.literal('RON').optional(),
  /**
   * BT-111 total VAT in the accounting currency (RON), ≤ 2 decimals, when the accountant has it;
   * otherwise give `exchangeRate` and the builder computes round2(BT-110 × rate).
   */
  taxTotalInTaxCurrency: SignedAmountSchema.optional(),
  /** RON per 1 unit of BT-5 (e.g. the BNR rate of the tax point date), used to compute BT-111. */
  exchangeRate: ExchangeRateSchema.optional(),
  /** BT-9 payment due date (`Invoice`: cbc:DueDate; `CreditNote`: PaymentMeans/PaymentDueDate). */
  dueDate: IsoDateSchema.optional(),
  /** BT-20 payment terms text. */
  paymentTerms: text(300).optional(),
  /** BT-22 invoice notes (BG-1), at most 20 (BR-RO-A020), each ≤ 300 chars. */
  notes: z.array(text(300)).max(20, 'at most 20 notes (CIUS-RO BR-RO-A020)').optional(),
  /** BT-10 buyer reference. */
  buyerReference: text(200).optional(),
  /** BT-13 purchase order reference (≤ 200 chars, BR-RO-L0303). */
  orderReference: text(200).optional(),
  /** BG-3 preceding invoice reference; required for 381 and 384 (the invoice being credited/corrected). */
  precedingInvoice: z
    .object({
      /** BT-25 preceding invoice number. */
      number: text(200),
      /** BT-26 preceding invoice issue date. */
      issueDate: IsoDateSchema.optional(),
    })
    .optional(),
  /** BG-14 invoicing period: BT-73 start, BT-74 end. */
  invoicePeriod: z
    .object({ startDate: IsoDateSchema.optional(), endDate: IsoDateSchema.optional() })
    .refine((p) => p.startDate !== undefined || p.endDate !== undefined, 'give a start or an end date (BR-CO-19)')
    .optional(),
  /** BG-13 delivery information: BT-72 actual delivery date, BG-15 deliver-to address. */
  delivery: z
    .object({
      /** BT-72 actual delivery date. */
      actualDeliveryDate: IsoDateSchema.optional(),
      /** BG-15 deliver-to address (BT-75..BT-80). */
      address: PostalAddressSchema.optional(),
    })
    .optional(),
  /** BG-4 seller. */
  seller: PartySchema,
  /** BG-7 buyer (`taxRegistrationId` is not used for the buyer). */
  buyer: PartySchema.omit({ taxRegistrationId: true }),
  /** BG-16 payment instructions. */
  paymentMeans: z
    .object({
      /** BT-81 payment means code (UNCL4461): "30" credit transfer, "42" payment to bank account, "10" cash, "48" card, "31" debit transfer, "ZZZ". */
      code: z.string().regex(/^([0-9]{1,2}|ZZZ)$/, 'UNCL4461 payment means code'),
      /** BT-83 remittance information (≤ 140 chars, BR-RO-L140). */
      paymentId: text(140).optional(),
      /** BT-84 payment account identifier (IBAN), e.g. "RO49AAAA1B31007593840000". */
      account: z.string().trim().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'IBAN without spaces').optional(),
      /** BT-85 payment account name (≤ 200 chars). */
      accountName: text(200).optional(),
    })
    .optional(),
  /** BT-113 paid amount (prepaid), ≤ 2 decimals; BT-115 = BT-112 − BT-113. */
  prepaidAmount: AmountSchema.optional(),
  /** BG-20 document level allowances. */
  allowances: z.array(DocumentAllowanceChargeSchema).optional(),
  /** BG-21 document level charges. */
  charges: z.array(DocumentAllowanceChargeSchema).optional(),
  /** BT-120 / BT-121 per category; required for E, defaulted by the builder for AE, K, G, O. */
  vatExemptions: z.array(VatExemptionSchema).optional(),
  /** BG-25 invoice lines, at least one (BR-16). */
  lines: z.array(InvoiceLineSchema).min(1, 'at least one invoice line (EN 16931 BR-16)'),
});

/**
 * The invoice document (zod v4 schema). Parse untrusted JSON with `InvoiceDocumentSchema.safeParse`;
 * every violation is a zod issue whose `path` points at the field (e.g. `["lines", 0, "vatRate"]`)
 * and whose message names the EN 16931 / CIUS-RO rule.
 */
export const InvoiceDocumentSchema = InvoiceDocumentObject.superRefine((doc, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  // BT-3 vs root element (CIUS-RO BR-RO-020).
  if (doc.documentType === 'CreditNote' && doc.typeCode !== '381') {
    issue(['typeCode'], 'a CreditNote has type code 381 (CIUS-RO BR-RO-020)');
  }
  if (doc.documentType === 'Invoice' && doc.typeCode === '381') {
    issue(['typeCode'], 'type code 381 is a CreditNote document (CIUS-RO BR-RO-020)');
  }
  if ((doc.typeCode === '381' || doc.typeCode === '384') && !doc.precedingInvoice) {
    issue(['precedingInvoice'], 'a credit note (381) or corrected invoice (384) must reference the original invoice (BG-3, BT-25)');
  }

  // Currency (CIUS-RO BR-RO-030, EN 16931 BR-53).
  if (doc.currencyCode !== 'RON' && doc.taxCurrencyCode !== 'RON') {
    issue(['taxCurrencyCode'], 'when the invoice currency (BT-5) is not RON, the VAT accounting currency (BT-6) must be RON (CIUS-RO BR-RO-030)');
  }
  if (doc.taxCurrencyCode !== undefined && doc.taxCurrencyCode === doc.currencyCode) {
    issue(['taxCurrencyCode'], 'BT-6 is only given when it differs from BT-5');
  }
  if (doc.taxCurrencyCode !== undefined && doc.taxTotalInTaxCurrency === undefined && doc.exchangeRate === undefined) {
    issue(['exchangeRate'], 'with BT-6 the VAT total in RON (BT-111) is required: give taxTotalInTaxCurrency or exchangeRate (EN 16931 BR-53)');
  }
  if (doc.taxCurrencyCode === undefined && (doc.taxTotalInTaxCurrency !== undefined || doc.exchangeRate !== undefined)) {
    issue(['taxCurrencyCode'], 'taxTotalInTaxCurrency / exchangeRate need taxCurrencyCode RON');
  }

  // BR-CO-25: a positive amount due needs a due date or payment terms (checked for every document).
  if (doc.dueDate === undefined && doc.paymentTerms === undefined) {
    issue(['dueDate'], 'give the payment due date (BT-9) or payment terms (BT-20) (EN 16931 BR-CO-25)');
  }
  if (doc.documentType === 'CreditNote' && doc.dueDate !== undefined && !doc.paymentMeans) {
    issue(['paymentMeans'], 'in a UBL CreditNote the due date (BT-9) is carried by PaymentMeans: give paymentMeans');
  }
  // BR-61: credit transfer needs the account.
  if (doc.paymentMeans && ['30', '58'].includes(doc.paymentMeans.code) && !doc.paymentMeans.account) {
    issue(['paymentMeans', 'account'], 'credit transfer (30/58) needs the payment account identifier BT-84 (EN 16931 BR-61)');
  }

  // Lines: unique ids, rate per category.
  const ids = new Set<string>();
  const categories = new Set<string>();
  const checkRate = (path: (string | number)[], category: string, rate: string | undefined) => {
    categories.add(category);
    const rule = CATEGORY_RATE_RULE[category];
    if (category === 'O') {
      if (rate !== undefined) issue(path, `category O carries no VAT rate (EN 16931 ${rule})`);
    } else if (rate === undefined) {
      issue(path, `category ${category} needs a VAT rate (EN 16931 ${rule})`);
    } else if (category === 'S') {
      if (!/[1-9]/.test(rate)) issue(path, `category S needs a VAT rate greater than zero (EN 16931 ${rule})`);
    } else if (/[1-9]/.test(rate)) {
      issue(path, `category ${category} has VAT rate 0 (EN 16931 ${rule})`);
    }
  };
  doc.lines.forEach((line, i) => {
    if (ids.has(line.id)) issue(['lines', i, 'id'], `duplicate line id "${line.id}" (BT-126 must be unique)`);
    ids.add(line.id);
    checkRate(['lines', i, 'vatRate'], line.vatCategory, line.vatRate);
  });
  doc.allowances?.forEach((a, i) => checkRate(['allowances', i, 'vatRate'], a.vatCategory, a.vatRate));
  doc.charges?.forEach((c, i) => checkRate(['charges', i, 'vatRate'], c.vatCategory, c.vatRate));

  // Exemption reasons.
  const exemptions = new Map<string, number>();
  doc.vatExemptions?.forEach((e, i) => {
    if (exemptions.has(e.vatCategory)) issue(['vatExemptions', i, 'vatCategory'], `duplicate exemption for category ${e.vatCategory}`);
    exemptions.set(e.vatCategory, i);
    if (!categories.has(e.vatCategory)) issue(['vatExemptions', i, 'vatCategory'], `no line or allowance/charge uses category ${e.vatCategory}`);
  });
  if (categories.has('E') && !exemptions.has('E')) {
    issue(['vatExemptions'], 'category E (exempt) needs an exemption reason text or VATEX code (EN 16931 BR-E-10)');
  }

  // CIUS-RO BR-RO-211: a deliver-to address (BG-15) carries its country subdivision (BT-79), whatever the country.
  if (doc.delivery?.address && doc.delivery.address.countrySubdivision === undefined) {
    issue(['delivery', 'address', 'countrySubdivision'], 'a deliver-to address needs its country subdivision BT-79 (CIUS-RO BR-RO-211)');
  }

  // Party identifiers per category.
  const sellerVatOrTax = doc.seller.vatIdentifier !== undefined || doc.seller.taxRegistrationId !== undefined;
  const buyerVat = doc.buyer.vatIdentifier !== undefined;
  const buyerAnyId = buyerVat || doc.buyer.legalRegistrationId !== undefined;
  const onlyO = [...categories].every((c) => c === 'O');
  if (!onlyO && !sellerVatOrTax) {
    issue(['seller', 'vatIdentifier'], 'the seller needs a VAT identifier (BT-31) or tax registration identifier (BT-32) (CIUS-RO BR-RO-065, EN 16931 BR-S-02)');
  }
  if (!onlyO && !buyerAnyId) {
    issue(['buyer', 'legalRegistrationId'], 'the buyer needs a legal registration identifier (BT-47: CUI, CNP or 13 zeros) or a VAT identifier (BT-48) (CIUS-RO BR-RO-120)');
  }
  if (categories.has('AE') && !buyerAnyId) {
    issue(['buyer', 'vatIdentifier'], 'reverse charge (AE) needs the buyer VAT identifier or legal registration identifier (EN 16931 BR-AE-02)');
  }
  if (categories.has('K')) {
    if (doc.seller.vatIdentifier === undefined) issue(['seller', 'vatIdentifier'], 'intra-community supply (K) needs the seller VAT identifier (EN 16931 BR-IC-02)');
    if (!buyerVat) issue(['buyer', 'vatIdentifier'], 'intra-community supply (K) needs the buyer VAT identifier (EN 16931 BR-IC-02)');
    if (!doc.delivery?.actualDeliveryDate && !doc.invoicePeriod) {
      issue(['delivery', 'actualDeliveryDate'], 'intra-community supply (K) needs the actual delivery date (BT-72) or the invoicing period (BG-14) (EN 16931 BR-IC-11)');
    }
    if (!doc.delivery?.address) {
      issue(['delivery', 'address'], 'intra-community supply (K) needs the deliver-to country code (BT-80) (EN 16931 BR-IC-12)');
    }
  }
  if (categories.has('G') && doc.seller.vatIdentifier === undefined) {
    issue(['seller', 'vatIdentifier'], 'export (G) needs the seller VAT identifier (EN 16931 BR-G-02)');
  }
  if (categories.has('O')) {
    if (!onlyO) issue(['lines'], 'category O (outside the scope of VAT) cannot be mixed with other categories (EN 16931 BR-O-11)');
    if (doc.seller.vatIdentifier !== undefined) issue(['seller', 'vatIdentifier'], 'category O: the seller VAT identifier must not be given (EN 16931 BR-O-02)');
    if (doc.buyer.vatIdentifier !== undefined) issue(['buyer', 'vatIdentifier'], 'category O: the buyer VAT identifier must not be given (EN 16931 BR-O-02)');
  }
});

/** The validated invoice document (output type of `InvoiceDocumentSchema`). */
export type InvoiceDocument = z.infer<typeof InvoiceDocumentSchema>;
/** Accepted input shape (same as the output: the schema applies no transforms except trimming). */
export type InvoiceDocumentInput = z.input<typeof InvoiceDocumentSchema>;
