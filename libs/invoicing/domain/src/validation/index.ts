export * from './rule.js';
export { ValidationContext } from './validation-context.js';
export * from './validate-ubl.js';
export { BUSINESS_TERMS, RULE_TEXTS, RULE_TEXT_TABLES, ruleText, withRuleTexts, type RuleText, type RuleTextTable } from './rule-texts/index.js';
export { CIUS_RO_RULES, RO_CIUS_ID, ISO_3166_RO_CODES, SECTOR_RO_CODES } from './rules/cius-ro.rules.js';
export { EN16931_RULES } from './rules/en16931.rules.js';
export { CODE_LIST_RULES } from './rules/code-list.rules.js';
export * from './code-lists/index.js';
