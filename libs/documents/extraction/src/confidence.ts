/**
 * How the confidence of a field is made: the OCR confidence of the words read (the lowest of them)
 * times factors for how the value was found and what checked it. Every factor is ≤ 1 except the
 * agreement bonus, and the result is clamped to 0..1 and rounded to 3 decimals.
 */

/** Factor for where the value was, relative to its label. */
export const PLACE = {
  /** On the label's line, right after it ("CIF: RO123"). */
  sameLine: 0.97,
  /** Same row, in another column/line of the engine, right of the label. */
  sameRow: 0.92,
  /** Under the label (table header, stacked form). */
  below: 0.88,
  /** No label: recognised by its shape only (an `RO…` CIF with a valid check digit, a lone IBAN). */
  shapeOnly: 0.7,
  /** A guess from the page order (first date of the page taken as the issue date...). */
  guess: 0.45,
} as const;

/** Factors for what was checked or corrected. */
export const CHECK = {
  /** A check digit or checksum passed (CIF, IBAN, 2024 trade register number). */
  checkDigitPassed: 1,
  /** A check digit failed: the value is kept only as a hint. */
  checkDigitFailed: 0.1,
  /** Look-alike letters were read as digits (O→0, l→1...) for the value to make sense. */
  repaired: 0.85,
  /** Separator with exactly 3 digits after it ("1.234"): read as thousands. */
  ambiguousNumber: 0.8,
  /** 2-digit year read as 20yy. */
  shortYear: 0.9,
  /** Totals or VAT amounts that do not add up: every amount involved. */
  crossCheckFailed: 0.5,
  /** Value computed from others (the missing third total): times the lowest of theirs. */
  derived: 0.75,
} as const;

/** Bonus for totals that agree with each other: the confidence moves this fraction towards 1. */
export const AGREEMENT_BONUS = 0.3;

/** Confidence from the OCR confidence and the factors; clamped to 0..1, 3 decimals. */
export function combine(ocr: number, ...factors: number[]): number {
  let c = Number.isFinite(ocr) ? ocr : 0;
  for (const f of factors) c *= f;
  return round3(Math.min(1, Math.max(0, c)));
}

/** Raises a confidence for an agreement with another reading (see {@link AGREEMENT_BONUS}). */
export function agree(confidence: number): number {
  return round3(confidence + (1 - confidence) * AGREEMENT_BONUS);
}

/** Rounds to 3 decimals. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
