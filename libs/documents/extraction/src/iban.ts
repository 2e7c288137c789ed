/**
 * IBAN (ISO 13616-1:2020): country code, 2 check digits, the national account number (BBAN).
 *
 * Check: move the first 4 characters to the end, replace every letter by two digits (A = 10 ... Z = 35),
 * the number modulo 97 must be 1 (ISO 7064 MOD 97-10). A Romanian IBAN has 24 characters:
 * `RO` + 2 check digits + the 4-letter bank code (the first letters of the bank's BIC) + 16 letters or
 * digits (BNR Regulation 3/2004 on the IBAN in Romania). The IBAN is usually printed in groups of 4.
 */

/** IBAN lengths of the SEPA countries and Romania's neighbours (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18,
  FR: 27, GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MD: 24, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, RS: 22, SE: 24, SI: 19,
  SK: 24, SM: 27, TR: 26, UA: 29,
};

/** ISO 7064 MOD 97-10 remainder of an IBAN (letters as 10..35), computed in chunks (no big integers). */
function mod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const c of rearranged) {
    const code = c.charCodeAt(0);
    const v = code >= 65 ? code - 55 : code - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem;
}

/**
 * True when `iban` is a valid IBAN: spaces allowed, upper or lower case; known country lengths
 * ({@link IBAN_LENGTHS}) enforced, other countries 15-34 characters; Romania also needs the
 * `RO\d{2}[A-Z]{4}[A-Z0-9]{16}` shape; the MOD 97-10 check must give 1.
 * @example isValidIban('RO49 AAAA 1B31 0075 9384 0000') === true
 */
export function isValidIban(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const len = IBAN_LENGTHS[s.slice(0, 2)];
  if (len !== undefined && s.length !== len) return false;
  if (s.startsWith('RO') && !/^RO\d{2}[A-Z]{4}[A-Z0-9]{16}$/.test(s)) return false;
  return mod97(s) === 1;
}

/** Pairs that OCR confuses on printed IBANs: the letter and the digit it is mistaken for (both ways). */
const LETTER_TO_DIGIT: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1', S: '5', B: '8', Z: '2', G: '6' };
const DIGIT_TO_LETTER: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B', '2': 'Z', '6': 'G' };

/** Most characters changed when repairing (each change is one more chance of a false pass). */
const MAX_REPAIRS = 3;

/** Result of {@link repairIban}. */
export interface IbanRepair {
  /** Compact upper-case IBAN that passes {@link isValidIban}. */
  value: string;
  /** Number of characters changed (0: read correctly). */
  changes: number;
}

/**
 * Reads an IBAN printed with OCR confusions (O/0, I/1, L/1, S/5, B/8, Z/2, G/6). Spaces are removed,
 * case is ignored. An IBAN valid as read is kept, unless reading its lone look-alike letters between
 * digits as digits gives a valid IBAN too (then that one: a letter alone among digits is rare in an
 * account number, an OCR confusion is not). Fixed-type positions are read by their type (check digits as digits; the country
 * code and, for Romania, the bank code as letters); then, only if the check still fails, the letters
 * and digits of the account part are swapped for their look-alike, fewest changes first, up to
 * {@link MAX_REPAIRS} changes (letters read as digits first, the account part being mostly digits;
 * then both ways). A candidate is accepted only when the MOD 97-10 check passes, and only
 * when exactly one candidate passes with that fewest number of changes.
 * @returns undefined when nothing passes or the repair is ambiguous.
 */
export function repairIban(printed: string): IbanRepair | undefined {
  const s = printed.replace(/\s+/g, '').toUpperCase();
  if (s.length < 15 || s.length > 34) return undefined;
  if (isValidIban(s)) {
    // valid as read, but a lone O/I/L/S/B/Z/G among the digits of the account (digits or the end on
    // both sides) is far more often a misread digit than a letter: when the digit reading is valid
    // too, it wins
    const first = s.startsWith('RO') ? 8 : 4;
    const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
    const digits = [...s]
      .map((c, i) => {
        const lone = i >= first && LETTER_TO_DIGIT[c] !== undefined && (i === first || isDigit(s[i - 1])) && (i === s.length - 1 || isDigit(s[i + 1]));
        return lone ? LETTER_TO_DIGIT[c]! : c;
      })
      .join('');
    if (digits !== s && isValidIban(digits)) return { value: digits, changes: [...s].filter((c, i) => c !== digits[i]).length };
    return { value: s, changes: 0 };
  }
  const chars = [...s];
  let changes = 0;
  const setAt = (i: number, c: string | undefined) => {
    if (c !== undefined && chars[i] !== c) {
      chars[i] = c;
      changes++;
    }
  };
  for (const i of [0, 1]) setAt(i, DIGIT_TO_LETTER[chars[i]!]);
  for (const i of [2, 3]) setAt(i, LETTER_TO_DIGIT[chars[i]!]);
  const country = chars[0]! + chars[1]!;
  const romanian = country === 'RO';
  if (romanian) for (const i of [4, 5, 6, 7]) setAt(i, DIGIT_TO_LETTER[chars[i]!]);
  const fixed = chars.join('');
  if (isValidIban(fixed)) return { value: fixed, changes };
  const first = romanian ? 8 : 4;
  const letters: number[] = [];
  const all: number[] = [];
  for (let i = first; i < chars.length; i++) {
    const c = chars[i]!;
    if (LETTER_TO_DIGIT[c] !== undefined) letters.push(i);
    if (LETTER_TO_DIGIT[c] !== undefined || DIGIT_TO_LETTER[c] !== undefined) all.push(i);
  }
  // letters read in place of digits first (the account part is mostly digits), then both ways
  for (const positions of [letters, all]) {
    for (let k = 1; k <= MAX_REPAIRS - changes && k <= positions.length; k++) {
      const passing: string[] = [];
      for (const combo of combinations(positions, k)) {
        const trial = [...chars];
        for (const i of combo) trial[i] = LETTER_TO_DIGIT[trial[i]!] ?? DIGIT_TO_LETTER[trial[i]!]!;
        const candidate = trial.join('');
        if (isValidIban(candidate)) passing.push(candidate);
        if (passing.length > 1) return undefined;
      }
      if (passing.length === 1) return { value: passing[0]!, changes: changes + k };
    }
  }
  return undefined;
}

function* combinations(items: readonly number[], k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i <= items.length - (k - acc.length); i++) {
    acc.push(items[i]!);
    yield* combinations(items, k, i + 1, acc);
    acc.pop();
  }
}

/** An IBAN found in a text. */
export interface IbanToken extends IbanRepair {
  start: number;
  end: number;
}

/**
 * All IBANs in `text` (display text, any case), compact or in groups separated by single spaces.
 * A candidate starts with two letters (`R0` read as `RO`) and two digits or look-alikes, and takes
 * the letters and digits that follow, across single spaces or column gaps (groups of 4, or wherever
 * an OCR engine cut the words), up to the country's IBAN length, which must end a word; it is kept
 * only when {@link repairIban} accepts it.
 */
export function findIbans(text: string): IbanToken[] {
  const out: IbanToken[] = [];
  const re = /(?<![A-Za-z0-9])(?:[A-Za-z]{2}|R0)[0-9OISBZGLoislbzg]{2}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const country = m[0].slice(0, 2).toUpperCase().replace('0', 'O');
    const len = IBAN_LENGTHS[country];
    if (len === undefined) continue;
    let compact = '';
    let i = m.index;
    for (; i < text.length && compact.length < len; i++) {
      const c = text[i]!;
      if (/[A-Za-z0-9]/.test(c)) compact += c;
      else if ((c === ' ' || c === '\t') && /[A-Za-z0-9]/.test(text[i + 1] ?? '')) continue;
      else break;
    }
    if (compact.length !== len || /[A-Za-z0-9]/.test(text[i] ?? '')) continue;
    const repaired = repairIban(compact);
    if (repaired) {
      out.push({ ...repaired, start: m.index, end: i });
      re.lastIndex = i;
    }
  }
  return out;
}
