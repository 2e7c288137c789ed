/**
 * Decimal text typed by a person → the decimal string of the API (`"1234.5"`), never a float.
 *
 * Romanian users type a comma as decimal separator (`12,5`) and may group thousands with dots (`1.234,56`);
 * English users type `12.5`. Rule: when the text has a comma, dots are thousands separators and the comma is
 * the decimal point; without a comma, a dot is the decimal point. Spaces (also U+00A0, U+202F) are removed.
 * The result is checked by the API's zod schema (`QuantitySchema`, `UnitPriceSchema`), not here.
 */
export function normalizeDecimal(text: string): string {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (t.includes(',')) return t.replace(/\./g, '').replace(',', '.');
  return t;
}

/** True when `text` normalizes to a plain decimal (`-?digits[.digits]`), the only input `decimal.js` gets here. */
export function isDecimalText(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(normalizeDecimal(text));
}
