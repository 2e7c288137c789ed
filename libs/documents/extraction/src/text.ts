/**
 * Text normalisation for OCR words of Romanian invoices.
 *
 * Two forms of every line are kept, with the SAME length so that an offset found in one is valid in
 * the other (and maps back to the OCR words):
 * - the display form ({@link normalizeDiacritics}): Unicode NFC, the legacy cedilla letters ş/ţ
 *   written with the comma below (ș/ț, the correct Romanian letters, SR 13011), no-break and thin
 *   spaces as plain spaces, the minus sign as `-`;
 * - the matching key ({@link foldChar}): lowercase, without diacritics (labels are matched with and
 *   without them: "Scadența" and "Scadenta" give the same key).
 */

/** Cedilla letters (legacy fonts, old OCR models) and their comma-below equivalents. */
const CEDILLA_TO_COMMA: Readonly<Record<string, string>> = {
  '\u015F': '\u0219', // ş → ș
  '\u015E': '\u0218', // Ş → Ș
  '\u0163': '\u021B', // ţ → ț
  '\u0162': '\u021A', // Ţ → Ț
};

/** Characters replaced one for one in the display form (spaces and dashes seen in PDFs). */
const PLAIN: Readonly<Record<string, string>> = {
  '\u00A0': ' ', // no-break space
  '\u2007': ' ', // figure space
  '\u2009': ' ', // thin space
  '\u202F': ' ', // narrow no-break space
  '\u2212': '-', // minus sign
  '\u2013': '-', // en dash
  '\u2014': '-', // em dash
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Display form of an OCR text: NFC, ş/ţ (cedilla, U+015F/U+0163 and capitals) → ș/ț (comma below,
 * U+0219/U+021B), no-break/thin spaces → space, minus/en/em dash → `-`.
 * @example normalizeDiacritics('Scadenţa') === 'Scadența'
 */
export function normalizeDiacritics(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const nfc = text.normalize('NFC');
  let out = '';
  for (const c of nfc) out += CEDILLA_TO_COMMA[c] ?? PLAIN[c] ?? c;
  return out;
}

/** Letters folded to their base letter in the matching key (Romanian first, a few foreign ones). */
const FOLD: Readonly<Record<string, string>> = {
  ă: 'a', â: 'a', ã: 'a', á: 'a', à: 'a', ä: 'a',
  î: 'i', í: 'i', ì: 'i', ï: 'i',
  ș: 's', ş: 's', ś: 's', š: 's',
  ț: 't', ţ: 't',
  é: 'e', è: 'e', ê: 'e', ë: 'e',
  ó: 'o', ò: 'o', ô: 'o', ö: 'o', ő: 'o',
  ú: 'u', ù: 'u', û: 'u', ü: 'u', ű: 'u',
  ç: 'c', č: 'c', ñ: 'n',
};

/**
 * Matching-key form of ONE character: lowercase, diacritics removed. Always returns exactly one
 * UTF-16 unit for a one-unit input (a character whose lowercase is longer is kept as it is), so the
 * key of a text has the same length as the text.
 */
export function foldChar(c: string): string {
  const lower = c.toLowerCase();
  if (lower.length !== c.length) return c;
  return FOLD[lower] ?? lower;
}

/** Matching key of a text ({@link foldChar} on every character): `'Dată Scadenței'` → `'data scadentei'`. */
export function foldForMatch(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i++) out += foldChar(text[i]!);
  return out;
}

/**
 * Letters that OCR engines read in place of digits (Tesseract and others, on invoice fonts):
 * O/o/Q/D → 0, I/l/|/i/! → 1, Z/z → 2, S/s → 5, G/b → 6, B → 8, g/q → 9.
 */
export const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = {
  O: '0', o: '0', Q: '0', D: '0',
  I: '1', l: '1', '|': '1', i: '1', '!': '1',
  Z: '2', z: '2',
  S: '5', s: '5',
  G: '6', b: '6',
  B: '8',
  g: '9', q: '9',
};

/**
 * Repairs a word that is a number with a few letters misread for digits: `"1.2O0,5O"` → `"1.200,50"`,
 * `"2O25"` → `"2025"`. A word is repaired only when, besides number punctuation (`.,:/-+()%`), it has
 * only digits and {@link DIGIT_LOOKALIKES}, and either at least one real digit and no more
 * look-alikes than digits, or the full shape of an amount with 2 decimals (`"l.OOO,OO"`) or of a
 * date (`"l2.O3.2O25"`) once repaired; otherwise it is returned as is (so `"SRL"`, `"lei"` or
 * `"RO49"` are never touched). The result has the same length as the input.
 * @returns the repaired word and whether anything changed.
 */
export function repairDigitWord(word: string): { text: string; repaired: boolean } {
  let digits = 0;
  let lookalikes = 0;
  for (const c of word) {
    if (c >= '0' && c <= '9') digits++;
    else if (DIGIT_LOOKALIKES[c] !== undefined) lookalikes++;
    else if (!'.,:/-+()%'.includes(c)) return { text: word, repaired: false };
  }
  if (lookalikes === 0) return { text: word, repaired: false };
  let out = '';
  for (const c of word) out += DIGIT_LOOKALIKES[c] ?? c;
  // mostly letters: only when the result has the full shape of an amount or a date ("l.OOO,OO")
  if ((digits === 0 || lookalikes > digits) && !AMOUNT_SHAPE.test(out) && !DATE_SHAPE.test(out)) return { text: word, repaired: false };
  return { text: out, repaired: true };
}

/** An amount with 2 decimals, thousands grouped or not: `1.000,00`, `1000.00`, `(12,50)`. */
const AMOUNT_SHAPE = /^[(-]?(?:\d{1,3}(?:[.,]\d{3})+|\d+)[.,]\d{2}\)?$/;
/** A day-month-year date: `12.03.2025`. */
const DATE_SHAPE = /^\d{1,2}[./-]\d{1,2}[./-]\d{4}$/;
