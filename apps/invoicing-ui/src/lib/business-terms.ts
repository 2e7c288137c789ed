/**
 * Which invoice field an ANAF or validation message concerns: the EN 16931 business terms (`BT-n`, `BG-n`) named
 * in its text (ANAF's and the CIUS-RO/EN 16931 rule messages name them, e.g. "The Buyer VAT identifier (BT-48)
 * ..."), with the Romanian/English labels of the editor's fields where the term is one. Source of the terms:
 * EN 16931-1 semantic data model.
 */
const LABELS: Record<string, { ro: string; en: string }> = {
  'BT-1': { ro: 'Număr factură', en: 'Invoice number' },
  'BT-2': { ro: 'Data emiterii', en: 'Issue date' },
  'BT-3': { ro: 'Tip factură', en: 'Invoice type' },
  'BT-5': { ro: 'Moneda facturii', en: 'Invoice currency' },
  'BT-6': { ro: 'Moneda TVA', en: 'VAT accounting currency' },
  'BT-9': { ro: 'Data scadenței', en: 'Due date' },
  'BT-24': { ro: 'Specificație (CIUS-RO)', en: 'Specification identifier' },
  'BT-27': { ro: 'Vânzător', en: 'Seller' },
  'BT-30': { ro: 'Nr. Registrul Comerțului vânzător', en: 'Seller legal registration' },
  'BT-31': { ro: 'CIF vânzător', en: 'Seller VAT identifier' },
  'BT-32': { ro: 'Cod de înregistrare fiscală vânzător', en: 'Seller tax registration' },
  'BT-35': { ro: 'Adresa vânzătorului', en: 'Seller address' },
  'BT-37': { ro: 'Localitatea vânzătorului', en: 'Seller city' },
  'BT-39': { ro: 'Județul vânzătorului', en: 'Seller county' },
  'BT-40': { ro: 'Țara vânzătorului', en: 'Seller country' },
  'BT-44': { ro: 'Cumpărător', en: 'Buyer' },
  'BT-47': { ro: 'Nr. Registrul Comerțului cumpărător', en: 'Buyer legal registration' },
  'BT-48': { ro: 'CIF cumpărător', en: 'Buyer VAT identifier' },
  'BT-50': { ro: 'Adresa cumpărătorului', en: 'Buyer address' },
  'BT-52': { ro: 'Localitatea cumpărătorului', en: 'Buyer city' },
  'BT-54': { ro: 'Județul cumpărătorului', en: 'Buyer county' },
  'BT-55': { ro: 'Țara cumpărătorului', en: 'Buyer country' },
  'BT-81': { ro: 'Modalitate de plată', en: 'Payment means' },
  'BT-84': { ro: 'IBAN', en: 'Payment account' },
  'BT-106': { ro: 'Total linii', en: 'Sum of line net amounts' },
  'BT-109': { ro: 'Total fără TVA', en: 'Total without VAT' },
  'BT-110': { ro: 'TVA', en: 'Total VAT' },
  'BT-112': { ro: 'Total cu TVA', en: 'Total with VAT' },
  'BT-115': { ro: 'Total de plată', en: 'Amount due' },
  'BT-116': { ro: 'Bază de impozitare pe cotă', en: 'VAT category taxable amount' },
  'BT-117': { ro: 'TVA pe cotă', en: 'VAT category tax amount' },
  'BT-118': { ro: 'Categoria TVA', en: 'VAT category' },
  'BT-119': { ro: 'Cota TVA', en: 'VAT rate' },
  'BT-120': { ro: 'Motivul scutirii de TVA', en: 'VAT exemption reason' },
  'BT-126': { ro: 'Nr. linie', en: 'Line identifier' },
  'BT-129': { ro: 'Cantitate', en: 'Quantity' },
  'BT-130': { ro: 'Unitate de măsură', en: 'Unit of measure' },
  'BT-131': { ro: 'Valoare netă linie', en: 'Line net amount' },
  'BT-146': { ro: 'Preț unitar', en: 'Unit price' },
  'BT-151': { ro: 'Cota TVA a liniei', en: 'Line VAT category' },
  'BT-152': { ro: 'Cota TVA', en: 'Line VAT rate' },
  'BT-153': { ro: 'Descriere', en: 'Item name' },
};

/** One field a message concerns: the business term and, when known, the editor's label for it. */
export interface ConcernedField {
  term: string;
  label: string;
}

/**
 * The business terms named in `message`, in order of appearance, each once, with its label in `locale` (the term
 * itself when the label is not known). `[]` when the message names none.
 */
export function fieldsOfMessage(message: string, locale: 'ro' | 'en'): ConcernedField[] {
  const seen = new Set<string>();
  const out: ConcernedField[] = [];
  for (const m of message.matchAll(/\b(B[TG])-(\d{1,3})\b/g)) {
    const term = `${m[1]}-${m[2]}`;
    if (seen.has(term)) continue;
    seen.add(term);
    out.push({ term, label: LABELS[term]?.[locale] ?? term });
  }
  return out;
}
