/**
 * Money arithmetic for invoices: the ONE place where rounding is named.
 *
 * Every amount is a `decimal.js` value while computing and a decimal string at the edges. The
 * rounding rule of EN 16931 amounts (2 decimals, CIUS-RO BR-DEC-RO-*) is "half up" in the
 * commercial sense: ties go away from zero (2.345 → 2.35, −2.345 → −2.35), which is decimal.js
 * `ROUND_HALF_UP`. A zero result is always written "0.00", never "-0.00" (ANAF-EFACTURA.md pitfall 11).
 */
import DecimalJs from 'decimal.js';

/** Private Decimal constructor: 40 significant digits, half-up; never touches the global config. */
export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
/** A decimal value of this module's constructor. */
export type Dec = DecimalJs;

/** Number of decimals of every EN 16931 amount written by the builder (CIUS-RO BR-DEC-RO-*). */
export const MONEY_DECIMALS = 2;

/** Parses a decimal string (already validated by the contracts schema). Throws on garbage. */
export function dec(value: string | Dec): Dec {
  return new Dec(value);
}

/** Rounds to 2 decimals, ties away from zero; normalises −0 to 0. */
export function roundMoney(value: Dec): Dec {
  const r = value.toDecimalPlaces(MONEY_DECIMALS, Dec.ROUND_HALF_UP);
  return r.isZero() ? new Dec(0) : r;
}

/** Rounds to 2 decimals and writes them: "1234.50", "0.00" (never "-0.00", never exponent notation). */
export function formatMoney(value: Dec): string {
  return roundMoney(value).toFixed(MONEY_DECIMALS);
}

/** Sums decimal values exactly (no rounding). */
export function sum(values: Iterable<Dec>): Dec {
  let total = new Dec(0);
  for (const v of values) total = total.plus(v);
  return total;
}

/**
 * VAT of a taxable amount: round2(taxable × ratePercent / 100) (EN 16931 BR-CO-17, BR-S-09).
 * `ratePercent` "19" means 19 %.
 */
export function vatOf(taxable: Dec, ratePercent: Dec): Dec {
  return roundMoney(taxable.times(ratePercent).dividedBy(100));
}

/** Writes a non-money decimal (quantity, price, rate) without exponent and without "-0". */
export function formatDecimal(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed();
}
