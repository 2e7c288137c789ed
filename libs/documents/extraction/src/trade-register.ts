/**
 * Romanian trade register number (număr de ordine în registrul comerțului, ONRC), BT-30/BT-47.
 *
 * Two formats are in use (Law 265/2022 on the trade register; the new numbers are issued since
 * 2024-07-26, the old ones stay valid on documents printed before the company got its new number):
 * - old: type letter `J` (companies), `F` (PFA, individual and family enterprises) or `C`
 *   (cooperatives), the county code (1-40 alphabetically, 40 = Bucharest, 51 = Călărași,
 *   52 = Giurgiu), the order number and the year: `J40/123/2020`. The year is often printed as the
 *   full registration date (`J40/1234/12.03.2020`) and separators vary (`J40 1234 2020`, `J40-1234-2020`).
 * - 2024: no separators, 14 characters: type letter, year (4 digits), order number (6 digits),
 *   county code (2 digits: the old county for converted numbers, `00` for registrations after
 *   2024-07-26) and a check digit: the sum of the 12 digits plus the last digit of the letter's ASCII
 *   code (J → 4, F → 0, C → 7), modulo 10. Example: the old `J52/750/2012` became `J2012000750528`.
 *   Sources: ONRC announcement of the new format (2024); python-stdnum `stdnum.ro.onrc` (2025), whose
 *   published examples the tests use.
 */
import { DIGIT_LOOKALIKES } from './text.js';

/** County codes of the old format: 1-40 (40 = Bucharest), 51 (Călărași), 52 (Giurgiu). */
export function isTradeRegisterCounty(county: number): boolean {
  return (county >= 1 && county <= 40) || county === 51 || county === 52;
}

/** Last year in which old-format numbers were issued. */
const LAST_OLD_FORMAT_YEAR = 2024;

/** Check digit of a 2024-format number from its first 13 characters (letter + 12 digits). */
export function tradeRegisterCheckDigit(first13: string): number {
  if (!/^[JFC]\d{12}$/.test(first13)) throw new RangeError(`expected a letter J/F/C and 12 digits, got "${first13}"`);
  let sum = first13.charCodeAt(0) % 10;
  for (let i = 1; i < 13; i++) sum += Number(first13[i]);
  return sum % 10;
}

/**
 * Normalises and checks a trade register number in either format.
 * - old: `"J40/1234/12.03.2020"`, `"j 40 1234 2020"`, `"J/40/1234/2020"` → `"J40/1234/2020"` (county
 *   written with 2 digits, order number without leading zeros, year 1990-2024);
 * - 2024: `"J2012000750528"` → itself when the check digit, the year (1990-2100) and the county
 *   (`00` only from 2024, a valid county code only up to 2024) fit.
 * @returns the normalised number, or undefined when it is not a valid trade register number.
 */
export function normalizeTradeRegister(text: string): string | undefined {
  const t = text.trim().toUpperCase().replace(/^ROONRC\./, '');
  const compact = t.replace(/\s+/g, '');
  if (/^[JFC]\d{13}$/.test(compact)) return isValidNewFormat(compact) ? compact : undefined;
  const m = /^([JFC])\s*\/?\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,6})\s*[/.\- ]\s*(?:(\d{1,2})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*)?(\d{4})$/.exec(t);
  if (!m) return undefined;
  const county = Number(m[2]);
  const serial = Number(m[3]);
  const year = Number(m[6]);
  if (!isTradeRegisterCounty(county) || serial < 1 || year < 1990 || year > LAST_OLD_FORMAT_YEAR) return undefined;
  if (m[4] !== undefined && !isCalendarDate(year, Number(m[5]), Number(m[4]))) return undefined;
  return `${m[1]}${String(county).padStart(2, '0')}/${serial}/${year}`;
}

function isValidNewFormat(n: string): boolean {
  const year = Number(n.slice(1, 5));
  const county = Number(n.slice(11, 13));
  if (year < 1990 || year > 2100) return false;
  if (county === 0 ? year < 2024 : !isTradeRegisterCounty(county) || year > 2024) return false;
  return tradeRegisterCheckDigit(n.slice(0, 13)) === Number(n[13]);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A trade register number read from a text. */
export interface TradeRegisterReading {
  value: string;
  start: number;
  end: number;
  /** True when look-alike letters (O for 0, l for 1...) had to be read as digits. */
  repaired: boolean;
}

/**
 * Finds the first trade register number in `text` from `from` (either format, optional `ROONRC.`
 * EUID prefix, a space after the letter; look-alike letters in the digit positions, and `]` for J,
 * are read as such only when the result is then valid).
 */
export function readTradeRegister(text: string, from = 0): TradeRegisterReading | undefined {
  const d = '[0-9OoIlSB]';
  const re = new RegExp(
    `(?<![A-Za-z0-9])(?:ROONRC\\.)?([JFC\\]](?:\\s?${d}{13}|\\s*\\/?\\s*${d}{1,2}\\s*[/.\\- ]\\s*${d}{1,6}\\s*[/.\\- ]\\s*(?:${d}{1,2}\\s*[.\\-/]\\s*${d}{1,2}\\s*[.\\-/]\\s*)?${d}{4}))(?![A-Za-z0-9])`,
    'g',
  );
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[1]!.replace(/^\]/, 'J'); // "]40/1/2020": J read as a bracket
    const letter = raw[0]!;
    const rest = raw.slice(1);
    const asRead = normalizeTradeRegister(raw);
    if (asRead && /^[\d\s/.-]*$/.test(rest) && m[1]![0] !== ']') return { value: asRead, start: m.index, end: m.index + m[0].length, repaired: false };
    const fixed = normalizeTradeRegister(letter + [...rest].map((c) => DIGIT_LOOKALIKES[c] ?? c).join(''));
    if (fixed) return { value: fixed, start: m.index, end: m.index + m[0].length, repaired: true };
  }
  return undefined;
}
