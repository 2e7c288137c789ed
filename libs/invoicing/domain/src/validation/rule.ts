import type { XElement as Element } from '../xml/xml-tree.js';
import type { ValidationContext } from './validation-context.js';

/** Severity of a failed rule, as the `flag` of the Schematron assert (EN 16931 / CIUS-RO). */
export type RuleFlag = 'fatal' | 'warning';

/** Where a rule comes from. */
export type RuleSource = 'EN16931-1.3.8' | 'CIUS-RO-1.0.9';

/**
 * One business rule, declared as data.
 * - `context(ctx)`: the nodes the rule is evaluated on (the Schematron rule context);
 * - `test(node, ctx)`: `true` when the rule holds for that node (Schematron assert semantics; a
 *   Schematron `report` is declared with its condition negated);
 * - `message`: the rule text in the wording of the specification;
 * - `terms`: EN 16931 business terms / groups concerned (`BT-1`, `BG-23`); absent or [] for syntax rules;
 * - `en`, `ro`: what to change, in English and Romanian (our words; default: `message`);
 * - `meaning`: what the rule checks, in our words (for the rule catalogue).
 */
export interface RuleDeclaration {
  readonly id: string;
  readonly flag: RuleFlag;
  readonly source: RuleSource;
  readonly message: string;
  readonly terms?: readonly string[];
  readonly en?: string;
  readonly ro?: string;
  readonly meaning?: string;
  readonly context: (ctx: ValidationContext) => readonly Element[];
  readonly test: (node: Element, ctx: ValidationContext) => boolean;
}
