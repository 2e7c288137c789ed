import { RO_CIUS_ID } from '../rules/cius-ro.rules.js';
import { cap, enName, roName, text } from './business-terms.js';
import type { RuleTextTable } from './types.js';

/**
 * Texts of the EN 16931 1.3.8 core rules bound to UBL (BR-01..BR-67, BR-CO-*, BR-B-*, BR-DEC-*), as
 * embedded in ANAF's CIUS-RO 1.0.9 artefact. Our wording; the rule semantics are those of the
 * CEN/TC 434 Schematron (EN16931-UBL-model).
 */

const E = text;

/** BR-DEC-*: at most two decimals, [rule id, business term]. */
const DECIMALS: ReadonlyArray<readonly [string, string]> = [
  ['BR-DEC-01', 'BT-92'],
  ['BR-DEC-02', 'BT-93'],
  ['BR-DEC-05', 'BT-99'],
  ['BR-DEC-06', 'BT-100'],
  ['BR-DEC-09', 'BT-106'],
  ['BR-DEC-10', 'BT-107'],
  ['BR-DEC-11', 'BT-108'],
  ['BR-DEC-12', 'BT-109'],
  ['BR-DEC-14', 'BT-112'],
  ['BR-DEC-16', 'BT-113'],
  ['BR-DEC-17', 'BT-114'],
  ['BR-DEC-18', 'BT-115'],
  ['BR-DEC-19', 'BT-116'],
  ['BR-DEC-20', 'BT-117'],
  ['BR-DEC-23', 'BT-131'],
  ['BR-DEC-24', 'BT-136'],
  ['BR-DEC-25', 'BT-137'],
  ['BR-DEC-27', 'BT-141'],
  ['BR-DEC-28', 'BT-142'],
];

/**
 * Text of a "at most two decimals" rule on business term `bt` (EN 16931 BR-DEC-*, CIUS-RO BR-DEC-RO-*).
 * @param note extra sentence appended to `en` / `ro` (e.g. which currency amount is meant).
 */
export function decimalsText(bt: string, note?: { en: string; ro: string }) {
  return E(
    `Round the ${enName(bt)} ({${bt}}) to at most 2 decimals, e.g. 1234.57 instead of 1234.567.${note ? ' ' + note.en : ''}`,
    `Rotunjiți ${roName(bt)} ({${bt}}) la cel mult 2 zecimale, de exemplu 1234.57 în loc de 1234.567.${note ? ' ' + note.ro : ''}`,
    `The ${enName(bt)} ({${bt}}) has at most two decimals.`,
  );
}

/** Note of the BT-110 decimals rules: which cac:TaxTotal/cbc:TaxAmount is meant. */
export const TAX_IN_DOC_CURRENCY = {
  en: 'This is the cac:TaxTotal/cbc:TaxAmount whose currencyID is the invoice currency (BT-5).',
  ro: 'Este vorba de cac:TaxTotal/cbc:TaxAmount cu currencyID egal cu moneda facturii (BT-5).',
};
/** Note of the BT-111 decimals rules: which cac:TaxTotal/cbc:TaxAmount is meant. */
export const TAX_IN_ACCOUNTING_CURRENCY = {
  en: 'This is the cac:TaxTotal/cbc:TaxAmount whose currencyID is the VAT accounting currency (BT-6).',
  ro: 'Este vorba de cac:TaxTotal/cbc:TaxAmount cu currencyID egal cu moneda de contabilizare a TVA (BT-6).',
};

/** "every <group>" in English and Romanian, for the groups that {@link required} texts name. */
const EACH: Readonly<Record<string, readonly [en: string, ro: string]>> = {
  'BG-20': ['every Document level allowance', 'fiecare deducere la nivelul documentului'],
  'BG-21': ['every Document level charge', 'fiecare majorare la nivelul documentului'],
  'BG-23': ['every VAT breakdown', 'fiecare detaliere TVA'],
  'BG-25': ['every Invoice line', 'fiecare linie de factură'],
  'BG-27': ['every Invoice line allowance', 'fiecare deducere la nivelul liniei'],
  'BG-28': ['every Invoice line charge', 'fiecare majorare la nivelul liniei'],
};

/** Text of an "each <group> shall have <term>" rule; `hint` is appended to `en` / `ro`. */
function required(bt: string, group: string, hintEn = '', hintRo = '') {
  const [eachEn, eachRo] = EACH[group]!;
  return E(
    `Add the ${enName(bt)} ({${bt}}) to ${eachEn} (${group}).${hintEn ? ' ' + hintEn : ''}`,
    `Completați ${roName(bt)} ({${bt}}) în ${eachRo} (${group}).${hintRo ? ' ' + hintRo : ''}`,
    `${cap(eachEn)} (${group}) has the ${enName(bt)} ({${bt}}).`,
    [bt, group],
  );
}

export const EN16931_CORE_TEXTS: RuleTextTable = {
  'BR-01': E(
    `Add the Specification identifier ({BT-24}); for e-Factura it is ${RO_CIUS_ID}.`,
    `Completați identificatorul specificației ({BT-24}); pentru e-Factura valoarea este ${RO_CIUS_ID}.`,
    'The document has a non-empty Specification identifier ({BT-24}).',
  ),
  'BR-02': E(
    'Add the Invoice number ({BT-1}), the number of the invoice in your numbering series.',
    'Completați numărul facturii ({BT-1}), adică numărul din seria dumneavoastră de facturare.',
    'The document has a non-empty Invoice number ({BT-1}).',
  ),
  'BR-03': E(
    'Add the Invoice issue date ({BT-2}) as YYYY-MM-DD.',
    'Completați data emiterii facturii ({BT-2}) în formatul AAAA-LL-ZZ (YYYY-MM-DD).',
    'The document has a non-empty Invoice issue date ({BT-2}).',
  ),
  'BR-04': E(
    'Add the Invoice type code ({BT-3}; cbc:CreditNoteTypeCode in a credit note), e.g. 380 for an invoice or 381 for a credit note.',
    'Completați codul tipului facturii ({BT-3}; cbc:CreditNoteTypeCode la nota de credit), de exemplu 380 pentru factură sau 381 pentru notă de credit.',
    'The document has a non-empty Invoice type code ({BT-3}).',
  ),
  'BR-05': E(
    'Add the Invoice currency code ({BT-5}), an ISO 4217 code such as RON or EUR.',
    'Completați codul monedei facturii ({BT-5}), un cod ISO 4217, de exemplu RON sau EUR.',
    'The document has a non-empty Invoice currency code ({BT-5}).',
  ),
  'BR-06': E(
    'Add the Seller name ({BT-27}), the registered legal name of the seller.',
    'Completați numele vânzătorului ({BT-27}), adică denumirea juridică înregistrată a vânzătorului.',
    'The document has a non-empty Seller name ({BT-27}).',
  ),
  'BR-07': E(
    'Add the Buyer name ({BT-44}), the registered legal name of the buyer.',
    'Completați numele cumpărătorului ({BT-44}), adică denumirea juridică înregistrată a cumpărătorului.',
    'The document has a non-empty Buyer name ({BT-44}).',
  ),
  'BR-08': E(
    'Add the Seller postal address ({BG-5}) with at least the street, the city and the country code.',
    'Adăugați adresa poștală a vânzătorului ({BG-5}) cu cel puțin strada, localitatea și codul țării.',
    'The document has a Seller postal address ({BG-5}).',
  ),
  'BR-09': E(
    'Add the Seller country code ({BT-40}), an ISO 3166-1 alpha-2 code such as RO, to the seller postal address (BG-5).',
    'Completați codul țării vânzătorului ({BT-40}), un cod ISO 3166-1 alpha-2, de exemplu RO, în adresa poștală a vânzătorului (BG-5).',
    'The Seller postal address (BG-5) has a non-empty Seller country code ({BT-40}).',
    ['BT-40', 'BG-5'],
  ),
  'BR-10': E(
    'Add the Buyer postal address ({BG-8}) with at least the street, the city and the country code.',
    'Adăugați adresa poștală a cumpărătorului ({BG-8}) cu cel puțin strada, localitatea și codul țării.',
    'The document has a Buyer postal address ({BG-8}).',
  ),
  'BR-11': E(
    'Add the Buyer country code ({BT-55}), an ISO 3166-1 alpha-2 code such as RO, to the buyer postal address (BG-8).',
    'Completați codul țării cumpărătorului ({BT-55}), un cod ISO 3166-1 alpha-2, de exemplu RO, în adresa poștală a cumpărătorului (BG-8).',
    'The Buyer postal address (BG-8) has a non-empty Buyer country code ({BT-55}).',
    ['BT-55', 'BG-8'],
  ),
  'BR-12': E(
    'Add the Sum of Invoice line net amount ({BT-106}) to the document totals.',
    'Completați suma valorilor nete ale liniilor facturii ({BT-106}) în totalurile documentului.',
    'The document totals (BG-22) contain the Sum of Invoice line net amount ({BT-106}).',
    ['BT-106', 'BG-22'],
  ),
  'BR-13': E(
    'Add the Invoice total amount without VAT ({BT-109}) to the document totals.',
    'Completați valoarea totală a facturii fără TVA ({BT-109}) în totalurile documentului.',
    'The document totals (BG-22) contain the Invoice total amount without VAT ({BT-109}).',
    ['BT-109', 'BG-22'],
  ),
  'BR-14': E(
    'Add the Invoice total amount with VAT ({BT-112}) to the document totals.',
    'Completați valoarea totală a facturii cu TVA ({BT-112}) în totalurile documentului.',
    'The document totals (BG-22) contain the Invoice total amount with VAT ({BT-112}).',
    ['BT-112', 'BG-22'],
  ),
  'BR-15': E(
    'Add the Amount due for payment ({BT-115}) to the document totals.',
    'Completați suma de plată ({BT-115}) în totalurile documentului.',
    'The document totals (BG-22) contain the Amount due for payment ({BT-115}).',
    ['BT-115', 'BG-22'],
  ),
  'BR-16': E(
    'Add at least one Invoice line ({BG-25}; cac:CreditNoteLine in a credit note).',
    'Adăugați cel puțin o linie de factură ({BG-25}; cac:CreditNoteLine la nota de credit).',
    'The document has at least one Invoice line ({BG-25}).',
  ),
  'BR-17': E(
    'Add the Payee name ({BT-59}) when the payee ({BG-10}) is not the seller, or remove cac:PayeeParty when the seller is paid.',
    'Completați numele beneficiarului plății ({BT-59}) când beneficiarul ({BG-10}) nu este vânzătorul, sau eliminați cac:PayeeParty când plata se face către vânzător.',
    'A Payee ({BG-10}) different from the seller has a Payee name ({BT-59}).',
  ),
  'BR-18': E(
    'Add the Seller tax representative name ({BT-62}) to the tax representative party (BG-11).',
    'Completați numele reprezentantului fiscal al vânzătorului ({BT-62}) în datele reprezentantului fiscal (BG-11).',
    'A Seller tax representative party (BG-11) has a name ({BT-62}).',
    ['BT-62', 'BG-11'],
  ),
  'BR-19': E(
    'Add the Seller tax representative postal address ({BG-12}) to the tax representative party (BG-11).',
    'Adăugați adresa poștală a reprezentantului fiscal ({BG-12}) în datele reprezentantului fiscal (BG-11).',
    'A Seller tax representative party (BG-11) has a postal address ({BG-12}).',
    ['BG-12', 'BG-11'],
  ),
  'BR-20': E(
    'Add the Tax representative country code ({BT-69}) to the tax representative postal address (BG-12).',
    'Completați codul țării reprezentantului fiscal ({BT-69}) în adresa poștală a reprezentantului fiscal (BG-12).',
    'The Seller tax representative postal address (BG-12) has a country code ({BT-69}).',
    ['BT-69', 'BG-12'],
  ),
  'BR-21': required('BT-126', 'BG-25', 'Number the lines 1, 2, 3...', 'Numerotați liniile 1, 2, 3...'),
  'BR-22': required('BT-129', 'BG-25', 'In a credit note the element is cbc:CreditedQuantity.', 'La nota de credit elementul este cbc:CreditedQuantity.'),
  'BR-23': E(
    'Add the unitCode attribute ({BT-130}) to the invoiced quantity of every Invoice line (BG-25), a UN/ECE Rec. 20 code such as H87 (piece) or KGM (kilogram).',
    'Adăugați atributul unitCode ({BT-130}) la cantitatea facturată din fiecare linie de factură (BG-25), un cod UN/ECE Rec. 20, de exemplu H87 (bucată) sau KGM (kilogram).',
    'Every Invoice line (BG-25) gives the unit of measure code ({BT-130}) of its quantity.',
    ['BT-130', 'BG-25'],
  ),
  'BR-24': required('BT-131', 'BG-25', 'It is quantity × net price, plus line charges, minus line allowances.', 'Aceasta este cantitatea × prețul net, plus majorările, minus deducerile liniei.'),
  'BR-25': required('BT-153', 'BG-25'),
  'BR-26': required('BT-146', 'BG-25'),
  'BR-28': E(
    'Make the Item gross price ({BT-148}) zero or positive.',
    'Folosiți un preț brut al articolului ({BT-148}) zero sau pozitiv.',
    'The Item gross price ({BT-148}) is not negative.',
  ),
  'BR-29': E(
    'Correct the Invoicing period so that the end date ({BT-74}) is on or after the start date ({BT-73}).',
    'Corectați perioada de facturare astfel încât data de sfârșit ({BT-74}) să fie egală cu sau ulterioară datei de început ({BT-73}).',
    'The Invoicing period end date ({BT-74}) is not before its start date ({BT-73}).',
  ),
  'BR-30': E(
    'Correct the Invoice line period so that the end date ({BT-135}) is on or after the start date ({BT-134}).',
    'Corectați perioada liniei de factură astfel încât data de sfârșit ({BT-135}) să fie egală cu sau ulterioară datei de început ({BT-134}).',
    'The Invoice line period end date ({BT-135}) is not before its start date ({BT-134}).',
  ),
  'BR-31': required('BT-92', 'BG-20'),
  'BR-32': required('BT-95', 'BG-20', 'Use the VAT category of the goods the allowance reduces, e.g. S.', 'Folosiți categoria de TVA a bunurilor la care se aplică deducerea, de exemplu S.'),
  'BR-33': E(
    'Add a reason text ({BT-97}) or a reason code ({BT-98}, UNTDID 5189) to every Document level allowance (BG-20).',
    'Completați motivul ({BT-97}) sau codul motivului ({BT-98}, UNTDID 5189) pentru fiecare deducere la nivelul documentului (BG-20).',
    'Every Document level allowance (BG-20) has a reason ({BT-97}) or a reason code ({BT-98}).',
    ['BT-97', 'BT-98', 'BG-20'],
  ),
  'BR-36': required('BT-99', 'BG-21'),
  'BR-37': required('BT-102', 'BG-21', 'Use the VAT category the charge is taxed at, e.g. S.', 'Folosiți categoria de TVA la care se impozitează majorarea, de exemplu S.'),
  'BR-38': E(
    'Add a reason text ({BT-104}) or a reason code ({BT-105}, UNTDID 7161) to every Document level charge (BG-21).',
    'Completați motivul ({BT-104}) sau codul motivului ({BT-105}, UNTDID 7161) pentru fiecare majorare la nivelul documentului (BG-21).',
    'Every Document level charge (BG-21) has a reason ({BT-104}) or a reason code ({BT-105}).',
    ['BT-104', 'BT-105', 'BG-21'],
  ),
  'BR-41': required('BT-136', 'BG-27'),
  'BR-42': E(
    'Add a reason text ({BT-139}) or a reason code ({BT-140}, UNTDID 5189) to every Invoice line allowance (BG-27).',
    'Completați motivul ({BT-139}) sau codul motivului ({BT-140}, UNTDID 5189) pentru fiecare deducere la nivelul liniei (BG-27).',
    'Every Invoice line allowance (BG-27) has a reason ({BT-139}) or a reason code ({BT-140}).',
    ['BT-139', 'BT-140', 'BG-27'],
  ),
  'BR-43': required('BT-141', 'BG-28'),
  'BR-44': E(
    'Add a reason text ({BT-144}) or a reason code ({BT-145}, UNTDID 7161) to every Invoice line charge (BG-28).',
    'Completați motivul ({BT-144}) sau codul motivului ({BT-145}, UNTDID 7161) pentru fiecare majorare la nivelul liniei (BG-28).',
    'Every Invoice line charge (BG-28) has a reason ({BT-144}) or a reason code ({BT-145}).',
    ['BT-144', 'BT-145', 'BG-28'],
  ),
  'BR-45': required('BT-116', 'BG-23'),
  'BR-46': required('BT-117', 'BG-23'),
  'BR-47': E(
    'Add the VAT category code ({BT-118}) with cac:TaxScheme/cbc:ID VAT to every VAT breakdown (BG-23), e.g. S for the standard rate.',
    'Completați codul categoriei de TVA ({BT-118}) cu cac:TaxScheme/cbc:ID VAT în fiecare detaliere TVA (BG-23), de exemplu S pentru cota standard.',
    'Every VAT breakdown (BG-23) has a VAT category code ({BT-118}).',
    ['BT-118', 'BG-23'],
  ),
  'BR-48': E(
    'Add the VAT category rate ({BT-119}) to every VAT breakdown (BG-23), e.g. 19; only category O (not subject to VAT) has no rate.',
    'Completați cota categoriei de TVA ({BT-119}) în fiecare detaliere TVA (BG-23), de exemplu 19; doar categoria O (neimpozabil) nu are cotă.',
    'Every VAT breakdown (BG-23) other than category O has a VAT category rate ({BT-119}).',
    ['BT-119', 'BG-23'],
  ),
  'BR-49': E(
    'Add the Payment means type code ({BT-81}) to every payment instruction (BG-16), e.g. 30 (credit transfer), 42 (payment to bank account), 10 (cash).',
    'Completați codul tipului instrumentului de plată ({BT-81}) în fiecare instrucțiune de plată (BG-16), de exemplu 30 (virament), 42 (plată în cont bancar), 10 (numerar).',
    'Every Payment instruction (BG-16) has a Payment means type code ({BT-81}).',
    ['BT-81', 'BG-16'],
  ),
  'BR-50': E(
    'Add the Payment account identifier ({BT-84}), e.g. the IBAN, to the credit transfer account (BG-17).',
    'Completați identificatorul contului de plată ({BT-84}), de exemplu IBAN-ul, în contul pentru virament (BG-17).',
    'A credit transfer (BG-17) with payment means 30 or 58 has a Payment account identifier ({BT-84}).',
    ['BT-84', 'BG-17'],
  ),
  'BR-51': E(
    'Mask the Payment card primary account number ({BT-87}): keep at most the first 6 and the last 4 digits (10 characters in total).',
    'Mascați numărul cardului de plată ({BT-87}): păstrați cel mult primele 6 și ultimele 4 cifre (maximum 10 caractere).',
    'The Payment card primary account number ({BT-87}) is not given in full (at most 10 characters).',
  ),
  'BR-52': E(
    'Add the Supporting document reference ({BT-122}) to every additional supporting document (BG-24).',
    'Completați referința documentului justificativ ({BT-122}) pentru fiecare document justificativ suplimentar (BG-24).',
    'Every Additional supporting document (BG-24) has a reference ({BT-122}).',
    ['BT-122', 'BG-24'],
  ),
  'BR-53': E(
    'Add the Invoice total VAT amount in accounting currency ({BT-111}): a second cac:TaxTotal/cbc:TaxAmount with currencyID equal to the VAT accounting currency code (BT-6), e.g. the VAT in RON.',
    'Adăugați valoarea totală a TVA în moneda de contabilizare ({BT-111}): un al doilea cac:TaxTotal/cbc:TaxAmount cu currencyID egal cu codul monedei de contabilizare a TVA (BT-6), de exemplu TVA-ul în RON.',
    'When a VAT accounting currency (BT-6) is given, the total VAT in that currency ({BT-111}) is present.',
    ['BT-111', 'BT-6'],
  ),
  'BR-54': E(
    'Give every Item attribute (BG-32) both a name ({BT-160}) and a value ({BT-161}), or remove the attribute.',
    'Completați pentru fiecare atribut al articolului (BG-32) atât numele ({BT-160}), cât și valoarea ({BT-161}), sau eliminați atributul.',
    'Every Item attribute (BG-32) has a name ({BT-160}) and a value ({BT-161}).',
    ['BT-160', 'BT-161', 'BG-32'],
  ),
  'BR-55': E(
    'Add the number of the preceding invoice ({BT-25}) to every preceding invoice reference (BG-3), or remove the empty cac:BillingReference.',
    'Completați numărul facturii anterioare ({BT-25}) în fiecare referință la o factură anterioară (BG-3), sau eliminați cac:BillingReference gol.',
    'Every Preceding Invoice reference (BG-3) gives the preceding invoice number ({BT-25}).',
    ['BT-25', 'BG-3'],
  ),
  'BR-56': E(
    'Add the Seller tax representative VAT identifier ({BT-63}) with its country prefix, in cac:PartyTaxScheme with cac:TaxScheme/cbc:ID VAT.',
    'Completați codul de TVA al reprezentantului fiscal ({BT-63}) cu prefixul de țară, în cac:PartyTaxScheme cu cac:TaxScheme/cbc:ID VAT.',
    'Every Seller tax representative party (BG-11) has a VAT identifier ({BT-63}).',
    ['BT-63', 'BG-11'],
  ),
  'BR-57': E(
    'Add the Deliver to country code ({BT-80}) to the delivery address (BG-15).',
    'Completați codul țării de livrare ({BT-80}) în adresa de livrare (BG-15).',
    'Every Deliver to address (BG-15) has a country code ({BT-80}).',
    ['BT-80', 'BG-15'],
  ),
  'BR-61': E(
    'Add the Payment account identifier ({BT-84}), e.g. the IBAN, when the Payment means type code (BT-81) is 30 or 58 (credit transfer).',
    'Completați identificatorul contului de plată ({BT-84}), de exemplu IBAN-ul, când codul tipului instrumentului de plată (BT-81) este 30 sau 58 (virament).',
    'A payment by credit transfer (BT-81 = 30 or 58) gives the Payment account identifier ({BT-84}).',
    ['BT-84', 'BT-81'],
  ),
  'BR-62': E(
    'Add the schemeID attribute to the Seller electronic address ({BT-34}), a code of the CEF EAS list, e.g. EM for an e-mail address.',
    'Adăugați atributul schemeID la adresa electronică a vânzătorului ({BT-34}), un cod din lista CEF EAS, de exemplu EM pentru o adresă de e-mail.',
    'The Seller electronic address ({BT-34}) has a scheme identifier.',
  ),
  'BR-63': E(
    'Add the schemeID attribute to the Buyer electronic address ({BT-49}), a code of the CEF EAS list, e.g. EM for an e-mail address.',
    'Adăugați atributul schemeID la adresa electronică a cumpărătorului ({BT-49}), un cod din lista CEF EAS, de exemplu EM pentru o adresă de e-mail.',
    'The Buyer electronic address ({BT-49}) has a scheme identifier.',
  ),
  'BR-64': E(
    'Add the schemeID attribute to the Item standard identifier ({BT-157}), e.g. 0160 for a GTIN.',
    'Adăugați atributul schemeID la identificatorul standard al articolului ({BT-157}), de exemplu 0160 pentru un cod GTIN.',
    'The Item standard identifier ({BT-157}) has a scheme identifier.',
  ),
  'BR-65': E(
    'Add the listID attribute to the Item classification identifier ({BT-158}), e.g. CV for a CPV code or STI for the NC8 customs code.',
    'Adăugați atributul listID la identificatorul de clasificare a articolului ({BT-158}), de exemplu CV pentru un cod CPV sau STI pentru codul vamal NC8.',
    'The Item classification identifier ({BT-158}) has a scheme identifier.',
  ),
  'BR-66': E(
    'Keep at most one Payment card account ({BG-18}) in the payment instructions.',
    'Păstrați cel mult un card de plată ({BG-18}) în instrucțiunile de plată.',
    'The document has at most one Payment card account ({BG-18}).',
  ),
  'BR-67': E(
    'Keep at most one direct debit mandate ({BG-19}) in the payment instructions.',
    'Păstrați cel mult un mandat de debitare directă ({BG-19}) în instrucțiunile de plată.',
    'The document has at most one Payment mandate ({BG-19}).',
  ),
  'BR-B-01': E(
    'Use VAT category code B (split payment) only on a domestic Italian invoice; for a Romanian invoice choose another VAT category ({BT-151}, {BT-95}, {BT-102}).',
    'Folosiți codul de categorie TVA B (split payment) doar pe o factură internă italiană; pentru o factură românească alegeți altă categorie de TVA ({BT-151}, {BT-95}, {BT-102}).',
    'VAT category B (split payment) only appears on invoices whose country codes are all IT.',
  ),
  'BR-B-02': E(
    'Do not combine VAT category B (split payment) with category S in the same invoice: change the category of the lines, allowances or charges ({BT-151}, {BT-95}, {BT-102}).',
    'Nu combinați categoria de TVA B (split payment) cu categoria S în aceeași factură: schimbați categoria liniilor, deducerilor sau majorărilor ({BT-151}, {BT-95}, {BT-102}).',
    'An invoice using VAT category B (split payment) uses no category S.',
  ),
  'BR-CO-03': E(
    'Keep only one of the Value added tax point date ({BT-7}) and the tax point date code ({BT-8}): remove the other.',
    'Păstrați doar unul dintre data de exigibilitate a TVA ({BT-7}) și codul datei de exigibilitate ({BT-8}): eliminați-l pe celălalt.',
    'The Value added tax point date ({BT-7}) and its code ({BT-8}) are not both present.',
  ),
  'BR-CO-04': E(
    'Add the Invoiced item VAT category code ({BT-151}) with cac:TaxScheme/cbc:ID VAT to every Invoice line (BG-25), e.g. S.',
    'Completați codul categoriei de TVA a articolului facturat ({BT-151}) cu cac:TaxScheme/cbc:ID VAT în fiecare linie de factură (BG-25), de exemplu S.',
    'Every Invoice line (BG-25) has an Invoiced item VAT category code ({BT-151}).',
    ['BT-151', 'BG-25'],
  ),
  'BR-CO-05': E(
    'Make the allowance reason code ({BT-98}) and the reason text ({BT-97}) describe the same kind of allowance.',
    'Corelați codul motivului deducerii ({BT-98}) cu textul motivului ({BT-97}), ca să descrie același tip de deducere.',
    'The Document level allowance reason code ({BT-98}) and text ({BT-97}) agree (not machine-checked: the test always holds).',
  ),
  'BR-CO-06': E(
    'Make the charge reason code ({BT-105}) and the reason text ({BT-104}) describe the same kind of charge.',
    'Corelați codul motivului majorării ({BT-105}) cu textul motivului ({BT-104}), ca să descrie același tip de majorare.',
    'The Document level charge reason code ({BT-105}) and text ({BT-104}) agree (not machine-checked: the test always holds).',
  ),
  'BR-CO-07': E(
    'Make the line allowance reason code ({BT-140}) and the reason text ({BT-139}) describe the same kind of allowance.',
    'Corelați codul motivului deducerii la nivelul liniei ({BT-140}) cu textul motivului ({BT-139}).',
    'The Invoice line allowance reason code ({BT-140}) and text ({BT-139}) agree (not machine-checked: the test always holds).',
  ),
  'BR-CO-08': E(
    'Make the line charge reason code ({BT-145}) and the reason text ({BT-144}) describe the same kind of charge.',
    'Corelați codul motivului majorării la nivelul liniei ({BT-145}) cu textul motivului ({BT-144}).',
    'The Invoice line charge reason code ({BT-145}) and text ({BT-144}) agree (not machine-checked: the test always holds).',
  ),
  'BR-CO-09': E(
    'Start every VAT identifier ({BT-31}, {BT-63}, {BT-48}) with its ISO 3166-1 alpha-2 country prefix, e.g. RO12345678 (EL for Greece); a Romanian CUI without the RO prefix is not a VAT identifier.',
    'Începeți fiecare cod de TVA ({BT-31}, {BT-63}, {BT-48}) cu prefixul de țară ISO 3166-1 alpha-2, de exemplu RO12345678 (EL pentru Grecia); un CUI fără prefixul RO nu este cod de TVA.',
    'Every VAT identifier (cac:PartyTaxScheme with scheme VAT) starts with a country prefix.',
  ),
  'BR-CO-10': E(
    'Set the Sum of Invoice line net amount ({BT-106}) to the sum of all Invoice line net amounts (BT-131), rounded to 2 decimals.',
    'Completați suma valorilor nete ale liniilor facturii ({BT-106}) cu suma valorilor nete ale tuturor liniilor (BT-131), rotunjită la 2 zecimale.',
    'The Sum of Invoice line net amount ({BT-106}) equals the sum of the line net amounts (BT-131).',
    ['BT-106', 'BT-131'],
  ),
  'BR-CO-11': E(
    'Set the Sum of allowances on document level ({BT-107}) to the sum of the document level allowance amounts (BT-92), or remove it when there is no allowance.',
    'Completați suma deducerilor la nivelul documentului ({BT-107}) cu suma valorilor deducerilor (BT-92), sau eliminați-o când nu există deduceri.',
    'The Sum of allowances on document level ({BT-107}) equals the sum of the allowance amounts (BT-92).',
    ['BT-107', 'BT-92'],
  ),
  'BR-CO-12': E(
    'Set the Sum of charges on document level ({BT-108}) to the sum of the document level charge amounts (BT-99), or remove it when there is no charge.',
    'Completați suma majorărilor la nivelul documentului ({BT-108}) cu suma valorilor majorărilor (BT-99), sau eliminați-o când nu există majorări.',
    'The Sum of charges on document level ({BT-108}) equals the sum of the charge amounts (BT-99).',
    ['BT-108', 'BT-99'],
  ),
  'BR-CO-13': E(
    'Set the Invoice total amount without VAT ({BT-109}) to the line total (BT-106) minus the document allowances (BT-107) plus the document charges (BT-108).',
    'Completați valoarea totală a facturii fără TVA ({BT-109}) cu totalul liniilor (BT-106) minus deducerile (BT-107) plus majorările la nivelul documentului (BT-108).',
    'The Invoice total amount without VAT ({BT-109}) equals BT-106 − BT-107 + BT-108.',
    ['BT-109', 'BT-106', 'BT-107', 'BT-108'],
  ),
  'BR-CO-14': E(
    'Set the Invoice total VAT amount ({BT-110}) to the sum of the VAT category tax amounts (BT-117) of the VAT breakdown.',
    'Completați valoarea totală a TVA a facturii ({BT-110}) cu suma valorilor TVA pe categorii (BT-117) din detalierea TVA.',
    'The Invoice total VAT amount ({BT-110}) equals the sum of the VAT category tax amounts (BT-117).',
    ['BT-110', 'BT-117'],
  ),
  'BR-CO-15': E(
    'Set the Invoice total amount with VAT ({BT-112}) to the total without VAT (BT-109) plus the total VAT (BT-110, the cac:TaxTotal/cbc:TaxAmount in the invoice currency); give exactly one such VAT total.',
    'Completați valoarea totală a facturii cu TVA ({BT-112}) cu totalul fără TVA (BT-109) plus TVA-ul total (BT-110, cac:TaxTotal/cbc:TaxAmount în moneda facturii); indicați un singur astfel de total TVA.',
    'The Invoice total amount with VAT ({BT-112}) equals BT-109 + BT-110 in the invoice currency.',
    ['BT-112', 'BT-109', 'BT-110'],
  ),
  'BR-CO-16': E(
    'Set the Amount due for payment ({BT-115}) to the total with VAT (BT-112) minus the paid amount (BT-113) plus the rounding amount (BT-114).',
    'Completați suma de plată ({BT-115}) cu totalul cu TVA (BT-112) minus suma plătită în avans (BT-113) plus valoarea de rotunjire (BT-114).',
    'The Amount due for payment ({BT-115}) equals BT-112 − BT-113 + BT-114.',
    ['BT-115', 'BT-112', 'BT-113', 'BT-114'],
  ),
  'BR-CO-17': E(
    'Set the VAT category tax amount ({BT-117}) to the taxable amount (BT-116) × the rate (BT-119) / 100, rounded to 2 decimals (at most 1 unit of difference is tolerated).',
    'Completați valoarea TVA a categoriei ({BT-117}) cu baza de impozitare (BT-116) × cota (BT-119) / 100, rotunjită la 2 zecimale (se tolerează o diferență de cel mult o unitate).',
    'In every VAT breakdown, the tax amount ({BT-117}) matches taxable amount (BT-116) × rate (BT-119).',
    ['BT-117', 'BT-116', 'BT-119'],
  ),
  'BR-CO-18': E(
    'Add at least one VAT breakdown ({BG-23}) with the taxable amount, the VAT amount, the category and the rate of each VAT category used.',
    'Adăugați cel puțin o detaliere TVA ({BG-23}) cu baza de impozitare, valoarea TVA, categoria și cota pentru fiecare categorie de TVA folosită.',
    'The document has at least one VAT breakdown ({BG-23}).',
  ),
  'BR-CO-19': E(
    'Add the start date ({BT-73}) or the end date ({BT-74}) to the Invoicing period (BG-14), or remove the empty cac:InvoicePeriod.',
    'Completați data de început ({BT-73}) sau data de sfârșit ({BT-74}) a perioadei de facturare (BG-14), sau eliminați cac:InvoicePeriod gol.',
    'An Invoicing period (BG-14) has a start date ({BT-73}), an end date ({BT-74}) or a tax point date code.',
    ['BT-73', 'BT-74', 'BG-14'],
  ),
  'BR-CO-20': E(
    'Add the start date ({BT-134}) or the end date ({BT-135}) to the Invoice line period (BG-26), or remove the empty cac:InvoicePeriod of the line.',
    'Completați data de început ({BT-134}) sau data de sfârșit ({BT-135}) a perioadei liniei (BG-26), sau eliminați cac:InvoicePeriod gol din linie.',
    'An Invoice line period (BG-26) has a start date ({BT-134}) or an end date ({BT-135}).',
    ['BT-134', 'BT-135', 'BG-26'],
  ),
  'BR-CO-21': E(
    'Add a reason text ({BT-97}) or a reason code ({BT-98}) to every Document level allowance (BG-20), e.g. code 95 (discount).',
    'Completați motivul ({BT-97}) sau codul motivului ({BT-98}) pentru fiecare deducere la nivelul documentului (BG-20), de exemplu codul 95 (reducere).',
    'Every Document level allowance (BG-20) has a reason ({BT-97}) or a reason code ({BT-98}), or both.',
    ['BT-97', 'BT-98', 'BG-20'],
  ),
  'BR-CO-22': E(
    'Add a reason text ({BT-104}) or a reason code ({BT-105}) to every Document level charge (BG-21), e.g. code FC (freight).',
    'Completați motivul ({BT-104}) sau codul motivului ({BT-105}) pentru fiecare majorare la nivelul documentului (BG-21), de exemplu codul FC (transport).',
    'Every Document level charge (BG-21) has a reason ({BT-104}) or a reason code ({BT-105}), or both.',
    ['BT-104', 'BT-105', 'BG-21'],
  ),
  'BR-CO-23': E(
    'Add a reason text ({BT-139}) or a reason code ({BT-140}) to every Invoice line allowance (BG-27), e.g. code 95 (discount).',
    'Completați motivul ({BT-139}) sau codul motivului ({BT-140}) pentru fiecare deducere la nivelul liniei (BG-27), de exemplu codul 95 (reducere).',
    'Every Invoice line allowance (BG-27) has a reason ({BT-139}) or a reason code ({BT-140}), or both.',
    ['BT-139', 'BT-140', 'BG-27'],
  ),
  'BR-CO-24': E(
    'Add a reason text ({BT-144}) or a reason code ({BT-145}) to every Invoice line charge (BG-28), e.g. code FC (freight).',
    'Completați motivul ({BT-144}) sau codul motivului ({BT-145}) pentru fiecare majorare la nivelul liniei (BG-28), de exemplu codul FC (transport).',
    'Every Invoice line charge (BG-28) has a reason ({BT-144}) or a reason code ({BT-145}), or both.',
    ['BT-144', 'BT-145', 'BG-28'],
  ),
  'BR-CO-25': E(
    'Add the Payment due date ({BT-9}) or the Payment terms ({BT-20}): the amount due (BT-115) is positive.',
    'Completați data scadenței ({BT-9}) sau termenii de plată ({BT-20}): suma de plată (BT-115) este pozitivă.',
    'An invoice with a positive Amount due for payment (BT-115) has a Payment due date ({BT-9}) or Payment terms ({BT-20}).',
    ['BT-9', 'BT-20', 'BT-115'],
  ),
  'BR-CO-26': E(
    'Identify the seller: add the Seller VAT identifier ({BT-31}), the legal registration identifier ({BT-30}, e.g. the trade register number) or the Seller identifier ({BT-29}).',
    'Identificați vânzătorul: completați codul de TVA ({BT-31}), identificatorul de înregistrare legală ({BT-30}, de exemplu numărul de la Registrul Comerțului) sau identificatorul vânzătorului ({BT-29}).',
    'The Seller has at least one of the identifiers BT-29, BT-30, BT-31.',
    ['BT-31', 'BT-30', 'BT-29', 'BG-4'],
  ),
  'BR-DEC-13': decimalsText('BT-110', TAX_IN_DOC_CURRENCY),
  'BR-DEC-15': decimalsText('BT-111', TAX_IN_ACCOUNTING_CURRENCY),
  ...Object.fromEntries(DECIMALS.map(([id, bt]) => [id, decimalsText(bt)])),
};
