/**
 * Texts of the invoicing remote, Romanian (default) and English, in an i18next instance of its own
 * (namespace `invoicing`): the remote never depends on how the shell configured its instance; the shell's
 * `locale` prop selects the language.
 */
import i18next, { type i18n } from 'i18next';

export const ro = {
  title: 'Facturi',
  newInvoice: 'Factură nouă',
  importXml: 'Importă UBL',
  number: 'Număr',
  buyer: 'Cumpărător',
  date: 'Data',
  total: 'Total',
  state: 'Stare',
  stateFilter: 'Filtrează după stare',
  allStates: 'Toate stările',
  buyerFilter: 'Caută după cumpărător',
  issuedFrom: 'Emise de la',
  issuedTo: 'Emise până la',
  pages: 'Pagini',
  pager: { first: 'Prima pagină', previous: 'Pagina anterioară', next: 'Pagina următoare', last: 'Ultima pagină' },
  empty: 'Nicio factură.',
  loading: 'Se încarcă…',
  listCaption: 'Facturile companiei, cele mai noi primele',
  totalCount: '{{count}} facturi',
  liveUpdate: 'Starea se actualizează automat.',
  states: {
    draft: 'ciornă', queued: 'în coadă', validating: 'în validare', invalid: 'invalidă', uploading: 'se încarcă',
    submitted: 'trimisă', accepted: 'acceptată', rejected: 'respinsă', unknown: 'necunoscută', failed: 'eșuată',
  },
  editor: {
    invoiceNumber: 'Număr factură', issueDate: 'Data emiterii', dueDate: 'Data scadenței', deliveryDate: 'Data livrării',
    seller: 'Vânzător', sellerName: 'Denumire vânzător', sellerCif: 'CIF vânzător', buyerCif: 'CIF cumpărător',
    street: 'Stradă și număr', city: 'Localitate', county: 'Județ', country: 'Țară', sellerHint: 'Datele vânzătorului se rețin pe acest calculator.',
    buyerSection: 'Cumpărător', lines: 'Linii', line: 'Linia {{n}}', itemName: 'Descriere', quantity: 'Cantitate', unitCode: 'U.M.',
    unitPrice: 'Preț unitar', vatRate: 'Cota TVA', lineNet: 'Valoare', addLine: 'Adaugă linie', removeLine: 'Șterge linia {{n}}',
    exemptionReason: 'Motiv scutire TVA', totals: 'Totaluri', vatBreakdown: 'TVA pe cote', taxable: 'Bază', net: 'Total fără TVA',
    vat: 'TVA', payable: 'Total de plată', save: 'Salvează', cancel: 'Renunță', findings: 'Probleme de validare',
    required: 'Câmp obligatoriu', incomplete: 'Liniile {{lines}} nu sunt încă socotite (cantitate sau preț incomplet).',
    cifHint: 'Cu prefix (RO…) = cod TVA; doar cifre = CUI', noFindings: 'Nicio problemă de validare.',
  },
  vat: { S21: 'S 21 %', S11: 'S 11 %', Z: 'Z 0 % (cotă zero)', E: 'E scutit', AE: 'AE taxare inversă', K: 'K livrare intracomunitară', G: 'G export', O: 'O neimpozabil' },
  import: {
    title: 'Import UBL', drop: 'Trage aici un fișier XML UBL (Invoice sau CreditNote) sau alege-l', choose: 'Alege fișier XML',
    uploading: 'Se importă {{name}}…', tooLarge: 'Fișierul depășește 10 MB (limita ANAF).',
  },
  detail: {
    back: 'Înapoi la facturi', send: 'Trimite la ANAF', sending: 'Se trimite…', alreadySent: 'Această versiune a fost deja trimisă; nu se retrimite.',
    downloadXml: 'Descarcă XML', downloadZip: 'Descarcă ZIP ANAF', seller: 'Vânzător', version: 'Versiune', source: 'Sursă',
    indexIncarcare: 'Index încărcare', idDescarcare: 'Id descărcare', reason: 'Motiv', history: 'Istoric', at: 'Momentul', event: 'Eveniment',
    anafMessages: 'Mesaje ANAF și erori de validare', ruleId: 'Regula', flag: 'Tip', field: 'Câmpul vizat', message: 'Mesaj', fatal: 'Reguli încălcate',
    notFound: 'Factura nu există.', versions: 'Versiuni', sentAt: 'Trimisă la', correction: 'Încarcă UBL-ul corectat (XML, cel mult 10 MB): devine versiunea următoare, în stare ciornă, pe care o trimiți apoi la ANAF. Versiunile anterioare rămân, cu răspunsurile ANAF.',
    correctionTitle: 'Corectare', uploadCorrected: 'Încarcă versiunea corectată', uploadingVersion: 'Se încarcă {{name}}…',
    versionCreated: 'Versiunea {{version}} a fost creată (ciornă). Trimite-o la ANAF.', anafZip: 'ZIP ANAF',
    zipOfVersion: 'ZIP ANAF, versiunea {{version}}', versionsCaption: 'Fiecare versiune, cu starea ei e-Factura',
    issueCreditNote: 'Emite notă de credit (integral)', creditNotes: 'Note de credit', noCreditNotes: 'Nicio notă de credit.',
    amountDue: 'Rest de plată', creditedInvoice: 'Factura creditată de această notă', creditNotesCaption: 'Notele de credit ale facturii',
    totalNet: 'Total fără TVA', totalVat: 'TVA', totalPayable: 'Total de plată',
    line: 'Linia', localFindings: 'Verificarea locală (EN 16931 + CIUS-RO) a acestei versiuni',
    localFindingsValid: 'Nicio regulă fatală încălcată: ANAF ar trebui s-o accepte; avertismentele de mai jos nu o opresc.',
    localFindingsInvalid: 'ANAF ar respinge versiunea: {{count}} reguli fatale încălcate. Corectează-le înainte de trimitere.',
  },
  error: { title: 'Eroare', trace: 'Cod de urmărire: {{traceId}}', retry: 'Reîncearcă' },
} as const;

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const en: Shape<typeof ro> = {
  title: 'Invoices',
  newInvoice: 'New invoice',
  importXml: 'Import UBL',
  number: 'Number',
  buyer: 'Buyer',
  date: 'Date',
  total: 'Total',
  state: 'State',
  stateFilter: 'Filter by state',
  allStates: 'All states',
  buyerFilter: 'Search by buyer',
  issuedFrom: 'Issued from',
  issuedTo: 'Issued until',
  pages: 'Pages',
  pager: { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' },
  empty: 'No invoices.',
  loading: 'Loading…',
  listCaption: "The company's invoices, newest first",
  totalCount: '{{count}} invoices',
  liveUpdate: 'The state updates automatically.',
  states: {
    draft: 'draft', queued: 'queued', validating: 'validating', invalid: 'invalid', uploading: 'uploading',
    submitted: 'submitted', accepted: 'accepted', rejected: 'rejected', unknown: 'unknown', failed: 'failed',
  },
  editor: {
    invoiceNumber: 'Invoice number', issueDate: 'Issue date', dueDate: 'Due date', deliveryDate: 'Delivery date',
    seller: 'Seller', sellerName: 'Seller name', sellerCif: 'Seller tax id', buyerCif: 'Buyer tax id',
    street: 'Street and number', city: 'City', county: 'County', country: 'Country', sellerHint: 'The seller is remembered on this computer.',
    buyerSection: 'Buyer', lines: 'Lines', line: 'Line {{n}}', itemName: 'Description', quantity: 'Quantity', unitCode: 'Unit',
    unitPrice: 'Unit price', vatRate: 'VAT rate', lineNet: 'Amount', addLine: 'Add line', removeLine: 'Remove line {{n}}',
    exemptionReason: 'VAT exemption reason', totals: 'Totals', vatBreakdown: 'VAT per rate', taxable: 'Taxable', net: 'Total without VAT',
    vat: 'VAT', payable: 'Amount due', save: 'Save', cancel: 'Cancel', findings: 'Validation findings',
    required: 'Required', incomplete: 'Lines {{lines}} are not counted yet (quantity or price incomplete).',
    cifHint: 'With a prefix (RO…) = VAT id; digits only = CUI', noFindings: 'No validation findings.',
  },
  vat: { S21: 'S 21 %', S11: 'S 11 %', Z: 'Z 0 % (zero rated)', E: 'E exempt', AE: 'AE reverse charge', K: 'K intra-community supply', G: 'G export', O: 'O outside the scope of VAT' },
  import: {
    title: 'UBL import', drop: 'Drop a UBL XML file (Invoice or CreditNote) here, or choose one', choose: 'Choose XML file',
    uploading: 'Importing {{name}}…', tooLarge: 'The file is over 10 MB (ANAF limit).',
  },
  detail: {
    back: 'Back to invoices', send: 'Send to ANAF', sending: 'Sending…', alreadySent: 'This version was already sent; it is not sent again.',
    downloadXml: 'Download XML', downloadZip: 'Download ANAF ZIP', seller: 'Seller', version: 'Version', source: 'Source',
    indexIncarcare: 'Upload index', idDescarcare: 'Download id', reason: 'Reason', history: 'History', at: 'When', event: 'Event',
    anafMessages: 'ANAF messages and validation errors', ruleId: 'Rule', flag: 'Kind', field: 'Field concerned', message: 'Message', fatal: 'Broken rules',
    notFound: 'The invoice does not exist.', versions: 'Versions', sentAt: 'Sent at', correction: 'Upload the corrected UBL (XML, at most 10 MB): it becomes the next version, a draft you then send to ANAF. Earlier versions stay, with their ANAF answers.',
    correctionTitle: 'Correction', uploadCorrected: 'Upload the corrected version', uploadingVersion: 'Uploading {{name}}…',
    versionCreated: 'Version {{version}} was created (draft). Send it to ANAF.', anafZip: 'ANAF ZIP',
    zipOfVersion: 'ANAF ZIP, version {{version}}', versionsCaption: 'Every version, with its e-Factura state',
    issueCreditNote: 'Issue a full credit note', creditNotes: 'Credit notes', noCreditNotes: 'No credit notes.',
    amountDue: 'Amount still due', creditedInvoice: 'The invoice this note credits', creditNotesCaption: "The invoice's credit notes",
    totalNet: 'Total without VAT', totalVat: 'VAT', totalPayable: 'Amount due',
    line: 'Line', localFindings: 'Local check (EN 16931 + CIUS-RO) of this version',
    localFindingsValid: 'No fatal rule broken: ANAF should accept it; the warnings below do not stop it.',
    localFindingsInvalid: 'ANAF would reject this version: {{count}} fatal rules broken. Fix them before sending.',
  },
  error: { title: 'Error', trace: 'Trace id: {{traceId}}', retry: 'Retry' },
};

/** A new i18next instance with both languages, `lng` first. Synchronous (resources inline). */
export function createInvoicingI18n(lng: 'ro' | 'en'): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng,
    fallbackLng: 'ro',
    defaultNS: 'invoicing',
    ns: ['invoicing'],
    resources: { ro: { invoicing: ro }, en: { invoicing: en } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
