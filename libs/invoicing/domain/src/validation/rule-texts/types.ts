/**
 * The texts of one validator rule, in our own words (not the wording of the specification):
 * - `terms`: the EN 16931 business terms / groups the rule is about (`BT-31`, `BG-23`); [] for pure
 *   UBL syntax rules;
 * - `en`, `ro`: what the user must change, imperative, naming the business term and the UBL element
 *   (English; Romanian with ș/ț comma-below and e-Factura vocabulary);
 * - `meaning`: one English sentence saying what the rule checks (for the rule catalogue).
 */
export interface RuleText {
  readonly terms: readonly string[];
  readonly en: string;
  readonly ro: string;
  readonly meaning: string;
}

/** Rule texts keyed by rule id as ANAF reports it (`BR-RO-010`, `BR-CO-15`, `UBL-CR-001`). */
export type RuleTextTable = Readonly<Record<string, RuleText>>;
