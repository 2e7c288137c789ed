/**
 * Romanian CUI/CIF (cod unic de înregistrare / cod de identificare fiscală).
 *
 * Rule (ANAF, the control digit of the CUI; the same algorithm as `isValidCif` of
 * libs/platform/tenancy, re-written here because a documents domain library may not import platform):
 * 2 to 10 digits, the last one is the control digit. The other digits, padded on the left with zeros
 * to 9, are multiplied one by one by the key `7 5 3 2 1 7 5 3 2`; the sum times 10, modulo 11, is the
 * control digit, a result of 10 counting as 0. An `RO` prefix means "registered for VAT" and is not
 * part of the number.
 */
import { DIGIT_LOOKALIKES } from './text.js';

const CIF_KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2] as const;

/**
 * Control digit of a CUI body (the digits without the last one, 1 to 9 of them).
 * @throws RangeError when `body` is not 1-9 digits.
 * @example cifControlDigit('1854729') === 0   // CUI 18547290
 */
export function cifControlDigit(body: string): number {
  if (!/^\d{1,9}$/.test(body)) throw new RangeError(`CUI body must be 1-9 digits, got "${body}"`);
  const padded = body.padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(padded[i]) * CIF_KEY[i]!;
  return ((sum * 10) % 11) % 10;
}

/**
 * True when `cif` is a Romanian CUI/CIF with a correct control digit. Accepts an `RO` prefix (any
 * case), spaces and dots inside (`"RO 185 472 90"`); nothing else.
 * @example isValidCif('RO18547290') === true; isValidCif('18547291') === false
 */
export function isValidCif(cif: string): boolean {
  const compact = compactCif(cif);
  if (compact === undefined) return false;
  const digits = compact.replace(/^RO/, '');
  return cifControlDigit(digits.slice(0, -1)) === Number(digits[digits.length - 1]);
}

/**
 * Compact form of a printed CIF: upper-case `RO` prefix kept when present, spaces and dots removed:
 * `"ro 185.472.90"` → `"RO18547290"`. `undefined` when what is left is not `(RO)?` + 2-10 digits not
 * starting with 0 (a CUI is a number: the zero padding of the control digit rule is never printed).
 * Does not check the control digit (see {@link isValidCif}).
 */
export function compactCif(cif: string): string | undefined {
  const compact = cif.replace(/[\s.]/g, '').toUpperCase();
  return /^(RO)?[1-9]\d{1,9}$/.test(compact) ? compact : undefined;
}

/** Digits of a CIF without the `RO` prefix: `"RO18547290"` → `"18547290"` (the key used to find duplicates). */
export function cifDigits(cif: string): string {
  return cif.replace(/[\s.]/g, '').toUpperCase().replace(/^RO/, '');
}

/** A CIF read from a text. */
export interface CifReading {
  /** Compact CIF, `RO` kept when printed: `"RO18547290"`. */
  value: string;
  /** Offsets in the scanned text of what was read (prefix included). */
  start: number;
  end: number;
  /** True when OCR look-alike letters had to be read as digits for the control digit to pass. */
  repaired: boolean;
  /** False when the control digit fails (then the value is NOT a CIF; callers give it a very low confidence). */
  valid: boolean;
}

/**
 * Reads the first CIF-looking token of `text` from `from`: optional `RO` (also `R0`, and `R 0` as
 * OCR engines split it; a CUI never starts with 0), optional space,
 * then 2-10 digits in one piece (look-alike letters allowed, see {@link DIGIT_LOOKALIKES}). When the token fails the control digit as read but passes after reading
 * the look-alikes as digits, the repaired value is returned with `repaired: true`.
 * @returns undefined when there is no such token.
 */
export function readCif(text: string, from = 0): CifReading | undefined {
  const re = /(?<![A-Za-z0-9])((?:R\s?[O0]|r\s?[o0])\s?)?([0-9OoIlSB]{2,10})(?![A-Za-z0-9])/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[2]!;
    if (!/\d/.test(raw)) continue;
    const prefix = m[1] ? 'RO' : '';
    const asRead = prefix + raw;
    const repairedDigits = [...raw].map((c) => DIGIT_LOOKALIKES[c] ?? c).join('');
    const start = m.index;
    const end = m.index + m[0].length;
    if (/^\d+$/.test(raw) && isValidCif(asRead)) return { value: asRead, start, end, repaired: false, valid: true };
    // "RO0195…": a CUI never starts with 0, the zero is the O of RO read twice
    if (prefix && /^0\d+$/.test(raw) && isValidCif(prefix + raw.replace(/^0+/, ''))) {
      return { value: prefix + raw.replace(/^0+/, ''), start, end, repaired: true, valid: true };
    }
    if (repairedDigits !== raw && isValidCif(prefix + repairedDigits)) {
      return { value: prefix + repairedDigits, start, end, repaired: true, valid: true };
    }
    if (/^\d+$/.test(raw)) return { value: asRead, start, end, repaired: false, valid: false };
  }
  return undefined;
}
