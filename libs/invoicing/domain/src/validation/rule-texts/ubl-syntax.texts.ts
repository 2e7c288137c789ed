import { UBL_FORBIDDEN_PATHS } from '../rules/ubl-forbidden-paths.js';
import { text } from './business-terms.js';
import type { RuleText, RuleTextTable } from './types.js';

/**
 * Texts of the EN 16931 1.3.8 UBL syntax rules (pattern "UBL-syntax"): UBL-SR-* (cardinalities the
 * UBL schema allows but EN 16931 does not), UBL-DT-* (data types) and UBL-CR-* ("should not include"
 * restrictions). The UBL-CR-* / UBL-DT-08..28 texts are generated from the forbidden path of the rule
 * (rules/ubl-forbidden-paths.ts); the few UBL-CR / UBL-DT rules that are not a plain forbidden path
 * are written by hand.
 */

const T = text;

/** Every alternative of a path whose steps may be unions `(a|b)`: `(a|b)/c` → [`a/c`, `b/c`]. */
function alternatives(steps: readonly string[]): string[] {
  return steps.reduce<string[]>(
    (acc, step) => {
      const m = /^\((.*)\)$/.exec(step);
      const alts = m ? m[1]!.split('|') : [step];
      return acc.flatMap((prefix) => alts.map((a) => (prefix ? `${prefix}/${a}` : a)));
    },
    [''],
  );
}

/**
 * Text of a "should not include" rule (UBL-CR-*, UBL-DT-08..28) from its forbidden path, in the path
 * notation of {@link UBL_FORBIDDEN_PATHS}: steps joined by '/', relative to the document root, a leading
 * '//' for any descendant, `(a|b)` for a union step, a last step `@x` for an attribute.
 * @param flag severity of the rule: `warning` (ANAF accepts the document) or `fatal` (ANAF rejects it).
 */
export function forbiddenPathText(path: string, flag: 'warning' | 'fatal'): RuleText {
  const anywhere = path.startsWith('//');
  const steps = (anywhere ? path.slice(2) : path).split('/');
  const last = steps[steps.length - 1]!;
  const attr = last.startsWith('@') ? last.slice(1) : undefined;
  const owners = alternatives(attr ? steps.slice(0, -1) : steps).filter(Boolean);
  const where = { en: anywhere ? ' wherever it appears' : '', ro: anywhere ? ' oriunde apare' : '' };
  const why =
    flag === 'warning'
      ? {
          en: 'EN 16931 does not use it, so ANAF ignores it (a warning: the invoice is still accepted).',
          ro: 'EN 16931 nu îl folosește, iar ANAF îl ignoră (avertisment: factura este totuși acceptată).',
        }
      : { en: 'EN 16931 does not allow it and ANAF rejects the invoice.', ro: 'EN 16931 nu îl permite, iar ANAF respinge factura.' };
  const ownersEn = owners.join(' or ');
  const ownersRo = owners.join(' sau ');
  let en: string, ro: string, what: string;
  if (attr && owners.length === 0) {
    en = `Remove the ${attr} attribute from every element: ${why.en}`;
    ro = `Eliminați atributul ${attr} de pe toate elementele: ${why.ro}`;
    what = `a ${attr} attribute on any element`;
  } else if (attr) {
    en = `Remove the ${attr} attribute from ${ownersEn}${where.en}: ${why.en}`;
    ro = `Eliminați atributul ${attr} din ${ownersRo}${where.ro}: ${why.ro}`;
    what = `a ${attr} attribute on ${ownersEn}`;
  } else {
    en = `Remove ${ownersEn}${where.en}: ${why.en}`;
    ro = `Eliminați ${ownersRo}${where.ro}: ${why.ro}`;
    what = ownersEn;
  }
  const meaning = `${flag === 'warning' ? 'Warns when' : 'Fails when'} the document contains ${what}, which the EN 16931 UBL binding does not use.`;
  return { terms: [], en, ro, meaning };
}

/** Generated texts of every rule of {@link UBL_FORBIDDEN_PATHS}. */
const FORBIDDEN_PATH_TEXTS: RuleTextTable = Object.fromEntries(
  UBL_FORBIDDEN_PATHS.map(([id, flag, path]) => [id, forbiddenPathText(path, flag)] as const),
);

/** "`what` shall occur at most once" texts: [what (en), what (ro), term ids]. */
function once(en: string, ro: string, terms: readonly string[], where = { en: '', ro: '' }): RuleText {
  return T(
    `Keep only one ${en}${where.en}: EN 16931 allows it at most once; remove the extra occurrences or merge them.`,
    `Păstrați o singură ${ro}${where.ro}: EN 16931 o permite cel mult o dată; eliminați aparițiile în plus sau comasați-le.`,
    `The ${en} occurs at most once${where.en}.`,
    terms,
  );
}
const PER_LINE = { en: ' per invoice line', ro: ' pe linie de factură' };

const HANDWRITTEN: RuleTextTable = {
  'UBL-SR-01': once('contract reference ({BT-12})', 'referință a contractului ({BT-12})', ['BT-12']),
  'UBL-SR-02': once('receiving advice reference ({BT-15})', 'referință a avizului de recepție ({BT-15})', ['BT-15']),
  'UBL-SR-03': once('despatch advice reference ({BT-16})', 'referință a avizului de expediție ({BT-16})', ['BT-16']),
  'UBL-SR-04': once('invoiced object identifier ({BT-18})', 'referință a obiectului facturat ({BT-18})', ['BT-18']),
  'UBL-SR-05': once('payment terms note ({BT-20})', 'notă cu termenii de plată ({BT-20})', ['BT-20']),
  'UBL-SR-06': T(
    'Put each preceding invoice in its own cac:BillingReference ({BG-3}): one cac:InvoiceDocumentReference per billing reference.',
    'Puneți fiecare factură anterioară într-un cac:BillingReference separat ({BG-3}): un singur cac:InvoiceDocumentReference pe referință.',
    'Each Preceding Invoice reference ({BG-3}) holds at most one cac:InvoiceDocumentReference.',
  ),
  'UBL-SR-07': T(
    'Add the preceding invoice number ({BT-25}) to the cac:BillingReference, or remove the empty reference.',
    'Completați numărul facturii anterioare ({BT-25}) în cac:BillingReference, sau eliminați referința goală.',
    'A Preceding Invoice reference (BG-3) gives the preceding invoice number ({BT-25}).',
    ['BT-25', 'BG-3'],
  ),
  'UBL-SR-08': T(
    'Keep only one Invoicing period ({BG-14}) at document level; give per-line periods in the invoice lines.',
    'Păstrați o singură perioadă de facturare ({BG-14}) la nivelul documentului; perioadele pe linii se indică în liniile de factură.',
    'The document has at most one Invoicing period ({BG-14}).',
  ),
  'UBL-SR-09': once('seller name ({BT-27})', 'denumire juridică a vânzătorului ({BT-27})', ['BT-27']),
  'UBL-SR-10': once('seller trading name ({BT-28})', 'denumire comercială a vânzătorului ({BT-28})', ['BT-28']),
  'UBL-SR-11': once('seller legal registration identifier ({BT-30})', 'valoare pentru identificatorul de înregistrare legală a vânzătorului ({BT-30})', ['BT-30']),
  'UBL-SR-12': once('seller VAT identifier ({BT-31})', 'valoare pentru codul de TVA al vânzătorului ({BT-31})', ['BT-31']),
  'UBL-SR-13': once(
    'seller tax registration identifier ({BT-32})',
    'valoare pentru identificatorul de înregistrare fiscală a vânzătorului ({BT-32})',
    ['BT-32'],
  ),
  'UBL-SR-14': once('seller additional legal information ({BT-33})', 'valoare pentru informațiile juridice suplimentare ({BT-33})', ['BT-33']),
  'UBL-SR-15': once('buyer name ({BT-44})', 'denumire juridică a cumpărătorului ({BT-44})', ['BT-44']),
  'UBL-SR-16': once('buyer identifier ({BT-46})', 'valoare pentru identificatorul cumpărătorului ({BT-46})', ['BT-46']),
  'UBL-SR-17': once('buyer legal registration identifier ({BT-47})', 'valoare pentru identificatorul de înregistrare legală a cumpărătorului ({BT-47})', ['BT-47']),
  'UBL-SR-18': once('buyer VAT identifier ({BT-48})', 'valoare pentru codul de TVA al cumpărătorului ({BT-48})', ['BT-48']),
  'UBL-SR-19': T(
    'Give the Payee name ({BT-59}) once, and only when the payee differs from the seller: remove cac:PayeeParty when the seller itself is paid.',
    'Indicați numele beneficiarului plății ({BT-59}) o singură dată și doar când beneficiarul diferă de vânzător: eliminați cac:PayeeParty când plata se face către vânzător.',
    'A Payee (BG-10) has one name ({BT-59}), different from the seller name.',
    ['BT-59', 'BG-10'],
  ),
  'UBL-SR-20': T(
    'Give the Payee identifier ({BT-60}) once, and only when the payee differs from the seller (a different payee name, BT-59).',
    'Indicați identificatorul beneficiarului plății ({BT-60}) o singură dată și doar când beneficiarul diferă de vânzător (alt nume, BT-59).',
    'A Payee (BG-10) different from the seller has at most one identifier ({BT-60}).',
    ['BT-60', 'BT-59', 'BG-10'],
  ),
  'UBL-SR-21': T(
    'Give the Payee legal registration identifier ({BT-61}) once, and only when the payee differs from the seller (a different payee name, BT-59).',
    'Indicați identificatorul de înregistrare legală al beneficiarului plății ({BT-61}) o singură dată și doar când beneficiarul diferă de vânzător (alt nume, BT-59).',
    'A Payee (BG-10) different from the seller has at most one legal registration identifier ({BT-61}).',
    ['BT-61', 'BT-59', 'BG-10'],
  ),
  'UBL-SR-22': once('seller tax representative name ({BT-62})', 'denumire a reprezentantului fiscal ({BT-62})', ['BT-62']),
  'UBL-SR-23': once(
    'seller tax representative VAT identifier ({BT-63})',
    'valoare pentru codul de TVA al reprezentantului fiscal ({BT-63})',
    ['BT-63'],
  ),
  'UBL-SR-24': T(
    'Keep only one cac:Delivery ({BG-13}) at document level.',
    'Păstrați un singur element cac:Delivery ({BG-13}) la nivelul documentului.',
    'The document has at most one Delivery information group ({BG-13}).',
  ),
  'UBL-SR-25': once('deliver to party name ({BT-70})', 'denumire a destinatarului livrării ({BT-70})', ['BT-70']),
  'UBL-SR-26': once('remittance information / payment reference ({BT-83}) per payment instruction', 'referință de plată ({BT-83}) pe instrucțiune de plată', ['BT-83']),
  'UBL-SR-27': once('payment means code ({BT-81}) per payment instruction', 'valoare pentru codul instrumentului de plată ({BT-81}) pe instrucțiune de plată', ['BT-81']),
  'UBL-SR-28': once('mandate reference ({BT-89}) per payment instruction', 'referință a mandatului de debitare directă ({BT-89}) pe instrucțiune de plată', ['BT-89']),
  'UBL-SR-29': once('bank assigned creditor identifier ({BT-90}, schemeID SEPA) in the whole document', 'valoare pentru identificatorul de creditor ({BT-90}, schemeID SEPA) în tot documentul', ['BT-90']),
  'UBL-SR-30': once('reason text ({BT-97}) per document level allowance', 'valoare pentru motivul deducerii ({BT-97}) pe deducere la nivelul documentului', ['BT-97']),
  'UBL-SR-31': once('reason text ({BT-104}) per document level charge', 'valoare pentru motivul majorării ({BT-104}) pe majorare la nivelul documentului', ['BT-104']),
  'UBL-SR-32': once('VAT exemption reason text ({BT-120}) per VAT breakdown', 'valoare pentru motivul scutirii de TVA ({BT-120}) pe detaliere TVA', ['BT-120']),
  'UBL-SR-33': once('supporting document description ({BT-123}) per supporting document', 'descriere ({BT-123}) pe document justificativ', ['BT-123']),
  'UBL-SR-34': once('invoice line note ({BT-127})', 'notă ({BT-127})', ['BT-127'], PER_LINE),
  'UBL-SR-35': once('purchase order line reference ({BT-132})', 'referință a liniei din comandă ({BT-132})', ['BT-132'], PER_LINE),
  'UBL-SR-36': once('invoice line period ({BG-26})', 'perioadă a liniei ({BG-26})', ['BG-26'], PER_LINE),
  'UBL-SR-37': once('item price discount ({BT-147})', 'reducere de preț a articolului ({BT-147})', ['BT-147'], PER_LINE),
  'UBL-SR-39': once('project reference ({BT-11})', 'referință a proiectului ({BT-11})', ['BT-11']),
  'UBL-SR-40': once('buyer trading name ({BT-45})', 'denumire comercială a cumpărătorului ({BT-45})', ['BT-45']),
  'UBL-SR-42': T(
    "Keep at most two cac:PartyTaxScheme in the seller party: one for the VAT identifier ({BT-31}) and one for the tax registration identifier (BT-32).",
    'Păstrați cel mult două elemente cac:PartyTaxScheme la vânzător: unul pentru codul de TVA ({BT-31}) și unul pentru identificatorul de înregistrare fiscală (BT-32).',
    'The seller party has at most two cac:PartyTaxScheme (BT-31 and BT-32).',
    ['BT-31', 'BT-32'],
  ),
  'UBL-SR-43': T(
    'Remove cbc:DocumentTypeCode from ordinary supporting documents (BG-24): use it only with value 130 for the invoiced object identifier ({BT-18}) (or 50 in a credit note).',
    'Eliminați cbc:DocumentTypeCode din documentele justificative obișnuite (BG-24): folosiți-l doar cu valoarea 130 pentru identificatorul obiectului facturat ({BT-18}) (sau 50 la nota de credit).',
    'A supporting document reference carries a document type code (and a scheme) only for the invoiced object identifier ({BT-18}, code 130).',
    ['BT-18', 'BG-24'],
  ),
  'UBL-SR-44': T(
    'Use the same remittance information ({BT-83}) in every cac:PaymentMeans: the invoice has a single payment reference.',
    'Folosiți aceeași referință de plată ({BT-83}) în toate elementele cac:PaymentMeans: factura are o singură referință de plată.',
    'All payment instructions carry the same Remittance information ({BT-83}).',
  ),
  'UBL-SR-45': T(
    'Keep only one cac:PaymentMeans/cbc:PaymentDueDate (the Payment due date BT-9 of a credit note).',
    'Păstrați un singur cac:PaymentMeans/cbc:PaymentDueDate (data scadenței BT-9 la nota de credit).',
    'The document has at most one payment due date in the payment instructions (BT-9).',
    ['BT-9'],
  ),
  'UBL-SR-46': T(
    'Give the Payment means text ({BT-82}) in one payment instruction only.',
    'Indicați explicația instrumentului de plată ({BT-82}) într-o singură instrucțiune de plată.',
    'The document has at most one Payment means text ({BT-82}).',
  ),
  'UBL-SR-47': T(
    'Use the same Payment means type code ({BT-81}) in every cac:PaymentMeans, e.g. 30 for all bank accounts; split payments of different kinds into separate invoices.',
    'Folosiți același cod al tipului instrumentului de plată ({BT-81}) în toate elementele cac:PaymentMeans, de exemplu 30 pentru toate conturile bancare.',
    'All payment instructions have the same Payment means type code ({BT-81}).',
  ),
  'UBL-SR-48': T(
    'Give every invoice line exactly one cac:Item/cac:ClassifiedTaxCategory ({BT-151}): add the missing one or remove the extra ones.',
    'Indicați pentru fiecare linie de factură exact un element cac:Item/cac:ClassifiedTaxCategory ({BT-151}): adăugați-l pe cel lipsă sau eliminați-le pe cele în plus.',
    'Every Invoice line has exactly one VAT category ({BT-151}).',
    ['BT-151', 'BG-25'],
  ),
  'UBL-SR-49': once('value added tax point date code ({BT-8})', 'valoare pentru codul datei de exigibilitate a TVA ({BT-8})', ['BT-8']),
  'UBL-SR-50': once('item description ({BT-154})', 'descriere a articolului ({BT-154})', ['BT-154'], PER_LINE),
  'UBL-DT-01': T(
    'Round every amount to at most 2 decimals (e.g. 1234.57 instead of 1234.567); only prices (cbc:PriceAmount and the amounts of cac:Price/cac:AllowanceCharge) may have more.',
    'Rotunjiți fiecare sumă la cel mult 2 zecimale (de exemplu 1234.57 în loc de 1234.567); doar prețurile (cbc:PriceAmount și sumele din cac:Price/cac:AllowanceCharge) pot avea mai multe.',
    'Every *Amount element except prices has at most two decimals.',
    [],
  ),
  'UBL-DT-06': T(
    'Add the mimeCode attribute to every embedded attachment ({BT-125}), e.g. application/pdf.',
    'Adăugați atributul mimeCode la fiecare document atașat ({BT-125}), de exemplu application/pdf.',
    'Every binary object (attached document, {BT-125}) has a mimeCode attribute.',
  ),
  'UBL-DT-07': T(
    'Add the filename attribute to every embedded attachment ({BT-125}), e.g. filename="contract.pdf".',
    'Adăugați atributul filename la fiecare document atașat ({BT-125}), de exemplu filename="contract.pdf".',
    'Every binary object (attached document, {BT-125}) has a filename attribute.',
  ),
  'UBL-DT-18': T(
    'Remove the name attribute from every element except cbc:PaymentMeansCode: EN 16931 does not use it (a warning: the invoice is still accepted).',
    'Eliminați atributul name de pe toate elementele, cu excepția cbc:PaymentMeansCode: EN 16931 nu îl folosește (avertisment: factura este totuși acceptată).',
    'Warns when a name attribute appears anywhere else than on cbc:PaymentMeansCode.',
    [],
  ),
  'UBL-CR-002': T(
    'Remove cbc:UBLVersionID or set it to 2.1 (a warning: the invoice is still accepted).',
    'Eliminați cbc:UBLVersionID sau completați-l cu 2.1 (avertisment: factura este totuși acceptată).',
    'Warns when cbc:UBLVersionID is present with a value other than 2.1.',
    [],
  ),
  'UBL-CR-412': T(
    'Move the payment due date from cac:PaymentMeans/cbc:PaymentDueDate to cbc:DueDate ({BT-9}) at document level: in an invoice EN 16931 uses cbc:DueDate (a warning).',
    'Mutați data scadenței din cac:PaymentMeans/cbc:PaymentDueDate în cbc:DueDate ({BT-9}) la nivelul documentului: în factură EN 16931 folosește cbc:DueDate (avertisment).',
    'Warns when an invoice (not a credit note) has cac:PaymentMeans/cbc:PaymentDueDate.',
    [],
  ),
  'UBL-CR-420': T(
    'Remove the card security code cac:PaymentMeans/cac:CardAccount/cbc:CV2ID: an invoice must never carry it (a warning).',
    'Eliminați codul de securitate al cardului cac:PaymentMeans/cac:CardAccount/cbc:CV2ID: o factură nu trebuie să îl conțină niciodată (avertisment).',
    'Warns when the document carries a card security code (CV2ID).',
    [],
  ),
  'UBL-CR-665': T(
    'Remove the schemeID attribute from cac:AdditionalDocumentReference/cbc:ID unless cbc:DocumentTypeCode is 130 (invoiced object identifier, BT-18) (a warning).',
    'Eliminați atributul schemeID din cac:AdditionalDocumentReference/cbc:ID, cu excepția cazului în care cbc:DocumentTypeCode este 130 (identificatorul obiectului facturat, BT-18) (avertisment).',
    'Warns when a supporting document reference other than an invoiced object identifier has a schemeID.',
    [],
  ),
  'UBL-CR-666': T(
    'Remove cac:Attachment from the cac:AdditionalDocumentReference with cbc:DocumentTypeCode 130 (invoiced object identifier, {BT-18}); attach files in a separate supporting document reference (BG-24).',
    'Eliminați cac:Attachment din cac:AdditionalDocumentReference cu cbc:DocumentTypeCode 130 (identificatorul obiectului facturat, {BT-18}); atașați fișierele într-o referință separată la un document justificativ (BG-24).',
    'An invoiced object identifier ({BT-18}, document type 130) carries no attachment.',
    ['BT-18', 'BG-24'],
  ),
  'UBL-CR-673': T(
    'Remove cbc:DocumentDescription from the cac:AdditionalDocumentReference with cbc:DocumentTypeCode 130 (invoiced object identifier, {BT-18}); describe documents in a separate supporting document reference (BG-24).',
    'Eliminați cbc:DocumentDescription din cac:AdditionalDocumentReference cu cbc:DocumentTypeCode 130 (identificatorul obiectului facturat, {BT-18}); descrierile se dau într-o referință separată la un document justificativ (BG-24).',
    'An invoiced object identifier ({BT-18}, document type 130) carries no document description.',
    ['BT-18', 'BG-24'],
  ),
};

/** Texts of the UBL syntax rules: generated forbidden-path texts, overridden by the hand-written ones. */
export const UBL_SYNTAX_TEXTS: RuleTextTable = { ...FORBIDDEN_PATH_TEXTS, ...HANDWRITTEN };
