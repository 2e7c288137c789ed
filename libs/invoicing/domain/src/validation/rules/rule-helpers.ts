import type { XElement as Element } from '../../xml/xml-tree.js';
import { children, text } from '../../ubl/ubl-dom.js';
import type { RuleDeclaration, RuleFlag, RuleSource } from '../rule.js';
import { ValidationContext } from '../validation-context.js';
import { decimalsAfterDot } from '../xpath-lite.js';
import { firstAt } from './xpath-nodes.js';

/**
 * Helpers shared by the EN 16931 1.3.8 and CIUS-RO 1.0.9 rule declarations (contexts, tests and
 * messages written the same way in both Schematron artefacts).
 */

/** A rule context: the nodes a rule is evaluated on. */
export type Ctx = RuleDeclaration['context'];

/** Declarer of rules of one `source`: `r(id, context, test, message, flag = 'fatal')`. */
export function ruleDeclarer(source: RuleSource) {
  return (id: string, context: Ctx, test: RuleDeclaration['test'], message: string, flag: RuleFlag = 'fatal'): RuleDeclaration => ({
    id,
    flag,
    source,
    message,
    context,
    test,
  });
}

/** The document root (`/ubl:Invoice | /cn:CreditNote`). */
export const rootCtx: Ctx = (c) => [c.root];

/** `exists(path)` relative to `el` (first match of a child path). */
export const exists = (el: Element | undefined, path: string): boolean => firstAt(el, path) !== undefined;

/**
 * An allowance/charge has a reason text or a reason code (`cbc:AllowanceChargeReason or
 * cbc:AllowanceChargeReasonCode`): EN 16931 BR-33/BR-CO-21, BR-38/BR-CO-22, BR-42/BR-CO-23, BR-44/BR-CO-24.
 */
export const hasReason = (ac: Element): boolean =>
  exists(ac, 'cbc:AllowanceChargeReason') || exists(ac, 'cbc:AllowanceChargeReasonCode');

/** Document level allowances (BG-20): root `cac:AllowanceCharge[cbc:ChargeIndicator = false()]`. */
export const docAllowances: Ctx = (c) => c.docAllowanceCharges.filter((a) => ValidationContext.chargeIs(a, false));
/** Document level charges (BG-21): root `cac:AllowanceCharge[cbc:ChargeIndicator = true()]`. */
export const docCharges: Ctx = (c) => c.docAllowanceCharges.filter((a) => ValidationContext.chargeIs(a, true));
/** Invoice line allowances (BG-27, `charge` false) or charges (BG-28, `charge` true). */
export const lineAC =
  (charge: boolean): Ctx =>
  (c) =>
    c.lines.flatMap((l) => children(l, 'cac:AllowanceCharge')).filter((a) => ValidationContext.chargeIs(a, charge));

/** `string-length(substring-after(path, '.')) <= 2` on the first node of `path` (BR-DEC-*, BR-DEC-RO-*). */
export const maxDecimals =
  (path: string) =>
  (el: Element): boolean =>
    decimalsAfterDot(text(el, path)) <= 2;

/** Message of the BR-DEC rules. */
export const decMsg = (label: string): string => `The allowed maximum number of decimals for the ${label} is 2.`;
