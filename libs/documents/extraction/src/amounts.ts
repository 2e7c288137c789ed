/**
 * Amounts as printed on Romanian invoices, read into exact decimal strings (decimal.js, never floats).
 *
 * Romanian usage (SR ISO 80000-1, the Romanian edition of the ISO units and numbers standard, and
 * what invoicing software prints) is a comma for decimals and a dot or a space between thousands:
 * `1.234,56`, `1 234,56`, `1234,56`. Invoices made by foreign or English-language software print
 * `1,234.56`. The separator that comes last decides (see {@link parseRomanianAmount}).
 */
import DecimalJs from 'decimal.js';

/** Private Decimal constructor: 40 significant digits, half-up (commercial rounding); never touches the global config. */
export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
/** A decimal value of this library's constructor. */
export type Dec = DecimalJs;

/** Result of {@link parseRomanianAmount}. */
export interface ParsedAmount {
  /** Exact decimal string, `.` for decimals, no thousands separator: `"1234.56"`, `"-12.5"`, `"1234"`. */
  value: string;
  /**
   * True when one separator followed by exactly 3 digits could be either (`"1.234"`, `"1,234"`): it is
   * read as a thousands separator (`"1234"`), the usual meaning on an invoice amount; callers lower
   * the confidence.
   */
  ambiguous: boolean;
}

/**
 * Reads one printed amount.
 * - Sign: a leading `-` (or the Unicode minus) or parentheses: `"(1.234,56)"` → `"-1234.56"`.
 * - When both `.` and `,` appear, the LAST one is the decimal separator and the other one groups
 *   thousands: `"1.234,56"` and `"1,234.56"` → `"1234.56"`.
 * - When only one of them appears: several times → thousands (`"1.234.567"`); once followed by 1, 2 or
 *   4 digits → decimals (`"1234,56"`, `"12.5"`); once followed by exactly 3 digits → thousands, flagged
 *   ambiguous (`"1.234"`), except after a lone `0` (`"0,125"` is 0.125).
 * - Spaces only between a first group of 1-3 digits and groups of exactly 3: `"1 234 567,89"`.
 * - The same separator several times with 2 digits after the last one (`"9,537,53"`, `"1.234.56"`) is
 *   an OCR misreading of the thousands separator: read with the last one as decimals, ambiguous.
 * - At most 4 decimals; integers do not start with `0` unless they are `0`.
 * @returns undefined when the text is not an amount written in one of these ways.
 */
export function parseRomanianAmount(text: string): ParsedAmount | undefined {
  // fast path, the usual printed amount: "25,00", "1.234,56", "1234.56"
  const quick = QUICK_AMOUNT.exec(text);
  if (quick) {
    const integer = quick[1]!.replace(/[.,]/g, '');
    if (quick[1]!.length === integer.length || quick[1]!.includes(quick[2] === ',' ? '.' : ',')) {
      if (!(integer.length > 1 && integer.startsWith('0'))) {
        const fraction = quick[3]!.replace(/0+$/, '');
        const zero = /^0*$/.test(integer) && fraction === '';
        return { value: zero ? '0' : `${integer}${fraction ? '.' + fraction : ''}`, ambiguous: false };
      }
    }
  }
  let s = text.trim().replace(/\u2212/g, '-');
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-')) {
    if (negative) return undefined;
    negative = true;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) {
    s = s.slice(1).trim();
  }
  if (!/^\d[\d., ]*$/.test(s) || !/\d$/.test(s)) return undefined;
  const groups = s.split(/[., ]/);
  const seps = s.replace(/\d/g, '');
  if (groups.some((g) => g === '')) return undefined; // two separators in a row
  let integerGroups = groups;
  let decimals = '';
  let ambiguous = false;
  const lastSep = seps[seps.length - 1];
  if (lastSep === '.' || lastSep === ',') {
    const other = lastSep === '.' ? ',' : '.';
    const lastGroup = groups[groups.length - 1]!;
    const onlyOnce = seps.indexOf(lastSep) === seps.length - 1;
    const decimalSep =
      seps.includes(other) || (onlyOnce && (lastGroup.length !== 3 || (groups.length === 2 && groups[0] === '0'))) || (!onlyOnce && lastGroup.length === 2);
    if (decimalSep) {
      if (!onlyOnce) {
        // "9,537,53": the same separator everywhere but 2 digits at the end is an OCR engine reading
        // the thousands dot as a comma (or the other way round): decimals, flagged ambiguous
        if (seps.includes(other) || lastGroup.length !== 2 || seps.includes(' ')) return undefined;
        ambiguous = true;
      }
      decimals = lastGroup;
      integerGroups = groups.slice(0, -1);
      if (!ambiguous && seps.slice(0, -1).replace(/ /g, '').split('').some((c) => c !== other)) return undefined;
    } else {
      if (seps.includes(other)) return undefined;
      ambiguous = onlyOnce && !seps.includes(' ');
    }
    if (decimals.length > 4) return undefined;
  }
  // every separator left groups thousands: first group 1-3 digits (or any when there is none), then 3
  if (integerGroups.length > 1) {
    if (integerGroups[0]!.length > 3 || integerGroups.slice(1).some((g) => g.length !== 3)) return undefined;
  }
  const integer = integerGroups.join('');
  if (integer.length > 1 && integer.startsWith('0')) return undefined;
  // canonical decimal string without a Decimal round trip (this runs for every number of a page)
  const fraction = decimals.replace(/0+$/, '');
  const zero = /^0*$/.test(integer) && fraction === '';
  const value = zero ? '0' : `${negative ? '-' : ''}${integer}${fraction ? '.' + fraction : ''}`;
  return { value, ambiguous };
}

/** Unsigned amount with 2 decimals: plain integer part or 1-3 digits + groups of 3 with the OTHER separator. */
const QUICK_AMOUNT = /^(\d+|\d{1,3}(?:[.,]\d{3})+)([.,])(\d{2})$/;

/** Rounds to 2 decimals, half up (ties away from zero), and writes them: `"1234.50"`, never `"-0.00"`. */
export function formatMoney(value: string | Dec): string {
  const r = new Dec(value).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  return r.isZero() ? '0.00' : r.toFixed(2);
}

/** An amount found in a text by {@link findAmounts}. */
export interface AmountToken extends ParsedAmount {
  start: number;
  end: number;
}

const DIGIT = /\d/g;

/** At a given index: a space, a thousands separator, full groups of 3 and optional decimals (`" .466,05"`). */
const APART = / ([.,])(\d{3}(?:\1\d{3})*(?:[.,]\d{2})?)(?![\d.,])/y;

/**
 * At a given index: a space, the decimal separator unless the run before ends with it, and exactly 2
 * decimals not followed by more of a number or a `%` (`" 56"` of `"304246. 56"`, `" ,35"` of `"137247 ,35"`).
 */
const DECIMALS_APART = / ([.,]?)(\d{2})(?![\d.,%]| %)/y;

/** A run that ends with its decimal separator: 2+ integer digits, or groups of 3 (`"304246."`, `"1.234,"`). */
const OPEN_DECIMALS = /^\(?-?(?:\d{2,}|\d{1,3}(?:[.,]\d{3})+)[.,]$/;
/** A whole-number run of 3+ digits, or groups of 3, that a set-apart `,35` may complete. */
const WHOLE = /^\(?-?(?:\d{3,}|\d{1,3}(?:[.,]\d{3})+)$/;

/** Currency words that may stick to an amount (`1.210,00lei`). */
const STUCK_CURRENCY = /^(?:lei|ron|eur|euro|usd|€|\$|£)/i;

/**
 * All amounts in `text[from, to)`, in order. A number glued to letters or digits (`RO123`, `J40/1`),
 * a percentage (`21%`, `21 %`) or a date (`12.03.2025`, `2025-03-12`) is not an amount. Two runs of
 * digits separated by ONE space are one amount when the left run is 1-3 digits (or already such
 * groups) and the right one starts with exactly 3 digits (`1 234,56`); wider gaps (tabs) always split.
 * A space BEFORE a thousands separator (`22 .466,05`, `1 ,234.56`: Tesseract on monospaced fonts,
 * where the dot gets a cell of its own) is read as one amount when the left run is 1-3 digits and
 * the separator is followed by exactly 3 digits and then decimals or more groups. Likewise a space
 * AFTER the decimal separator (`304246. 56`, Tesseract on Courier, measured on the test set's `compact`
 * layout) is one amount when the left run has 2+ integer digits (or groups of 3) and the right one is
 * exactly 2 digits not followed by more of a number or a `%`; a space BEFORE it (`137247 ,35`) when
 * the left run has 3+ digits (or groups of 3).
 */
export function findAmounts(text: string, from = 0, to = text.length): AmountToken[] {
  const re = /(?<![\w.,/-])(?:\(\s?)?-?\d[\d.,]*(?:\s?\))?/g;
  DIGIT.lastIndex = from;
  const firstDigit = DIGIT.exec(text);
  if (!firstDigit || firstDigit.index >= to) return [];
  re.lastIndex = Math.max(from, firstDigit.index - 2);
  const runs: { start: number; end: number; raw: string }[] = [];
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    let end = Math.min(to, m.index + m[0].length);
    // "22 .466,05": the thousands separator set apart by a space; one amount, the space dropped
    APART.lastIndex = end;
    const apart = text[end] === ' ' && m[0].length <= 5 ? APART.exec(text) : null;
    if (apart && apart.index + apart[0].length <= to && /^\(?-?\d{1,3}$/.test(m[0]) && apart[2]!.length > 3) {
      const raw = m[0] + apart[1] + apart[2];
      if (parseRomanianAmount(raw)) {
        runs.push({ start: m.index, end: end + apart[0].length, raw });
        re.lastIndex = end + apart[0].length;
        continue;
      }
    }
    // "304246. 56" / "137247 ,35": the 2 decimals set apart by a space after or before the decimal
    // separator (exactly one separator in all); one amount
    DECIMALS_APART.lastIndex = end;
    const open = OPEN_DECIMALS.test(m[0]);
    const decimals = text[end] === ' ' && (open || WHOLE.test(m[0])) ? DECIMALS_APART.exec(text) : null;
    if (decimals && decimals.index + decimals[0].length <= to && (decimals[1] === '') === open) {
      const raw = m[0] + decimals[1] + decimals[2];
      if (parseRomanianAmount(raw)) {
        runs.push({ start: m.index, end: end + decimals[0].length, raw });
        re.lastIndex = end + decimals[0].length;
        continue;
      }
    }
    // trailing punctuation is not part of the number ("1.210,00." "210,00,")
    while (end > m.index && (text[end - 1] === '.' || text[end - 1] === ',')) end--;
    const raw = text.slice(m.index, end);
    if (end < to) {
      const c = text[end]!;
      const c1 = end + 1 < to ? text[end + 1]! : '';
      if (c === '%' || (c === ' ' && c1 === '%') || ((c === '/' || c === '-') && c1 >= '0' && c1 <= '9')) continue;
      if (/[A-Za-z€$£]/.test(c) && !STUCK_CURRENCY.test(text.slice(end, Math.min(to, end + 4)))) continue;
    }
    runs.push({ start: m.index, end, raw });
  }
  const out: AmountToken[] = [];
  for (let i = 0; i < runs.length; i++) {
    const start = runs[i]!.start;
    let { end, raw } = runs[i]!;
    // merge "1 234 567,89" written with plain spaces between groups
    while (i + 1 < runs.length && runs[i + 1]!.start === end + 1 && text[end] === ' ' && /^\(?-?\d{1,3}(?: \d{3})*$/.test(raw)) {
      const next = runs[i + 1]!;
      if (!/^\d{3}(?:[.,]\d|\)?$)/.test(next.raw)) break;
      const merged = raw + ' ' + next.raw;
      if (!parseRomanianAmount(merged)) break;
      raw = merged;
      end = next.end;
      i++;
    }
    const parsed = parseRomanianAmount(raw);
    if (parsed) out.push({ ...parsed, start, end });
  }
  return out;
}
