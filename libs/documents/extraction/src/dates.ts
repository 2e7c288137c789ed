/**
 * Dates as printed on Romanian invoices, read into ISO 8601 `yyyy-mm-dd` (BT-2, BT-9).
 *
 * Romanian order is day, month, year (`12.03.2025`, `12/03/2025`, `12-03-2025`, also with a 2-digit
 * year), ISO `2025-03-12` appears on software-made invoices, and the month may be written in words:
 * `12 martie 2025`, `12 mar. 2025`, with or without diacritics (Romanian month names have none, but
 * OCR adds or drops them around).
 */

/** Romanian month names and their usual abbreviations (lowercase, no diacritics) → month number. */
export const ROMANIAN_MONTHS: Readonly<Record<string, number>> = {
  ianuarie: 1, ian: 1,
  februarie: 2, feb: 2, febr: 2,
  martie: 3, mar: 3, mart: 3,
  aprilie: 4, apr: 4,
  mai: 5,
  iunie: 6, iun: 6,
  iulie: 7, iul: 7,
  august: 8, aug: 8,
  septembrie: 9, sep: 9, sept: 9,
  octombrie: 10, oct: 10,
  noiembrie: 11, noi: 11, nov: 11,
  decembrie: 12, dec: 12,
};

/** ISO date from its parts, or undefined when the day does not exist (31.04, 29.02 outside leap years). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < 1900 || year > 2199) return undefined;
  if (month < 1 || month > 12 || day < 1) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const MONTH_WORDS = Object.keys(ROMANIAN_MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

/**
 * Date patterns, on the matching key (lowercase, no diacritics):
 * 1. `dd.mm.yyyy`, `dd/mm/yyyy`, `dd-mm-yyyy` (same separator twice, spaces around it allowed),
 *    2-digit years read as 20yy;
 * 2. ISO `yyyy-mm-dd` (also `yyyy.mm.dd`);
 * 3. day, Romanian month name or abbreviation, year: `12 martie 2025`, `1 mai 2025`, `3 ian. 2025`.
 */
const DATE_RE = new RegExp(
  [
    String.raw`(?<![\d.,/])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?!\d|[.,]\d)`,
    String.raw`(?<![\d.,/])(\d{4})([-.])(\d{1,2})\6(\d{1,2})(?!\d|[.,]\d)`,
    String.raw`(?<![\d.,/])(\d{1,2})\s*(?:-\s*)?(${MONTH_WORDS})\.?\s*(?:-\s*)?(\d{4})(?!\d)`,
  ].join('|'),
  'g',
);

/** A date found in a text. */
export interface DateToken {
  /** ISO `yyyy-mm-dd`. */
  value: string;
  start: number;
  end: number;
  /** True for a 2-digit year (read as 20yy): callers lower the confidence. */
  shortYear: boolean;
}

/**
 * All dates in `key[from, to)` (the matching key: lowercase, no diacritics), in order; impossible
 * dates (`31.04.2025`) are skipped.
 */
export function findDates(key: string, from = 0, to = key.length): DateToken[] {
  const out: DateToken[] = [];
  DATE_RE.lastIndex = from;
  for (let m = DATE_RE.exec(key); m && m.index < to; m = DATE_RE.exec(key)) {
    const end = m.index + m[0].length;
    if (end > to) break;
    let iso: string | undefined;
    let shortYear = false;
    if (m[1] !== undefined) {
      shortYear = m[4]!.length === 2;
      iso = isoDate(shortYear ? 2000 + Number(m[4]) : Number(m[4]), Number(m[3]), Number(m[1]));
    } else if (m[5] !== undefined) {
      iso = isoDate(Number(m[5]), Number(m[7]), Number(m[8]));
    } else {
      iso = isoDate(Number(m[11]), ROMANIAN_MONTHS[m[10]!]!, Number(m[9]));
    }
    if (iso) out.push({ value: iso, start: m.index, end, shortYear });
  }
  return out;
}

/**
 * Reads a text that is one date in any of the supported forms (see {@link findDates}).
 * @example parseRomanianDate('12 Martie 2025') === '2025-03-12'; parseRomanianDate('31.04.2025') === undefined
 */
export function parseRomanianDate(text: string): string | undefined {
  const key = text
    .trim()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const found = findDates(key);
  return found.length === 1 && found[0]!.start === 0 && found[0]!.end === key.length ? found[0]!.value : undefined;
}

/** Adds whole days to an ISO date (UTC calendar): `addDays('2025-03-12', 30) === '2025-04-11'`. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
