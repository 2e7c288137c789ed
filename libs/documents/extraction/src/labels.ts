/**
 * The labels printed before (or above) the fields of a Romanian invoice, matched on the line key
 * (lowercase, no diacritics: "Scadența", "Scadenta" and "SCADENȚA" are the same label).
 *
 * Each label has a kind (the field it introduces) and a strength 0..1: how surely the value that
 * follows is that field ("Total de plată" → 1, a bare "Total" → 0.6). When labels overlap on a line,
 * the longest wins ("Total fără TVA" over "Total" and "TVA").
 */
import type { TextLine } from './layout.js';

/** Field a label introduces. */
export type LabelKind =
  | 'supplier'
  | 'buyer'
  | 'cif'
  | 'tradeRegister'
  | 'iban'
  | 'series'
  | 'seriesSlashNumber'
  | 'invoiceNumber'
  | 'number'
  | 'issueDate'
  | 'dueDate'
  | 'currency'
  | 'netTotal'
  | 'vatTotal'
  | 'payableTotal'
  | 'total'
  | 'exchangeRate'
  | 'itemHeader'
  | 'fieldWord';

/** One label definition. */
export interface LabelDef {
  kind: LabelKind;
  /** Regular expression on the line key; must not be global (a global copy is made). */
  re: RegExp;
  strength: number;
}

/** Label ends: not inside a longer word, optional `:`/`.` and spaces after. */
const END = String.raw`(?![a-z])\.?\s*[:.]?\s*`;
const re = (source: string) => new RegExp(String.raw`(?<![a-z])(?:${source})${END}`);

/**
 * The label catalogue. Sources of the wording: Romanian fiscal code art. 319 (20) (the mentions an
 * invoice must carry) and the labels of the invoicing programs in common use. A few OCR misreadings
 * seen on scans are accepted: "Fumizor" (rn read as m), "C.L.F."/"C.1.F."/"C..F." (I read as L, 1 or a dot).
 */
export const LABELS: readonly LabelDef[] = [
  // parties (a party label must start a segment or be followed by ':', see findLabels)
  { kind: 'supplier', re: re(String.raw`(?:date\s+(?:de\s+identificare\s+)?)?(?:fu(?:rn|m)izor(?:ul)?|vanzator(?:ul)?|emitent(?:ul)?|prestator(?:ul)?|supplier|seller)`), strength: 1 },
  { kind: 'buyer', re: re(String.raw`(?:date\s+(?:de\s+identificare\s+)?)?(?:cumparator(?:ul)?|client(?:ul)?|beneficiar(?:ul)?|achizitor(?:ul)?|buyer|customer)`), strength: 1 },
  // identifiers
  {
    kind: 'cif',
    re: re(
      String.raw`c\.?\s?u\.?\s?i\.?(?:\s?\/\s?c\.?\s?i\.?\s?f)?|(?:c(?:\.{1,2}\s?)?[il1|]\.?\s?f\.?|c\.{1,2}\s?f\.)(?:\s?\/\s?c\.?\s?u\.?\s?i)?|cod\s+(?:unic\s+de\s+inregistrare|de\s+inregistrare(?:\s+fiscala)?|fiscal|de\s+identificare\s+fiscala|inregistrare(?:\s+fiscala)?|tva)|c\.\s?f|vat\s+(?:id|no|number|code)|nr\.?\s+inreg(?:istrare)?\.?\s+fiscala`,
    ),
    strength: 1,
  },
  {
    kind: 'tradeRegister',
    re: re(String.raw`(?:nr\.?\s*)?(?:ord(?:ine)?\.?\s*)?(?:in\s+)?(?:reg\.?\s*com(?:ertului)?|registrul\s+comertului|r\.?\s?c|onrc|euid)`),
    strength: 1,
  },
  { kind: 'iban', re: re(String.raw`(?:cod\s+)?iban|cont(?:ul)?(?:\s+(?:bancar|iban|curent))?`), strength: 1 },
  // series and number
  { kind: 'seriesSlashNumber', re: re(String.raw`seri[ae]\s*(?:\/|si)\s*(?:nr|numar|numarul)`), strength: 1 },
  { kind: 'series', re: re(String.raw`seri[ae]`), strength: 1 },
  {
    kind: 'invoiceNumber',
    re: re(
      String.raw`factur[ai](?:\s+fiscala|\s+proforma)?(?:\s*\/\s*invoice)?\s*(?:nr|numar|no)|(?:nr|numar|numarul)\.?\s*(?:de\s+)?(?:factur[ai]i?|document(?:ului)?)|invoice\s+(?:no|number|nr)`,
    ),
    strength: 1,
  },
  { kind: 'number', re: re(String.raw`nr|numar|numarul|no`), strength: 0.5 },
  // dates
  {
    kind: 'issueDate',
    re: re(String.raw`data\s+(?:emiterii|emitere|emiterea|facturii|facturarii|facturare|factura|documentului|doc)|issue\s+date|invoice\s+date`),
    strength: 1,
  },
  // a bare "Data" is the issue date, unless it is another date ("Data livrării", "Data plății"...)
  { kind: 'issueDate', re: re(String.raw`data(?!\s+(?:livr|exped|nast|inreg|plat|achit|incas|operat|intocm))`), strength: 0.7 },
  {
    kind: 'dueDate',
    re: re(
      String.raw`data\s+(?:scadentei|scadenta|de\s+scadenta|limita(?:\s+de\s+plata)?)|scadent[aei]{1,2}|termen(?:ul)?\s+(?:de\s+)?plat[aii]{1,2}|de\s+achitat\s+pana\s+la|due\s+date`,
    ),
    strength: 1,
  },
  { kind: 'currency', re: re(String.raw`moneda|valuta|currency`), strength: 1 },
  { kind: 'exchangeRate', re: re(String.raw`curs(?:ul)?(?:\s+(?:bnr|valutar|de\s+schimb))?`), strength: 1 },
  // totals
  {
    kind: 'netTotal',
    re: re(
      String.raw`(?:total|valoare|valoarea|suma)(?:\s+totala)?\s+(?:fara|excl\.?|exclusiv)\s+tva|total\s+net|valoare\s+neta|subtotal|total\s+valoare\s+fara\s+tva|net\s+total`,
    ),
    strength: 1,
  },
  { kind: 'netTotal', re: re(String.raw`(?:total\s+)?baza(?:\s+(?:de\s+)?impoz\w*)?`), strength: 0.75 },
  { kind: 'vatTotal', re: re(String.raw`total\s+tva|tva\s+total|total\s+valoare\s+tva`), strength: 1 },
  { kind: 'vatTotal', re: re(String.raw`valoare(?:a)?\s+tva|suma\s+tva`), strength: 0.85 },
  { kind: 'vatTotal', re: re(String.raw`tva`), strength: 0.5 },
  {
    kind: 'payableTotal',
    re: re(String.raw`total\s+(?:de\s+)?plat[ai]|total\s+factur[ai]|total\s+general|total\s+cu\s+tva|total\s+(?:amount\s+)?due|amount\s+due`),
    strength: 1,
  },
  { kind: 'payableTotal', re: re(String.raw`(?:rest\s+)?de\s+plata|valoare(?:a)?\s+totala|total\s+de\s+achitat`), strength: 0.9 },
  { kind: 'total', re: re(String.raw`total`), strength: 0.6 },
  // table header of the invoice lines (ends the party blocks)
  // (a line with two of these is the header of the invoice lines table)
  {
    kind: 'itemHeader',
    re: re(String.raw`nr\.?\s*crt|denumire(?:a)?(?:\s+(?:produs\w*|servici\w*|bunuri\w*|articol\w*|marf\w*))?|descriere|cantitate|cant|u\.?\s?m|pret\s+unitar|pret`),
    strength: 1,
  },
  // words that start a line of a party block that is not the name
  {
    kind: 'fieldWord',
    re: re(String.raw`adresa|sediul(?:\s+social)?|str(?:ada)?|jud(?:etul)?|localitate(?:a)?|oras(?:ul)?|tara|capital(?:\s+social)?|tel(?:efon)?|fax|e-?mail|banca|cod\s+postal|punct\s+de\s+lucru|web`),
    strength: 1,
  },
];

/** A label found on a line: its kind, strength and the span it covers (label text and the `:` after). */
export interface LabelHit {
  kind: LabelKind;
  strength: number;
  line: TextLine;
  start: number;
  end: number;
}

const GLOBAL = LABELS.map((d) => ({ ...d, re: new RegExp(d.re.source, 'g') }));

/**
 * All labels on a line, left to right, overlaps resolved by keeping the longest. A party label
 * (`supplier`, `buyer`) counts only at the start of a segment (line start or after a TAB) or when a
 * `:` follows it, so "Cod client" or "cont beneficiar" in running text are not party blocks.
 */
export function findLabels(line: TextLine): LabelHit[] {
  const hits: LabelHit[] = [];
  const key = line.key;
  if (!/[a-z]/.test(key)) return hits; // numbers only: no label (most cells of a table)
  for (const d of GLOBAL) {
    d.re.lastIndex = 0;
    for (let m = d.re.exec(key); m; m = d.re.exec(key)) {
      if (m[0].length === 0) {
        d.re.lastIndex++;
        continue;
      }
      // a label never spans a column gap ("Valoare | TVA" are two header cells, not "Valoare TVA")
      if (m[0].replace(/[\s:.]+$/, '').includes('\t')) continue;
      if (d.kind === 'supplier' || d.kind === 'buyer') {
        const before = key.slice(0, m.index);
        const segmentStart = before === '' || /\t\s*$/.test(before);
        if (!segmentStart && !m[0].includes(':')) continue;
      }
      hits.push({ kind: d.kind, strength: d.strength, line, start: m.index, end: m.index + m[0].length });
    }
  }
  // longest first, then strongest; keep what does not overlap something kept
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || b.strength - a.strength);
  const kept: LabelHit[] = [];
  for (const h of hits) {
    if (kept.every((k) => h.end <= k.start || h.start >= k.end)) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Start of the next label after `hit` on its line (or the line end): where the value of `hit` must end. */
export function valueEnd(hit: LabelHit, hitsOnLine: readonly LabelHit[]): number {
  let end = hit.line.key.length;
  for (const h of hitsOnLine) if (h.start >= hit.end && h.start < end && h.kind !== 'fieldWord' && h.kind !== 'itemHeader') end = h.start;
  return end;
}
