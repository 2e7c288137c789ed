import { RO_CIUS_ID } from '../rules/cius-ro.rules.js';
import { enName, roCount, roName, text } from './business-terms.js';
import { decimalsText, TAX_IN_ACCOUNTING_CURRENCY, TAX_IN_DOC_CURRENCY } from './en16931-core.texts.js';
import type { RuleText, RuleTextTable } from './types.js';

/**
 * Texts of ANAF's CIUS-RO 1.0.9 rules (pattern "ROmodel"): BR-RO-*, BR-RO-DT*, BR-RO-L* (maximum
 * lengths), BR-RO-A* (maximum occurrences) and BR-DEC-RO-* (decimals). The length and decimal texts
 * are generated from [rule id, business term, limit] tables; BR-RO-L1017/L1018 are written by hand:
 * ANAF's artefact measures the reason code there, not the reason text the rule is labelled for.
 */

const T = text;

/** Text of a maximum-length rule on `bt` (`normalize-space` length: outer and repeated spaces do not count). */
function lengthText(bt: string, max: number): RuleText {
  return T(
    `Shorten the ${enName(bt)} ({${bt}}) to at most ${max} characters; leading, trailing and repeated spaces do not count.`,
    `Scurtați ${roName(bt)} ({${bt}}) la cel mult ${roCount(max, 'caractere')}; spațiile de la capete și cele repetate nu se numără.`,
    `The ${enName(bt)} ({${bt}}) has at most ${max} characters (after normalising spaces).`,
  );
}

/** BR-RO-L*: [rule id, business term, maximum length]. */
const LENGTHS: ReadonlyArray<readonly [string, string, number]> = [
  ['BR-RO-L0201', 'BT-38', 20],
  ['BR-RO-L0202', 'BT-53', 20],
  ['BR-RO-L0203', 'BT-67', 20],
  ['BR-RO-L0204', 'BT-78', 20],
  ['BR-RO-L155', 'BT-1', 200],
  ['BR-RO-L0302', 'BT-12', 200],
  ['BR-RO-L0303', 'BT-13', 200],
  ['BR-RO-L0304', 'BT-14', 200],
  ['BR-RO-L0305', 'BT-15', 200],
  ['BR-RO-L0306', 'BT-16', 200],
  ['BR-RO-L0307', 'BT-17', 200],
  ['BR-RO-L0501', 'BT-37', 50],
  ['BR-RO-L0502', 'BT-52', 50],
  ['BR-RO-L0503', 'BT-66', 50],
  ['BR-RO-L0504', 'BT-77', 50],
  ['BR-RO-L1001', 'BT-19', 100],
  ['BR-RO-L1002', 'BT-36', 100],
  ['BR-RO-L1003', 'BT-162', 100],
  ['BR-RO-L1004', 'BT-41', 100],
  ['BR-RO-L1005', 'BT-42', 100],
  ['BR-RO-L1006', 'BT-43', 100],
  ['BR-RO-L1007', 'BT-51', 100],
  ['BR-RO-L1008', 'BT-163', 100],
  ['BR-RO-L1009', 'BT-56', 100],
  ['BR-RO-L1010', 'BT-57', 100],
  ['BR-RO-L1011', 'BT-58', 100],
  ['BR-RO-L1012', 'BT-65', 100],
  ['BR-RO-L1013', 'BT-164', 100],
  ['BR-RO-L1014', 'BT-76', 100],
  ['BR-RO-L1015', 'BT-165', 100],
  ['BR-RO-L151', 'BT-35', 150],
  ['BR-RO-L152', 'BT-50', 150],
  ['BR-RO-L153', 'BT-64', 150],
  ['BR-RO-L154', 'BT-75', 150],
  ['BR-RO-L201', 'BT-27', 200],
  ['BR-RO-L202', 'BT-28', 200],
  ['BR-RO-L203', 'BT-44', 200],
  ['BR-RO-L204', 'BT-45', 200],
  ['BR-RO-L205', 'BT-59', 200],
  ['BR-RO-L206', 'BT-62', 200],
  ['BR-RO-L207', 'BT-70', 200],
  ['BR-RO-L301', 'BT-20', 300],
  ['BR-RO-L1000', 'BT-33', 1000],
  ['BR-RO-L208', 'BT-85', 200],
  ['BR-RO-L209', 'BT-88', 200],
  ['BR-RO-L1016', 'BT-82', 100],
  ['BR-RO-L140', 'BT-83', 140],
  ['BR-RO-L1024', 'BT-153', 100],
  ['BR-RO-L1021', 'BT-133', 100],
  ['BR-RO-L212', 'BT-154', 200],
  ['BR-RO-L303', 'BT-127', 300],
  ['BR-RO-L0505', 'BT-160', 50],
  ['BR-RO-L1025', 'BT-161', 100],
  ['BR-RO-L1022', 'BT-139', 100],
  ['BR-RO-L1023', 'BT-144', 100],
  ['BR-RO-L302', 'BT-22', 300],
  ['BR-RO-L1020', 'BT-123', 100],
  ['BR-RO-L210', 'BT-124', 200],
  ['BR-RO-L156', 'BT-25', 200],
  ['BR-RO-L1019', 'BT-120', 100],
];

/** BR-DEC-RO-*: [rule id, business term]. */
const DECIMALS: ReadonlyArray<readonly [string, string]> = [
  ['BR-DEC-RO-01', 'BT-92'],
  ['BR-DEC-RO-02', 'BT-93'],
  ['BR-DEC-RO-05', 'BT-99'],
  ['BR-DEC-RO-06', 'BT-100'],
  ['BR-DEC-RO-09', 'BT-106'],
  ['BR-DEC-RO-10', 'BT-107'],
  ['BR-DEC-RO-11', 'BT-108'],
  ['BR-DEC-RO-12', 'BT-109'],
  ['BR-DEC-RO-14', 'BT-112'],
  ['BR-DEC-RO-16', 'BT-113'],
  ['BR-DEC-RO-17', 'BT-114'],
  ['BR-DEC-RO-18', 'BT-115'],
  ['BR-DEC-RO-1009', 'BT-116'],
  ['BR-DEC-RO-1010', 'BT-117'],
  ['BR-DEC-RO-23', 'BT-131'],
  ['BR-DEC-RO-24', 'BT-136'],
  ['BR-DEC-RO-25', 'BT-137'],
  ['BR-DEC-RO-27', 'BT-141'],
  ['BR-DEC-RO-28', 'BT-142'],
];

/** BR-RO-DT*: [rule id, UBL element, business terms it carries]. */
const DATES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['BR-RO-DT001', 'cbc:IssueDate', ['BT-2', 'BT-26']],
  ['BR-RO-DT002', 'cbc:TaxPointDate', ['BT-7']],
  ['BR-RO-DT003', 'cbc:DueDate', ['BT-9']],
  ['BR-RO-DT003_CN', 'cac:PaymentMeans/cbc:PaymentDueDate', ['BT-9']],
  ['BR-RO-DT004', 'cbc:ActualDeliveryDate', ['BT-72']],
  ['BR-RO-DT005', 'cbc:StartDate', ['BT-73', 'BT-134']],
  ['BR-RO-DT006', 'cbc:EndDate', ['BT-74', 'BT-135']],
];

function dateText(element: string, terms: readonly string[]): RuleText {
  const names = { en: terms.map((t) => `${enName(t)} (${t})`).join(', '), ro: terms.map((t) => `${roName(t)} (${t})`).join(', ') };
  return T(
    `Write every ${element} (${names.en}) as YYYY-MM-DD, exactly 10 characters, e.g. 2024-05-10: no time, no time zone, no spaces.`,
    `Scrieți fiecare ${element} (${names.ro}) în formatul AAAA-LL-ZZ (YYYY-MM-DD), exact 10 caractere, de exemplu 2024-05-10: fără oră, fără fus orar, fără spații.`,
    `Every ${element} is a valid calendar date written YYYY-MM-DD.`,
    terms,
  );
}

/** BR-RO-100/101/160/202: Bucharest city must be SECTOR1..SECTOR6. */
function sectorText(party: { en: string; ro: string }, city: string, sub: string, country: string): RuleText {
  return T(
    `Write the ${party.en} city ({${city}}) as SECTOR1 ... SECTOR6 (the Bucharest sector): the address is in Romania (${country} = RO) and in Bucharest (${sub} = RO-B).`,
    `Completați localitatea ${party.ro} ({${city}}) cu SECTOR1 ... SECTOR6 (sectorul din București): adresa este în România (${country} = RO) și în București (${sub} = RO-B).`,
    `A Romanian ${party.en} address in Bucharest (RO-B) names its sector (SECTOR1..SECTOR6) as city ({${city}}).`,
    [city, sub, country],
  );
}

/** BR-RO-110/111/170/212: Romanian county must be an ISO 3166-2:RO code. */
function countyText(party: { en: string; ro: string }, sub: string, country: string): RuleText {
  return T(
    `Write the ${party.en} county ({${sub}}) as an ISO 3166-2:RO code, e.g. RO-CJ for Cluj or RO-B for Bucharest: the country code (${country}) is RO.`,
    `Completați județul ${party.ro} ({${sub}}) cu un cod ISO 3166-2:RO, de exemplu RO-CJ pentru Cluj sau RO-B pentru București: codul țării (${country}) este RO.`,
    `A Romanian ${party.en} address gives its county ({${sub}}) as an ISO 3166-2:RO code.`,
    [sub, country],
  );
}

const SELLER = { en: "seller's", ro: 'vânzătorului' };
const BUYER = { en: "buyer's", ro: 'cumpărătorului' };
const REP = { en: "tax representative's", ro: 'reprezentantului fiscal' };
const DELIVERY = { en: 'delivery', ro: 'de livrare' };

const HANDWRITTEN: RuleTextTable = {
  'BR-RO-001': T(
    `Set the Specification identifier ({BT-24}) to exactly ${RO_CIUS_ID}, with no spaces around it.`,
    `Completați identificatorul specificației ({BT-24}) exact cu ${RO_CIUS_ID}, fără spații înainte sau după.`,
    'The Specification identifier ({BT-24}) is exactly the CIUS-RO customization identifier.',
  ),
  'BR-RO-010': T(
    'Include at least one digit (0-9) in the Invoice number ({BT-1}), e.g. FCT-0001 instead of FCT.',
    'Includeți cel puțin o cifră (0-9) în numărul facturii ({BT-1}), de exemplu FCT-0001 în loc de FCT.',
    'The Invoice number ({BT-1}) contains at least one digit.',
  ),
  'BR-RO-020_1': T(
    'Use 380 (invoice), 384 (corrected invoice), 389 (self-billed invoice) or 751 (invoice information for accounting purposes) for the Invoice type code ({BT-3}); for a credit note (factură de stornare) send a CreditNote document with type code 381.',
    'Folosiți 380 (factură), 384 (factură corectată), 389 (autofactură) sau 751 (factură – informații în scopuri contabile) pentru codul tipului facturii ({BT-3}); pentru o notă de credit (factură de stornare) trimiteți un document CreditNote cu codul 381.',
    'The Invoice type code ({BT-3}) of an Invoice is 380, 384, 389 or 751.',
  ),
  'BR-RO-020_2': T(
    'Use 381 (credit note) for the credit note type code (BT-3, cbc:CreditNoteTypeCode); for a corrected invoice send an Invoice with type code 384.',
    'Folosiți 381 (notă de credit) pentru codul tipului notei de credit (BT-3, cbc:CreditNoteTypeCode); pentru o factură corectată trimiteți un document Invoice cu codul 384.',
    'The type code (BT-3) of a CreditNote is 381.',
    ['BT-3'],
  ),
  'BR-RO-030': T(
    'Add the VAT accounting currency code ({BT-6}) RON, and the total VAT in RON (BT-111): the invoice currency ({BT-5}) is not RON.',
    'Adăugați codul monedei de contabilizare a TVA ({BT-6}) RON, precum și TVA-ul total în lei (BT-111): moneda facturii ({BT-5}) nu este RON.',
    'An invoice in a currency other than RON ({BT-5}) gives RON as VAT accounting currency ({BT-6}).',
    ['BT-6', 'BT-5', 'BT-111'],
  ),
  'BR-RO-040': T(
    'Use 3 (invoice issue date), 35 (actual delivery date) or 432 (paid to date) for the Value added tax point date code ({BT-8}).',
    'Folosiți 3 (data emiterii facturii), 35 (data reală a livrării) sau 432 (data plății) pentru codul datei de exigibilitate a TVA ({BT-8}).',
    'The Value added tax point date code ({BT-8}) is 3, 35 or 432.',
  ),
  'BR-RO-065': T(
    "Add the Seller VAT identifier ({BT-31}) with the RO prefix (e.g. RO12345678), the seller's tax registration identifier (BT-32, the CUI without RO) or the tax representative VAT identifier (BT-63): the invoice has lines, allowances or charges in a VAT category other than O.",
    'Completați codul de TVA al vânzătorului ({BT-31}) cu prefixul RO (de exemplu RO12345678), identificatorul de înregistrare fiscală al vânzătorului (BT-32, CUI-ul fără RO) sau codul de TVA al reprezentantului fiscal (BT-63): factura are linii, deduceri sau majorări într-o categorie de TVA diferită de O.',
    'An invoice using a VAT category other than O identifies the seller for tax (BT-31, BT-32 or BT-63).',
    ['BT-31', 'BT-32', 'BT-63'],
  ),
  'BR-RO-081': T(
    "Add the seller's street address ({BT-35}), e.g. Str. Exemplu nr. 1.",
    'Completați linia 1 a adresei vânzătorului ({BT-35}), de exemplu Str. Exemplu nr. 1.',
    'The Seller address line 1 ({BT-35}) is present and not blank.',
  ),
  'BR-RO-082': T(
    "Add the buyer's street address ({BT-50}), e.g. Str. Exemplu nr. 1.",
    'Completați linia 1 a adresei cumpărătorului ({BT-50}), de exemplu Str. Exemplu nr. 1.',
    'The Buyer address line 1 ({BT-50}) is present and not blank.',
  ),
  'BR-RO-091': T(
    'Add the Seller city ({BT-37}).',
    'Completați localitatea vânzătorului ({BT-37}).',
    'The Seller city ({BT-37}) is present and not blank.',
  ),
  'BR-RO-092': T(
    'Add the Buyer city ({BT-52}).',
    'Completați localitatea cumpărătorului ({BT-52}).',
    'The Buyer city ({BT-52}) is present and not blank.',
  ),
  'BR-RO-100': sectorText(SELLER, 'BT-37', 'BT-39', 'BT-40'),
  'BR-RO-101': sectorText(BUYER, 'BT-52', 'BT-54', 'BT-55'),
  'BR-RO-160': sectorText(REP, 'BT-66', 'BT-68', 'BT-69'),
  'BR-RO-202': sectorText(DELIVERY, 'BT-77', 'BT-79', 'BT-80'),
  'BR-RO-110': countyText(SELLER, 'BT-39', 'BT-40'),
  'BR-RO-111': countyText(BUYER, 'BT-54', 'BT-55'),
  'BR-RO-170': countyText(REP, 'BT-68', 'BT-69'),
  'BR-RO-212': countyText(DELIVERY, 'BT-79', 'BT-80'),
  'BR-RO-120': T(
    "Add the Buyer VAT identifier ({BT-48}) or the buyer's legal registration identifier (BT-47, e.g. the CUI/CIF or, for a person, the CNP): the invoice has lines, allowances or charges in a VAT category other than O.",
    'Completați codul de TVA al cumpărătorului ({BT-48}) sau identificatorul de înregistrare legală al cumpărătorului (BT-47, de exemplu CUI/CIF sau, pentru o persoană fizică, CNP-ul): factura are linii, deduceri sau majorări într-o categorie de TVA diferită de O.',
    'An invoice using a VAT category other than O identifies the buyer (BT-48 or BT-47).',
    ['BT-48', 'BT-47'],
  ),
  'BR-RO-140': T(
    "Add the tax representative's street address ({BT-64}) to its postal address (BG-12).",
    'Completați linia 1 a adresei reprezentantului fiscal ({BT-64}) în adresa sa poștală (BG-12).',
    'The Seller tax representative postal address (BG-12) has a non-blank address line 1 ({BT-64}).',
    ['BT-64', 'BG-12'],
  ),
  'BR-RO-150': T(
    "Add the tax representative's city ({BT-66}) to its postal address (BG-12).",
    'Completați localitatea reprezentantului fiscal ({BT-66}) în adresa sa poștală (BG-12).',
    'The Seller tax representative postal address (BG-12) has a non-blank city ({BT-66}).',
    ['BT-66', 'BG-12'],
  ),
  'BR-RO-180': T(
    'Add the delivery street address ({BT-75}) to the Deliver to address (BG-15), or remove the delivery address.',
    'Completați linia 1 a adresei de livrare ({BT-75}) în adresa de livrare (BG-15), sau eliminați adresa de livrare.',
    'A Deliver to address (BG-15) has a non-blank address line 1 ({BT-75}).',
    ['BT-75', 'BG-15'],
  ),
  'BR-RO-201': T(
    'Add the delivery city ({BT-77}) to the Deliver to address (BG-15), or remove the delivery address.',
    'Completați localitatea de livrare ({BT-77}) în adresa de livrare (BG-15), sau eliminați adresa de livrare.',
    'A Deliver to address (BG-15) has a non-blank city ({BT-77}).',
    ['BT-77', 'BG-15'],
  ),
  'BR-RO-211': T(
    'Add the delivery county ({BT-79}) to the Deliver to address (BG-15), e.g. RO-CJ, or remove the delivery address.',
    'Completați județul adresei de livrare ({BT-79}) în adresa de livrare (BG-15), de exemplu RO-CJ, sau eliminați adresa de livrare.',
    'A Deliver to address (BG-15) has a non-blank country subdivision ({BT-79}).',
    ['BT-79', 'BG-15'],
  ),
  'BR-RO-A020': T(
    'Keep at most 20 invoice notes ({BG-1}): merge the others into fewer notes.',
    'Păstrați cel mult 20 de note ale facturii ({BG-1}): comasați restul în mai puține note.',
    'The document has at most 20 Invoice notes ({BG-1}).',
    ['BG-1', 'BT-22'],
  ),
  'BR-RO-A051': T(
    'Keep at most 50 additional supporting documents ({BG-24}).',
    'Păstrați cel mult 50 de documente justificative suplimentare ({BG-24}).',
    'At most 50 Additional supporting documents ({BG-24}) (as written in the artefact the count is per element, so it never fails).',
  ),
  'BR-RO-A052': T(
    'Keep at most 50 item attributes ({BG-32}).',
    'Păstrați cel mult 50 de atribute ale articolului ({BG-32}).',
    'At most 50 Item attributes ({BG-32}) (as written in the artefact the count is per element, so it never fails).',
  ),
  'BR-RO-A500': T(
    'Keep at most 500 preceding invoices (cac:InvoiceDocumentReference, BT-25) in one Preceding Invoice reference ({BG-3}); split them over several invoices or credit notes if needed.',
    'Păstrați cel mult 500 de facturi anterioare (cac:InvoiceDocumentReference, BT-25) într-o referință la facturi anterioare ({BG-3}); dacă este nevoie, împărțiți-le pe mai multe facturi sau note de credit.',
    'A Preceding Invoice reference group ({BG-3}) lists at most 500 invoices.',
    ['BG-3', 'BT-25'],
  ),
  'BR-RO-L0308': T(
    'Shorten the identifier of every cac:AdditionalDocumentReference (invoiced object identifier BT-18, supporting document reference BT-122) to at most 200 characters.',
    'Scurtați identificatorul fiecărui cac:AdditionalDocumentReference (identificatorul obiectului facturat BT-18, referința documentului justificativ BT-122) la cel mult 200 de caractere.',
    'Every additional document reference identifier (BT-18, BT-122) has at most 200 characters (after normalising spaces).',
    ['BT-18', 'BT-122'],
  ),
  'BR-RO-L211': T(
    'Shorten the filename attribute of the attached document ({BT-125}) to at most 200 characters.',
    'Scurtați atributul filename al documentului atașat ({BT-125}) la cel mult 200 de caractere.',
    'The file name of an attached document ({BT-125}) has at most 200 characters.',
  ),
  'BR-RO-L1017': T(
    'Shorten the allowance reason code ({BT-98}) to at most 100 characters: this CIUS-RO limit is stated for the Document level allowance reason (BT-97) but ANAF measures cbc:AllowanceChargeReasonCode; leading, trailing and repeated spaces do not count.',
    'Scurtați codul motivului deducerii ({BT-98}) la cel mult 100 de caractere: limita CIUS-RO este formulată pentru motivul deducerii la nivelul documentului (BT-97), dar ANAF măsoară cbc:AllowanceChargeReasonCode; spațiile de la capete și cele repetate nu se numără.',
    'The reason code of a document level allowance ({BT-98}) has at most 100 characters (the rule is labelled for BT-97).',
    ['BT-98', 'BT-97'],
  ),
  'BR-RO-L1018': T(
    'Shorten the charge reason code ({BT-105}) to at most 100 characters: this CIUS-RO limit is stated for the Document level charge reason (BT-104) but ANAF measures cbc:AllowanceChargeReasonCode; leading, trailing and repeated spaces do not count.',
    'Scurtați codul motivului majorării ({BT-105}) la cel mult 100 de caractere: limita CIUS-RO este formulată pentru motivul majorării la nivelul documentului (BT-104), dar ANAF măsoară cbc:AllowanceChargeReasonCode; spațiile de la capete și cele repetate nu se numără.',
    'The reason code of a document level charge ({BT-105}) has at most 100 characters (the rule is labelled for BT-104).',
    ['BT-105', 'BT-104'],
  ),
  'BR-27': T(
    'Make the Item net price ({BT-146}) zero or positive; to reduce an amount use a negative quantity (BT-129) or an allowance (deducere).',
    'Folosiți un preț net al articolului ({BT-146}) zero sau pozitiv; pentru a micșora o valoare folosiți o cantitate negativă (BT-129) sau o deducere.',
    'The Item net price ({BT-146}) is not negative.',
  ),
};

/** Texts of the CIUS-RO 1.0.9 rules. */
export const CIUS_RO_TEXTS: RuleTextTable = {
  ...Object.fromEntries(LENGTHS.map(([id, bt, max]) => [id, lengthText(bt, max)])),
  ...Object.fromEntries(DECIMALS.map(([id, bt]) => [id, decimalsText(bt)])),
  'BR-DEC-RO-13': decimalsText('BT-110', TAX_IN_DOC_CURRENCY),
  'BR-DEC-RO-15': decimalsText('BT-111', TAX_IN_ACCOUNTING_CURRENCY),
  ...Object.fromEntries(DATES.map(([id, element, terms]) => [id, dateText(element, terms)])),
  ...HANDWRITTEN,
};
