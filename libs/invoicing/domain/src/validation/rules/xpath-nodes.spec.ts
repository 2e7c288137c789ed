import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { children, childAt, childrenAt } from '../../ubl/ubl-dom.js';
import { parseUblDocument } from '../../ubl/parse-ubl-document.js';
import { UBL_PREFIXES } from '../../ubl/ubl-namespaces.js';
import type { XElement } from '../../xml/xml-tree.js';
import { ValidationContext } from '../validation-context.js';
import { decimalsAfterDot, normalizeSpace, round2, stringLength } from '../xpath-lite.js';
import { ExactDecimal } from './exact-decimal.js';
import {
  atMost,
  countAt,
  DecimalSum,
  decimalKey,
  decimalText,
  documentWalk,
  firstAt,
  hasAt,
  kid,
  kids,
  matchPattern,
  nodesAt,
  nonEmptyAt,
  single,
  singleAt,
  someAt,
  sumDec,
  trimXml,
  XPathDynamicError,
} from './xpath-nodes.js';

/*
 * The fast primitives of the rules against the definitions they replace: the regular-expression
 * normalize-space, `[...s].length`, ubl-dom.ts child helpers, decimal.js arithmetic. Each property is
 * checked on generated inputs (fast-check), so a fast path that drifts from its reference fails here.
 */

const referenceNormalize = (s: string) => s.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
const textChars = fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', 'a', 'Ș', '1', '.', '\uD83D\uDE00', '\uD83D', '\uDE00');
const text = fc.array(textChars, { maxLength: 12 }).map((a) => a.join(''));

describe('string primitives', () => {
  it('normalizeSpace equals the XPath definition (collapse and strip #x20 #x9 #xD #xA only)', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(normalizeSpace(s)).toBe(referenceNormalize(s));
      }),
      { numRuns: 2000 },
    );
    expect(normalizeSpace('\u00a0x\u00a0')).toBe('\u00a0x\u00a0');
    expect(normalizeSpace(undefined)).toBe('');
  });

  it('stringLength and decimalsAfterDot count code points as for...of does (a lone surrogate is one)', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(stringLength(s)).toBe([...s].length);
        const i = s.indexOf('.');
        expect(decimalsAfterDot(s)).toBe(i < 0 ? 0 : [...s.slice(i + 1)].length);
      }),
      { numRuns: 2000 },
    );
  });

  it('trimXml strips XML whitespace only', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(trimXml(s)).toBe(s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
      }),
      { numRuns: 2000 },
    );
  });
});

/** A valid xs:decimal literal: sign, 0-22 integer digits (leading zeros possible), optional fraction. */
const decimalLiteral = fc
  .record({
    sign: fc.constantFrom('', '', '-', '+'),
    int: fc.array(fc.constantFrom('0', '1', '5', '9'), { maxLength: 22 }).map((a) => a.join('')),
    frac: fc.option(fc.array(fc.constantFrom('0', '2', '5', '9'), { maxLength: 18 }).map((a) => a.join('')), { nil: undefined }),
  })
  .filter(({ int, frac }) => int.length > 0 || (frac !== undefined && frac.length > 0))
  .map(({ sign, int, frac }) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}`);

describe('xs:decimal arithmetic', () => {
  it('decimalKey: equal keys exactly for equal values', () => {
    fc.assert(
      fc.property(decimalLiteral, decimalLiteral, (a, b) => {
        expect(decimalKey(a) === decimalKey(b)).toBe(new Decimal(a).eq(new Decimal(b)));
        expect(new Decimal(decimalKey(a)).eq(new Decimal(a))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(decimalKey('+019.500')).toBe('19.5');
    expect(decimalKey('-0.0')).toBe('0');
  });

  it('DecimalSum equals adding with decimal.js in order (also past 15 digits and 20 significant digits)', () => {
    fc.assert(
      fc.property(fc.array(decimalLiteral, { maxLength: 12 }), (xs) => {
        const sum = new DecimalSum();
        for (const x of xs) sum.add(x);
        const expected = sumDec(xs.map((x) => new Decimal(x)));
        expect(sum.value().eq(expected)).toBe(true);
        expect(sum.exactValue().toDecimal().eq(expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('ExactDecimal operations give decimal.js results (precision 20, ROUND_HALF_CEIL rounding)', () => {
    fc.assert(
      fc.property(decimalLiteral, decimalLiteral, fc.double({ noNaN: true, min: -1e12, max: 1e12 }), (a, b, x) => {
        const [ea, eb, da, db] = [ExactDecimal.of(a), ExactDecimal.of(b), new Decimal(a), new Decimal(b)];
        const same = (e: ExactDecimal, d: Decimal) => expect(e.toDecimal().eq(d), `${e.toDecimal()} vs ${d}`).toBe(true);
        same(ea.plus(eb), da.plus(db));
        same(ea.minus(eb), da.minus(db));
        same(ea.times(eb), da.times(db));
        same(ea.div100(), da.div(100));
        same(ea.abs(), da.abs());
        same(ea.round2(), round2(da));
        same(ea.roundHalfCeil(0), da.toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL));
        same(ea.abs().times(eb.div100()).round2(), round2(da.abs().times(db.div(100))));
        same(ea.plus(eb).minus(ExactDecimal.ONE).round2(), round2(da.plus(db).minus(1)));
        expect(ea.cmp(eb)).toBe(da.cmp(db));
        expect(ea.isZero()).toBe(da.isZero());
        same(ExactDecimal.ofNumber(x), new Decimal(x));
        expect(ExactDecimal.ofNumber(x).cmp(ea)).toBe(new Decimal(x).cmp(da));
      }),
      { numRuns: 3000 },
    );
  });
});

// ------------------------------------------------------------------ child steps on generated trees

const NAMES = ['cac:A', 'cac:B', 'cbc:ID', 'cbc:Name', 'A', 'cbc:A'];
const NS_DECL =
  'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ' +
  'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" ' +
  'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"';
interface Tree {
  name: string;
  text: string;
  attr: boolean;
  kids: Tree[];
}
const leaf: fc.Arbitrary<Tree> = fc.record({ name: fc.constantFrom(...NAMES), text: fc.constantFrom('', ' x ', '1.5'), attr: fc.boolean(), kids: fc.constant([]) });
/** A tree of depth <= `depth`; some nodes get 17-20 leaf children, so that the per-name child index of wide elements is used too. */
const treeOf = (depth: number): fc.Arbitrary<Tree> =>
  depth === 0
    ? leaf
    : fc.record({
        name: fc.constantFrom(...NAMES),
        text: fc.constantFrom('', ' x ', '1.5'),
        attr: fc.boolean(),
        kids: fc.oneof(fc.array(treeOf(depth - 1), { maxLength: 3 }), fc.array(leaf, { minLength: 17, maxLength: 20 })),
      });
const tree = treeOf(3);
const xmlOf = (t: Tree): string => `<${t.name}${t.attr ? ' currencyID="RON"' : ''}>${t.text}${t.kids.map(xmlOf).join('')}</${t.name}>`;
const docOf = (kidsOfRoot: Tree[]) => parseUblDocument(`<Invoice ${NS_DECL}>${kidsOfRoot.map(xmlOf).join('')}</Invoice>`);
const PATHS = ['cac:A', 'cbc:ID', 'A', 'cac:A/cbc:ID', 'cac:A/cac:B/cbc:Name', 'cac:B/A', 'cac:A/cac:A', 'cac:A/cac:A/cac:A/cbc:ID'];

describe('child steps', () => {
  it('kids/kid/nodesAt/hasAt/countAt/atMost/firstAt/someAt/nonEmptyAt/single/singleAt agree with ubl-dom.ts', () => {
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 20 }), (roots) => {
        const doc = docOf(roots).document;
        const all: XElement[] = [];
        const walk = (e: XElement) => {
          all.push(e);
          e.elements.forEach(walk);
        };
        walk(doc.documentElement);
        for (const e of all) {
          for (const path of PATHS) {
            const ref = childrenAt(e, path);
            expect(nodesAt(e, path)).toEqual(ref);
            expect(hasAt(e, path)).toBe(ref.length > 0);
            expect(countAt(e, path)).toBe(ref.length);
            expect(atMost(e, path, 1)).toBe(ref.length <= 1);
            expect(firstAt(e, path)).toBe(childAt(e, path));
            expect(nonEmptyAt(e, path)).toBe(ref.some((n) => n.textContent !== ''));
            expect(someAt(e, path, (n) => n.attributes.length > 0)).toBe(ref.some((n) => n.attributes.length > 0));
            if (ref.length > 1) expect(() => singleAt(e, path)).toThrow(XPathDynamicError);
            else expect(singleAt(e, path)).toBe(ref[0]);
            if (!path.includes('/')) {
              expect(kids(e, path)).toEqual(children(e, path));
              expect(kid(e, path)).toBe(children(e, path)[0]);
              if (ref.length > 1) expect(() => single(e, path)).toThrow(XPathDynamicError);
              else expect(single(e, path)).toBe(ref[0]);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('matchPattern and documentWalk select what a walk of the whole tree selects, in document order', () => {
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 20 }), (roots) => {
        const parsed = docOf(roots);
        const c = new ValidationContext(parsed);
        const all: XElement[] = [];
        const walk = (e: XElement) => {
          all.push(e);
          e.elements.forEach(walk);
        };
        walk(c.root);
        const named = (e: XElement | null, qn: string) => {
          if (!e) return false;
          const i = qn.indexOf(':');
          return i < 0 ? e.localName === qn : e.localName === qn.slice(i + 1) && e.namespaceURI === UBL_PREFIXES[qn.slice(0, i)];
        };
        for (const pattern of ['cac:A/cbc:ID', 'cac:A/cac:B/cbc:Name', 'A', 'cac:B/A', '/ubl:Invoice/cac:A']) {
          const steps = pattern.replace(/^\//, '').split('/');
          const expected = all.filter((e) => {
            let cur: XElement | null = e;
            for (let i = steps.length - 1; i >= 0; i--) {
              const s = steps[i]!;
              if (s === 'ubl:Invoice') {
                if (cur !== c.root) return false;
              } else if (!named(cur, s)) return false;
              if (i > 0) cur = cur!.parentNode;
            }
            return true;
          });
          expect(matchPattern(c, pattern)).toEqual(expected);
        }
        const w = documentWalk(c);
        expect(w.attributeOwners.get('currencyID') ?? []).toEqual(all.filter((e) => e.getAttribute('currencyID') !== null));
        expect(w.amounts).toEqual(all.slice(1).filter((e) => e.nodeName.endsWith('Amount')));
      }),
      { numRuns: 100 },
    );
  });

  it('decimalText: trimmed literal, FORG0001 otherwise', () => {
    const p = parseUblDocument(`<Invoice ${NS_DECL}><cbc:A> 1.50 </cbc:A><cbc:ID>1e3</cbc:ID></Invoice>`);
    const [a, b] = p.document.documentElement.elements as [XElement, XElement];
    expect(decimalText(a)).toBe('1.50');
    expect(() => decimalText(b)).toThrow(XPathDynamicError);
  });
});
