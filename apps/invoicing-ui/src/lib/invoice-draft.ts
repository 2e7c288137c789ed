/**
 * The invoice editor's form state (`InvoiceDraft`, all text as typed) and its mapping to the API's
 * `InvoiceDocument` (EN 16931 terms, `@cetate/invoicing-contracts`). Validation runs the SAME zod schema
 * the API runs (`InvoiceDocumentSchema`), so a finding shown here is the one `POST /v1/invoices` would answer
 * with 400 `VALIDATION_FAILED`, with the same path and message (rule id included where the schema names one).
 */
import { InvoiceDocumentSchema, type InvoiceDocumentInput } from '@cetate/invoicing-contracts';
import { normalizeDecimal } from './decimal-input.js';

/**
 * VAT choices of one line: (BT-151 category, BT-152 rate). Romanian rates in force since 1 August 2025:
 * 21 % standard and 11 % reduced (Law 141/2025); the other categories the schema accepts: Z zero rated,
 * E exempt (needs a reason, BR-E-10), AE reverse charge, K intra-community supply, G export, O outside the
 * scope of VAT (no rate, BR-O-05).
 */
export const VAT_CHOICES = {
  S21: { vatCategory: 'S', vatRate: '21' },
  S11: { vatCategory: 'S', vatRate: '11' },
  Z: { vatCategory: 'Z', vatRate: '0' },
  E: { vatCategory: 'E', vatRate: '0' },
  AE: { vatCategory: 'AE', vatRate: '0' },
  K: { vatCategory: 'K', vatRate: '0' },
  G: { vatCategory: 'G', vatRate: '0' },
  O: { vatCategory: 'O', vatRate: undefined },
} as const satisfies Record<string, { vatCategory: 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O'; vatRate: string | undefined }>;
export type VatChoice = keyof typeof VAT_CHOICES;

/** One line as typed: BT-153 item name, BT-129 quantity, BT-130 unit, BT-146 net price, VAT choice. */
export interface LineDraft {
  /** React key, stable while lines are added and removed (not sent). */
  key: string;
  itemName: string;
  quantity: string;
  unitCode: string;
  priceAmount: string;
  vat: VatChoice;
}

/**
 * A party as typed. `cif`: with a 2-letter prefix (`RO18547290`) it is the VAT identifier (BT-31/BT-48);
 * digits only it is the seller's tax registration id (BT-32) or the buyer's legal registration id (BT-47).
 */
export interface PartyDraft {
  name: string;
  cif: string;
  street: string;
  city: string;
  /** ISO 3166-2 subdivision, e.g. `RO-CJ` (BR-RO-110/111); `RO-B` needs city `SECTOR1`..`SECTOR6`. */
  county: string;
  countryCode: string;
}

/** The whole editor state. Dates are `YYYY-MM-DD` (BT-2 issue date, BT-9 due date, BT-72 delivery date). */
export interface InvoiceDraft {
  number: string;
  issueDate: string;
  dueDate: string;
  deliveryDate: string;
  seller: PartyDraft;
  buyer: PartyDraft;
  /** BT-120 exemption reason for category E lines (BR-E-10). */
  exemptionReason: string;
  lines: LineDraft[];
}

let nextKey = 0;
/** A new empty line (quantity 1, unit H87 "piece", 21 %). */
export function emptyLine(): LineDraft {
  nextKey += 1;
  return { key: `l${nextKey}`, itemName: '', quantity: '1', unitCode: 'H87', priceAmount: '', vat: 'S21' };
}

const emptyParty = (): PartyDraft => ({ name: '', cif: '', street: '', city: '', county: '', countryCode: 'RO' });

/** `YYYY-MM-DD` of a Date in Bucharest time. */
export function isoDay(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** A new draft: issued today, due in 30 days, one empty line, the seller as remembered (or empty). */
export function emptyDraft(today: Date, seller?: Partial<PartyDraft>): InvoiceDraft {
  const due = new Date(today.getTime() + 30 * 86_400_000);
  return {
    number: '',
    issueDate: isoDay(today),
    dueDate: isoDay(due),
    deliveryDate: '',
    seller: { ...emptyParty(), ...seller },
    buyer: emptyParty(),
    exemptionReason: '',
    lines: [emptyLine()],
  };
}

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());
const dec = (s: string): string | undefined => opt(normalizeDecimal(s));

function party(p: PartyDraft, role: 'seller' | 'buyer') {
  const cif = opt(p.cif)?.toUpperCase();
  const isVatId = cif !== undefined && /^[A-Z]{2}/.test(cif);
  return {
    name: opt(p.name),
    ...(isVatId ? { vatIdentifier: cif } : cif !== undefined ? (role === 'seller' ? { taxRegistrationId: cif } : { legalRegistrationId: cif }) : {}),
    address: {
      street: opt(p.street),
      city: opt(p.city),
      countrySubdivision: opt(p.county),
      countryCode: opt(p.countryCode)?.toUpperCase(),
    },
  };
}

/**
 * The draft as the API's JSON body (`InvoiceDocumentInput`): an `Invoice` of type 380 in RON; empty fields
 * are left out (so the schema reports them as missing); decimals normalized (`12,5` → `"12.5"`).
 * A category K line adds the deliver-to address (the buyer's) and the delivery date (BR-IC-11/12).
 * The cast is deliberate: the result is exactly what the schema is then asked to judge.
 */
export function toInvoiceDocument(d: InvoiceDraft): InvoiceDocumentInput {
  const lines = d.lines.map((l, i) => {
    const vat = VAT_CHOICES[l.vat];
    return {
      id: String(i + 1),
      quantity: dec(l.quantity),
      unitCode: opt(l.unitCode)?.toUpperCase(),
      itemName: opt(l.itemName),
      priceAmount: dec(l.priceAmount),
      vatCategory: vat.vatCategory,
      ...(vat.vatRate !== undefined ? { vatRate: vat.vatRate } : {}),
    };
  });
  const categories = new Set(lines.map((l) => l.vatCategory));
  const buyer = party(d.buyer, 'buyer');
  const delivery =
    categories.has('K') || opt(d.deliveryDate)
      ? { ...(opt(d.deliveryDate) ? { actualDeliveryDate: opt(d.deliveryDate) } : {}), ...(categories.has('K') ? { address: buyer.address } : {}) }
      : undefined;
  const doc = {
    documentType: 'Invoice',
    number: opt(d.number),
    issueDate: opt(d.issueDate),
    typeCode: '380',
    currencyCode: 'RON',
    ...(opt(d.dueDate) ? { dueDate: opt(d.dueDate) } : {}),
    ...(delivery ? { delivery } : {}),
    seller: party(d.seller, 'seller'),
    buyer,
    ...(categories.has('E') && opt(d.exemptionReason) ? { vatExemptions: [{ vatCategory: 'E', reason: opt(d.exemptionReason) }] } : {}),
    lines,
  };
  return doc as InvoiceDocumentInput;
}

/** One validation finding shown next to a field. */
export interface Finding {
  /** Dotted path in the API document (`lines.0.quantity`), as in problem+json `errors[].path`. */
  path: string;
  /** Key of the editor field it belongs to (`lines.0.quantity`, `buyer.cif`), `''` when no field shows it. */
  field: string;
  /** EN 16931 / CIUS-RO rule id named in the message (`BR-RO-010`), `null` for structural checks. */
  ruleId: string | null;
  /** The schema's message (English, names the rule), or `null` when the field is simply missing. */
  message: string | null;
}

/** First EN 16931 / CIUS-RO rule id in a message: `BR-RO-010`, `BR-CO-25`, `BR-S-05`, `BR-16`, `BR-RO-L100`. */
export function ruleIdOf(message: string): string | null {
  return /\bBR-(?:[A-Z]{1,3}-)?[A-Z]?\d{2,3}\b/.exec(message)?.[0] ?? null;
}

/**
 * The editor field that shows a finding at document `path`: identifiers of a party go to its CIF field,
 * address parts to their fields, a line's VAT category or rate to its VAT select, exemptions to the
 * exemption reason, the deliver-to address to the buyer's county and delivery date. `''` = shown only in the
 * list of findings.
 */
export function fieldOfPath(path: string): string {
  const p = path.split('.');
  if (p.length === 1 && ['number', 'issueDate', 'dueDate'].includes(p[0]!)) return p[0]!;
  if (p[0] === 'seller' || p[0] === 'buyer') {
    const who = p[0];
    if (p[1] === 'name') return `${who}.name`;
    if (p[1] === 'vatIdentifier' || p[1] === 'legalRegistrationId' || p[1] === 'taxRegistrationId') return `${who}.cif`;
    if (p[1] === 'address') {
      const part = { street: 'street', city: 'city', countrySubdivision: 'county', countryCode: 'countryCode' }[p[2] ?? ''];
      return part ? `${who}.${part}` : `${who}.street`;
    }
    return '';
  }
  if (p[0] === 'lines' && p.length >= 3) {
    const name = { itemName: 'itemName', quantity: 'quantity', priceAmount: 'priceAmount', unitCode: 'unitCode', vatRate: 'vat', vatCategory: 'vat' }[p[2]!];
    return name ? `lines.${p[1]}.${name}` : '';
  }
  if (p[0] === 'vatExemptions') return 'exemptionReason';
  if (p[0] === 'delivery') return p[1] === 'address' ? 'buyer.county' : 'deliveryDate';
  return '';
}

/** A finding from a path and message (the schema's issue or the API's `errors[]` entry). */
export function toFinding(path: string, message: string, missing = false): Finding {
  return { path, field: fieldOfPath(path), ruleId: ruleIdOf(message), message: missing ? null : message };
}

/**
 * Runs `InvoiceDocumentSchema` on the draft: `[]` when the API would accept it. A field left empty gives a
 * finding with `message: null` (the screen says "required" in its language).
 */
export function validateDraft(d: InvoiceDraft): Finding[] {
  const doc = toInvoiceDocument(d);
  const r = InvoiceDocumentSchema.safeParse(doc);
  if (r.success) return [];
  return r.error.issues.map((i) => toFinding(i.path.map(String).join('.'), i.message, i.code === 'invalid_type' && valueAt(doc, i.path) === undefined));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
