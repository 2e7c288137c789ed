import type { RuleDeclaration } from '../rule.js';
import { CIUS_RO_TEXTS } from './cius-ro.texts.js';
import { CODE_LIST_TEXTS } from './code-list.texts.js';
import { EN16931_CORE_TEXTS } from './en16931-core.texts.js';
import type { RuleText, RuleTextTable } from './types.js';
import { UBL_SYNTAX_TEXTS } from './ubl-syntax.texts.js';
import { VAT_CATEGORY_TEXTS } from './vat-category.texts.js';

export type { RuleText, RuleTextTable } from './types.js';
export { BUSINESS_TERMS } from './business-terms.js';
export { forbiddenPathText } from './ubl-syntax.texts.js';

/**
 * The rule text tables, by part of ANAF's CIUS-RO 1.0.9 artefact (EN 16931 1.3.8 model, VAT category
 * families, code lists, UBL syntax; CIUS-RO). An id appears in exactly one table.
 */
export const RULE_TEXT_TABLES: Readonly<Record<string, RuleTextTable>> = {
  'en16931-core': EN16931_CORE_TEXTS,
  'vat-category': VAT_CATEGORY_TEXTS,
  'code-list': CODE_LIST_TEXTS,
  'ubl-syntax': UBL_SYNTAX_TEXTS,
  'cius-ro': CIUS_RO_TEXTS,
};

/**
 * The rule catalogue texts: rule id (as ANAF reports it) → {@link RuleText} (BT/BG terms, what to change
 * in English and Romanian, meaning). Covers every rule id of ANAF's CIUS-RO 1.0.9 artefact, including
 * ids the validator does not declare (yet).
 */
export const RULE_TEXTS: ReadonlyMap<string, RuleText> = new Map(Object.values(RULE_TEXT_TABLES).flatMap((t) => Object.entries(t)));

/** The catalogue text of rule `id`, or undefined when the catalogue has none. */
export function ruleText(id: string): RuleText | undefined {
  return RULE_TEXTS.get(id);
}

/**
 * Returns each rule with `terms`, `en`, `ro` and `meaning` filled from {@link RULE_TEXTS}; values the
 * declaration already carries win. Rules without a catalogue entry are returned unchanged (the
 * validator then falls back to the specification `message`). Does not mutate its input.
 */
export function withRuleTexts(rules: readonly RuleDeclaration[]): RuleDeclaration[] {
  return rules.map((rule) => {
    const t = RULE_TEXTS.get(rule.id);
    if (!t) return rule;
    return { ...rule, terms: rule.terms ?? t.terms, en: rule.en ?? t.en, ro: rule.ro ?? t.ro, meaning: rule.meaning ?? t.meaning };
  });
}
