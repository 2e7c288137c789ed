/**
 * The Romanian CUI (cod unic de înregistrare, also "CIF" of a company) as typed in the UI: 2 to 10 digits, an
 * optional `RO` prefix (the VAT identifier, EN 16931 BT-31/BT-48) and spaces allowed. The check digit is ANAF's
 * algorithm (the same as the API's `isValidCif` of `@cetate/platform-tenancy`, which answers 400 `INVALID_CUI` /
 * `ANAF_COMPANY_INVALID` otherwise): the digits before the last one, left-padded with zeros to 9, are multiplied
 * by the key `753217532`; (sum × 10) mod 11, with 10 counting as 0, must equal the last digit.
 */

const KEY = '753217532';

/** The digits of a typed CUI (`RO 123` → `123`), or null when it is not `RO`? + 2..10 digits. */
export function cuiDigits(text: string): string | null {
  const s = text.replace(/\s+/g, '').toUpperCase().replace(/^RO/, '');
  return /^\d{2,10}$/.test(s) ? s : null;
}

/** True when `text` is a CUI (optionally `RO`-prefixed) whose check digit is right. */
export function isValidCui(text: string): boolean {
  const d = cuiDigits(text);
  if (!d) return false;
  const body = d.slice(0, -1).padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * Number(KEY[i]);
  const control = ((sum * 10) % 11) % 10;
  return control === Number(d[d.length - 1]);
}
