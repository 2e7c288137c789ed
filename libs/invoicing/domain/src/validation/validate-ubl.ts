import type { XElement as Element, XNode as Node } from '../xml/xml-tree.js';
import { parseUblDocument, type ParsedUblDocument } from '../ubl/parse-ubl-document.js';
import type { RuleDeclaration, RuleFlag, RuleSource } from './rule.js';
import { CIUS_RO_RULES } from './rules/cius-ro.rules.js';
import { CODE_LIST_RULES } from './rules/code-list.rules.js';
import { EN16931_RULES } from './rules/en16931.rules.js';
import { withRuleTexts } from './rule-texts/index.js';
import { ForbiddenPaths } from './forbidden-paths.js';
import { UBL_FORBIDDEN_PATHS } from './rules/ubl-forbidden-paths.js';
import { ValidationContext } from './validation-context.js';

/**
 * One failed rule occurrence (a finding), what an accountant needs to fix it:
 * - `ruleId`: the rule's id as ANAF reports it (`BR-RO-010`, `BR-CO-15`, `UBL-CR-001`);
 * - `flag`: severity; `fatal` makes ANAF reject the document, `warning` does not;
 * - `terms`: the EN 16931 business terms / groups the rule is about (`BT-1`, `BG-23`), [] for syntax rules;
 * - `xpath`: XPath of the offending element with positions (`/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity[1]`);
 * - `line`, `column`: 1-based position of that element's start tag in the source, when known;
 * - `en`, `ro`: what to change, in English and in Romanian;
 * - `message`: `[<ruleId>]-` + the rule's English text in the wording of the specification (what ANAF prints);
 * - `path`: the element path without positions (`/Invoice/cac:InvoiceLine/cbc:InvoicedQuantity`).
 */
export interface ValidationMessage {
  ruleId: string;
  flag: RuleFlag;
  terms: readonly string[];
  xpath: string;
  line?: number;
  column?: number;
  en: string;
  ro: string;
  message: string;
  path?: string;
}

/** A finding of the validator (same shape as {@link ValidationMessage}). */
export type Finding = ValidationMessage;

/**
 * Verdict of {@link validateUbl}.
 * - `fatal`: sorted distinct ids of failed rules flagged `fatal`;
 * - `warnings`: sorted distinct ids of failed non-fatal rules;
 * - `valid`: `fatal` is empty (ANAF accepts the document as far as these rules go).
 */
export interface ValidationReport {
  valid: boolean;
  documentType: 'Invoice' | 'CreditNote';
  fatal: string[];
  warnings: string[];
  messages: ValidationMessage[];
}

/**
 * All rules applied by {@link validateUbl}: EN 16931 1.3.8 (UBL binding) then CIUS-RO 1.0.9, with the
 * catalogue texts (BT/BG terms, what to change in English and Romanian, meaning) of rule-texts/.
 */
export const ALL_RULES: readonly RuleDeclaration[] = withRuleTexts([...EN16931_RULES, ...CODE_LIST_RULES, ...CIUS_RO_RULES]);

/** Catalogue entry of a rule, for listing (CLI, UI). */
export interface RuleCatalogueEntry {
  readonly id: string;
  readonly flag: RuleFlag;
  readonly source: RuleSource;
  readonly message: string;
  /** EN 16931 business terms / groups (`BT-31`, `BG-23`); [] for syntax rules. */
  readonly terms: readonly string[];
  /** What to change, in English (our words; `message` when the rule has no catalogue text). */
  readonly en: string;
  /** What to change, in Romanian (our words; `message` when the rule has no catalogue text). */
  readonly ro: string;
  /** What the rule checks, in our words (`message` when the rule has no catalogue text). */
  readonly meaning: string;
}

/**
 * Every rule implemented, in evaluation order: id, flag, source (EN16931-1.3.8 | CIUS-RO-1.0.9),
 * message (the specification's wording), terms, en, ro, meaning.
 */
export const RULE_CATALOGUE: readonly RuleCatalogueEntry[] = Object.freeze(
  ALL_RULES.map(({ id, flag, source, message, terms, en, ro, meaning }) =>
    Object.freeze({ id, flag, source, message, terms: terms ?? [], en: en ?? message, ro: ro ?? message, meaning: meaning ?? message }),
  ),
);

function pathOf(el: Element): string {
  const parts: string[] = [];
  for (let cur: Node | null = el; cur && cur.nodeType === 1; cur = cur.parentNode) parts.unshift(cur.nodeName);
  return '/' + parts.join('/');
}

/** XPath of `el` with 1-based positions among same-named siblings: `/Invoice/cac:InvoiceLine[2]/cbc:ID[1]` (root unindexed). */
function xpathOf(el: Element): string {
  const parts: string[] = [];
  for (let cur: Node | null = el; cur && cur.nodeType === 1; cur = cur.parentNode) {
    const parent = cur.parentNode;
    if (!parent || parent.nodeType !== 1) {
      parts.unshift(cur.nodeName);
      break;
    }
    let i = 1;
    for (let s = cur.previousSibling; s; s = s.previousSibling) if (s.nodeType === 1 && s.nodeName === cur.nodeName) i++;
    parts.unshift(`${cur.nodeName}[${i}]`);
  }
  return '/' + parts.join('/');
}

/**
 * The UBL-CR rules compiled into one trie (forbidden-paths.ts), evaluated by one walk per document;
 * the other rules run one by one. Built once, on first use (so that ALL_RULES is complete).
 */
let compiled: { forbidden: ForbiddenPaths; others: readonly RuleDeclaration[]; byId: ReadonlyMap<string, RuleDeclaration> } | undefined;
function compiledRules() {
  if (compiled) return compiled;
  const forbidden = new ForbiddenPaths(UBL_FORBIDDEN_PATHS.map(([id, , path]) => [id, path] as const));
  compiled = {
    forbidden,
    others: ALL_RULES.filter((r) => !forbidden.ids.has(r.id)),
    byId: new Map(ALL_RULES.map((r) => [r.id, r])),
  };
  return compiled;
}

function finding(rule: RuleDeclaration, node: Element): ValidationMessage {
  return {
    ruleId: rule.id,
    flag: rule.flag,
    terms: rule.terms ?? [],
    xpath: xpathOf(node),
    ...(node.line ? { line: node.line, column: node.column } : {}),
    en: rule.en ?? rule.message,
    ro: rule.ro ?? rule.message,
    message: `[${rule.id}]-${rule.message}`,
    path: pathOf(node),
  };
}

/**
 * Validates an already parsed UBL document against EN 16931 1.3.8 + CIUS-RO 1.0.9 (see
 * {@link validateUbl}). Never throws for rule failures: a rule whose context cannot be evaluated is
 * skipped, a test that throws counts as failed (as a Schematron dynamic error would).
 * A UBL-CR rule yields one finding per offending element (the element itself, not the root).
 */
export function validateParsedUbl(parsed: ParsedUblDocument): ValidationReport {
  const { forbidden, others, byId } = compiledRules();
  const ctx = new ValidationContext(parsed);
  const fatal = new Set<string>();
  const warnings = new Set<string>();
  const messages: ValidationMessage[] = [];
  for (const rule of others) {
    let nodes;
    try {
      nodes = rule.context(ctx);
    } catch {
      continue;
    }
    for (const node of nodes) {
      let ok: boolean;
      try {
        ok = rule.test(node, ctx);
      } catch {
        ok = false;
      }
      if (ok) continue;
      (rule.flag === 'fatal' ? fatal : warnings).add(rule.id);
      messages.push(finding(rule, node));
    }
  }
  for (const [id, nodes] of forbidden.evaluate(ctx)) {
    const rule = byId.get(id);
    if (!rule) continue;
    (rule.flag === 'fatal' ? fatal : warnings).add(id);
    for (const node of nodes) messages.push(finding(rule, node));
  }
  const f = [...fatal].sort();
  return { valid: f.length === 0, documentType: parsed.root, fatal: f, warnings: [...warnings].sort(), messages };
}

/**
 * Validates a UBL 2.1 Invoice/CreditNote with our TypeScript implementation of the EN 16931 1.3.8
 * rules (UBL binding) and ANAF's CIUS-RO 1.0.9 rules (BR-RO-*), the rule set ANAF applies.
 *
 * @param xml XML text or bytes.
 * @returns the verdict; `valid` is true when no fatal rule failed.
 * @throws UblParseError (`UBL_MALFORMED`, `UBL_UNKNOWN_ROOT`) when the input is not a UBL document.
 */
export function validateUbl(xml: string | Uint8Array): ValidationReport {
  return validateParsedUbl(parseUblDocument(xml));
}
