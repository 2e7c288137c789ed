/**
 * Input and output shapes of the invoice field extraction (issue 9, item 3).
 *
 * Input: the words of the pages as an OCR engine (Tesseract TSV/hOCR) or a PDF text layer
 * (`pdftotext -bbox`) gives them. Output: the fields of the invoice, each with a confidence and the
 * place on the page where it was read. Nothing here depends on an OCR engine.
 */

/** Axis-aligned box in page coordinates (pixels or PDF points), origin top-left, `x0 < x1`, `y0 < y1`. */
export interface BBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One word read on a page. */
export interface OcrWord {
  /** The text of the word (no spaces inside; any Unicode form, normalised on input). */
  text: string;
  /** Where the word is on its page. */
  bbox: BBox;
  /** OCR confidence 0..1 (Tesseract gives 0..100: divide by 100; a PDF text layer is 1). */
  confidence: number;
  /** Line id on the page when the engine gives one (Tesseract block/par/line); absent: lines by geometry. */
  line?: number;
}

/** One page of the document. */
export interface OcrPage {
  /** 1-based page number. */
  page: number;
  /** Page width, same unit as the boxes. */
  width: number;
  /** Page height, same unit as the boxes. */
  height: number;
  words: OcrWord[];
}

/**
 * One extracted field: the value, a confidence 0..1 (OCR confidence of the words read, times how
 * the value was found: label strength, check digit, cross-checks; see confidence.ts) and where it
 * was read (for a value derived from other fields: the place of the first of them).
 */
export interface Field<T = string> {
  value: T;
  confidence: number;
  /** 1-based page number. */
  page: number;
  bbox: BBox;
}

/** A party of the invoice: seller (BG-4) or buyer (BG-7). Each member absent when not found. */
export interface ExtractedParty {
  /** BT-27 / BT-44 name, as printed (diacritics normalised). */
  name?: Field;
  /**
   * BT-31/BT-32 (seller) or BT-48/BT-47 (buyer): Romanian CUI/CIF that passed the check digit,
   * digits only, `RO` kept in front when printed (VAT registered): `"RO18547290"` or `"18547290"`.
   */
  cif?: Field;
  /** BT-30 / BT-47 trade register number, `J40/123/2020` (old format) or `J2024000123004` (2024 format). */
  tradeRegister?: Field;
}

/** VAT breakdown for one rate (BG-23): BT-119 rate, BT-116 taxable amount, BT-117 VAT amount. */
export interface ExtractedVatBreakdown {
  /** VAT rate in percent as a decimal string: `"21"`, `"9"`, `"5.5"`. */
  rate: string;
  /** BT-116 taxable amount, decimal string with 2 decimals. */
  base: string;
  /** BT-117 VAT amount, decimal string with 2 decimals. */
  amount: string;
  confidence: number;
  page: number;
  bbox: BBox;
}

/**
 * The fields of one invoice. A JSON print gives exactly what the acceptance CLI shows:
 * `supplier.cif`, `supplier.name`, `buyer.cif`, `number`, `series`, `issueDate`, `dueDate`,
 * `currency`, `netTotal`, `vatTotal`, `payableTotal`, `vat[]`, `iban`, each with its `confidence`.
 */
export interface ExtractedInvoice {
  supplier: ExtractedParty;
  buyer: ExtractedParty;
  /** Invoice series (the letters before the number), upper case: `"ABC"`. */
  series?: Field;
  /** BT-1 invoice number without the series, as printed (leading zeros kept): `"00123"`. */
  number?: Field;
  /** BT-2 issue date, ISO `yyyy-mm-dd`. */
  issueDate?: Field;
  /** BT-9 payment due date, ISO `yyyy-mm-dd`. */
  dueDate?: Field;
  /** BT-5 invoice currency, ISO 4217 (`"RON"` for "lei"/"RON"). */
  currency?: Field;
  /** BT-109 total without VAT, decimal string with 2 decimals. */
  netTotal?: Field;
  /** BT-110 total VAT, decimal string with 2 decimals. */
  vatTotal?: Field;
  /** BT-115 amount due for payment, decimal string with 2 decimals. */
  payableTotal?: Field;
  /** BG-23 VAT breakdown, one entry per rate, in the order read. */
  vat: ExtractedVatBreakdown[];
  /** BT-84 the supplier's payment account, ISO 13616 IBAN, compact upper case. */
  iban?: Field;
  /** What looked wrong: totals that disagree, values derived, check digits that failed. */
  warnings: string[];
}
