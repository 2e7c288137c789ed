import Decimal from 'decimal.js';

/**
 * The xs:decimal values of the EN 16931 arithmetic rules (BR-CO-10..17, BR-x-08/09), computed exactly
 * with JavaScript integers while they are small, and with decimal.js (as the rules always did) as
 * soon as they are not.
 *
 * Why the results are the same as decimal.js's: a value is `m / 10^s` with `m` a safe integer of at
 * most 15 significant digits. decimal.js (default precision: 20 significant digits) rounds the result
 * of `plus`, `minus`, `times` and `div` only when it has more than 20 significant digits; the exact
 * result of these operations on such small values is computed here only when it is itself a safe
 * integer (at most 15-16 digits), so decimal.js would not have rounded it either. Any other case
 * (a literal of more than 15 digits, an overflowing product, a global Decimal precision below 16) is
 * handed to decimal.js with the same operands, so it rounds exactly as before. `toDecimalPlaces` with
 * ROUND_HALF_CEIL and comparisons are exact in both.
 */
export class ExactDecimal {
  private constructor(
    /** Mantissa (a safe integer) when `d` is undefined. */
    private readonly m: number,
    /** Scale: the value is m / 10^s. */
    private readonly s: number,
    /** The decimal.js value, once the value is not a small exact one. */
    private readonly d: Decimal | undefined,
  ) {}

  static readonly ZERO = new ExactDecimal(0, 0, undefined);
  static readonly ONE = new ExactDecimal(1, 0, undefined);

  /** An exact value m / 10^s (m a safe integer). */
  static scaled(m: number, s: number): ExactDecimal {
    return ExactDecimal.exact(m, s) ?? ExactDecimal.ofDecimal(new Decimal(toText(m, s)));
  }

  /** The mantissas of `a` and `b` at their common scale (undefined when one leaves the safe range), and that scale. */
  private static align(a: ExactDecimal, b: ExactDecimal): [number | undefined, number | undefined, number] {
    if (a.s === b.s) return [a.m, b.m, a.s];
    const s = Math.max(a.s, b.s);
    const x = a.s === s ? a.m : a.m * 10 ** (s - a.s);
    const y = b.s === s ? b.m : b.m * 10 ** (s - b.s);
    return [Number.isSafeInteger(x) ? x : undefined, Number.isSafeInteger(y) ? y : undefined, s];
  }

  /** From a valid xs:decimal literal (optional sign, digits, at most one `.`; see xpath-nodes.ts `decimalText`). */
  static of(t: string): ExactDecimal {
    const { neg, m, digits, scale } = scanDecimalLiteral(t);
    if (digits > MAX_DIGITS || scale > MAX_SCALE || !exactAllowed()) return new ExactDecimal(0, 0, new Decimal(t));
    return new ExactDecimal(neg ? -m : m, scale, undefined);
  }

  /** From a Decimal (kept as is). */
  static ofDecimal(d: Decimal): ExactDecimal {
    return new ExactDecimal(0, 0, d);
  }

  /** `new Decimal(x)` for a JavaScript number (decimal.js reads it as `String(x)`). */
  static ofNumber(x: number): ExactDecimal {
    if (Number.isFinite(x)) {
      const t = String(x);
      if (!t.includes('e')) return ExactDecimal.of(t);
    }
    return new ExactDecimal(0, 0, new Decimal(x));
  }

  private static exact(m: number, s: number): ExactDecimal | undefined {
    return Number.isSafeInteger(m) && s <= MAX_SCALE ? new ExactDecimal(m, s, undefined) : undefined;
  }

  /** The value as a decimal.js Decimal (exact). */
  toDecimal(): Decimal {
    return this.d ?? new Decimal(toText(this.m, this.s));
  }

  plus(o: ExactDecimal): ExactDecimal {
    if (this.d === undefined && o.d === undefined) {
      const [a, b, s] = ExactDecimal.align(this, o);
      const r = a !== undefined && b !== undefined ? ExactDecimal.exact(a + b, s) : undefined;
      if (r) return r;
    }
    return ExactDecimal.ofDecimal(this.toDecimal().plus(o.toDecimal()));
  }

  minus(o: ExactDecimal): ExactDecimal {
    if (this.d === undefined && o.d === undefined) {
      const [a, b, s] = ExactDecimal.align(this, o);
      const r = a !== undefined && b !== undefined ? ExactDecimal.exact(a - b, s) : undefined;
      if (r) return r;
    }
    return ExactDecimal.ofDecimal(this.toDecimal().minus(o.toDecimal()));
  }

  times(o: ExactDecimal): ExactDecimal {
    if (this.d === undefined && o.d === undefined) {
      const r = ExactDecimal.exact(this.m * o.m, this.s + o.s);
      if (r) return r;
    }
    return ExactDecimal.ofDecimal(this.toDecimal().times(o.toDecimal()));
  }

  /** `x div 100`. */
  div100(): ExactDecimal {
    if (this.d === undefined) {
      const r = ExactDecimal.exact(this.m, this.s + 2);
      if (r) return r;
    }
    return ExactDecimal.ofDecimal(this.toDecimal().div(100));
  }

  abs(): ExactDecimal {
    if (this.d === undefined) return this.m < 0 ? new ExactDecimal(-this.m, this.s, undefined) : this;
    return ExactDecimal.ofDecimal(this.d.abs());
  }

  /** decimal.js `toDecimalPlaces(dp, ROUND_HALF_CEIL)`: halves towards positive infinity. */
  roundHalfCeil(dp: number): ExactDecimal {
    if (this.d === undefined && this.s - dp <= MAX_DIGITS) {
      if (this.s <= dp) return this;
      const p = 10 ** (this.s - dp);
      let q = Math.floor(this.m / p);
      let r = this.m - q * p;
      // the floating quotient can be off by one: settle q so that 0 <= r < p
      if (r < 0) {
        q -= 1;
        r += p;
      } else if (r >= p) {
        q += 1;
        r -= p;
      }
      return new ExactDecimal(2 * r >= p ? q + 1 : q, dp, undefined);
    }
    return ExactDecimal.ofDecimal(this.toDecimal().toDecimalPlaces(dp, Decimal.ROUND_HALF_CEIL));
  }

  /** XPath 2.0 `round(x * 10 * 10) div 100` (xpath-lite.ts `round2`). */
  round2(): ExactDecimal {
    if (this.d === undefined) return this.roundHalfCeil(2);
    return ExactDecimal.ofDecimal(this.d.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL).div(100));
  }

  /** -1, 0 or 1. */
  cmp(o: ExactDecimal): number {
    if (this.d === undefined && o.d === undefined) {
      const [a, b] = ExactDecimal.align(this, o);
      if (a !== undefined && b !== undefined) return a < b ? -1 : a > b ? 1 : 0;
      const s = Math.max(this.s, o.s);
      const x = BigInt(this.m) * 10n ** BigInt(s - this.s);
      const y = BigInt(o.m) * 10n ** BigInt(s - o.s);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return this.toDecimal().cmp(o.toDecimal());
  }

  eq(o: ExactDecimal): boolean {
    return this.cmp(o) === 0;
  }

  lt(o: ExactDecimal): boolean {
    return this.cmp(o) < 0;
  }

  gt(o: ExactDecimal): boolean {
    return this.cmp(o) > 0;
  }

  isZero(): boolean {
    return this.d === undefined ? this.m === 0 : this.d.isZero();
  }
}

/** Literals of at most this many significant digits are kept exact. */
const MAX_DIGITS = 15;
/** Largest scale kept exact. */
const MAX_SCALE = 30;
/** decimal.js must not round a 16-digit result: its global precision must be at least 16 (default 20). */
const exactAllowed = () => Decimal.precision >= 16;

/** `m / 10^s` as a decimal literal. */
function toText(m: number, s: number): string {
  if (m === 0) return '0';
  const neg = m < 0;
  let d = String(Math.abs(m));
  if (s > 0) {
    d = d.padStart(s + 1, '0');
    d = `${d.slice(0, d.length - s)}.${d.slice(d.length - s)}`;
  }
  return neg ? `-${d}` : d;
}

/**
 * Reads a valid xs:decimal literal (optional sign, digits, at most one `.`) as an integer mantissa:
 * `value = (neg ? -m : m) / 10^scale`. `digits` counts significant digits (leading zeros excluded);
 * `m` is exact only while `digits` <= 15 (callers check). Shared by {@link ExactDecimal.of} and the
 * exact sum of xpath-nodes.ts.
 */
export function scanDecimalLiteral(t: string): { neg: boolean; m: number; digits: number; scale: number } {
  let i = 0;
  let neg = false;
  const c0 = t.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i = 1;
  }
  let m = 0;
  let digits = 0;
  let scale = -1;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 46) {
      scale = 0;
      continue;
    }
    if (scale >= 0) scale++;
    if (digits > 0 || c !== 48) digits++;
    m = m * 10 + (c - 48);
  }
  return { neg, m, digits, scale: scale < 0 ? 0 : scale };
}
