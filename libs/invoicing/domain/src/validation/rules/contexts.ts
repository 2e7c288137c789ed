import type { XElement as Element } from '../../xml/xml-tree.js';
import type { ValidationContext } from '../validation-context.js';
import type { Ctx } from './rule-helpers.js';
import { chargeIndicatorIs, kids, matchPattern, perDoc, safeFilter } from './xpath-nodes.js';

/**
 * Rule contexts shared by the EN 16931 and the CIUS-RO rules (the same XSLT match patterns in both
 * artefacts), each computed once per document: the lines, and the allowances/charges of the document
 * and of the lines. ChargeIndicator is compared as xs:boolean (an indicator that is no xs:boolean
 * makes the pattern not match); an allowance/charge carrying both a `true` and a `false` indicator is
 * handled as an allowance only, like the artefacts (the allowance rule comes first in the pattern).
 */

/** `nodes` without those of `other`, in order. */
export function without(nodes: readonly Element[], other: readonly Element[]): Element[] {
  if (other.length === 0) return [...nodes];
  const skip = new Set(other);
  return nodes.filter((n) => !skip.has(n));
}

/** `cac:InvoiceLine | cac:CreditNoteLine`, anywhere in the document. */
export const allLines: Ctx = perDoc((c) => [...matchPattern(c, 'cac:InvoiceLine'), ...matchPattern(c, 'cac:CreditNoteLine')]);
/** Document level allowances (BG-20): root `cac:AllowanceCharge[cbc:ChargeIndicator = false()]`. */
export const docAllowances: Ctx = perDoc((c) => safeFilter(kids(c.root, 'cac:AllowanceCharge'), (a) => chargeIndicatorIs(a, false)));
/** Document level charges (BG-21): root `cac:AllowanceCharge[cbc:ChargeIndicator = true()]`, allowances excepted. */
export const docCharges: Ctx = perDoc((c) => without(safeFilter(kids(c.root, 'cac:AllowanceCharge'), (a) => chargeIndicatorIs(a, true)), docAllowances(c)));
/** `cac:AllowanceCharge` children of every line. */
const lineAcs = perDoc((c) => allLines(c).flatMap((l) => kids(l, 'cac:AllowanceCharge')));
/** Line allowances (BG-27): `//cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()]` (and credit note lines). */
export const lineAllowances: Ctx = perDoc((c) => safeFilter(lineAcs(c), (a) => chargeIndicatorIs(a, false)));
/** Line charges (BG-28), allowances excepted. */
export const lineCharges: Ctx = perDoc((c) => without(safeFilter(lineAcs(c), (a) => chargeIndicatorIs(a, true)), lineAllowances(c)));

/** A rule test on a line (BG-25). */
type LineTest = (line: Element, c: ValidationContext) => boolean;
const lineTests: LineTest[] = [];

/** The outcomes of every line test on every line of a document, computed line by line in one pass. */
interface LineTable {
  /** Row of each line of `allLines`. */
  readonly rows: ReadonlyMap<Element, number>;
  /** Number of tests per row. */
  readonly width: number;
  /** `rows.size * width` outcomes: 1 true, 0 false, 2 threw (the error is in `errors`). */
  readonly outcomes: Uint8Array;
  readonly errors: ReadonlyMap<number, unknown>;
}

/** Below this many lines the tests run rule by rule (the lines' elements stay in cache anyway). */
const TABLE_FROM_LINES = 16;

const lineTable = perDoc((c): LineTable | undefined => {
  const lines = allLines(c);
  if (lines.length < TABLE_FROM_LINES) return undefined;
  const width = lineTests.length;
  const rows = new Map<Element, number>();
  const outcomes = new Uint8Array(lines.length * width);
  const errors = new Map<number, unknown>();
  for (let r = 0; r < lines.length; r++) {
    const l = lines[r]!;
    rows.set(l, r);
    for (let i = 0; i < width; i++) {
      const at = r * width + i;
      try {
        outcomes[at] = lineTests[i]!(l, c) ? 1 : 0;
      } catch (e) {
        outcomes[at] = 2;
        errors.set(at, e);
      }
    }
  }
  return { rows, width, outcomes, errors };
});

/**
 * A rule test whose context is {@link allLines}, evaluated line-major in a document of many lines:
 * the first time one of these tests is asked about such a document, every such test runs on every
 * line, one line after the other (so each line's elements are read while they are in the
 * processor's cache, instead of once per rule over the whole document); the rule then reads its
 * outcome (true, false, or the error its test threw, thrown again). The tests are pure functions of
 * the document, so the order of evaluation changes no result. A node that is not one of the
 * document's lines, and any line of a document of few lines, is tested directly.
 */
export function lineTest(test: LineTest): (line: Element, c: ValidationContext) => boolean {
  const i = lineTests.push(test) - 1;
  return (line, c) => {
    const t = lineTable(c);
    const r = t?.rows.get(line);
    if (t === undefined || r === undefined || i >= t.width) return test(line, c);
    const at = r * t.width + i;
    const o = t.outcomes[at];
    if (o === 2) throw t.errors.get(at);
    return o === 1;
  };
}
