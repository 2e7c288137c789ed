/**
 * @cetate/documents-extraction — Romanian invoice field extraction from OCR words (issue 9, item 3).
 * Pure domain code: no OCR engine, no I/O. See README.md for the shapes, the rules and their sources.
 */
export type { BBox, OcrWord, OcrPage, Field, ExtractedParty, ExtractedVatBreakdown, ExtractedInvoice } from './types.js';
export { extractInvoice } from './extract.js';
export { normalizeDiacritics, foldForMatch, repairDigitWord } from './text.js';
export { isValidCif, cifControlDigit, compactCif, cifDigits, readCif } from './cif.js';
export { normalizeTradeRegister, readTradeRegister, tradeRegisterCheckDigit, isTradeRegisterCounty } from './trade-register.js';
export { parseRomanianAmount, formatMoney, findAmounts } from './amounts.js';
export { parseRomanianDate, findDates, isoDate, addDays, ROMANIAN_MONTHS } from './dates.js';
export { isValidIban, repairIban, findIbans } from './iban.js';
export { groupLines, makeLine } from './layout.js';
export { vatOf, vatRatesInForce, amountsAgree, KNOWN_VAT_RATES } from './totals.js';
export { hasCompanySuffix } from './parties.js';
