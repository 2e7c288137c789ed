import { text } from './business-terms.js';
import type { RuleTextTable } from './types.js';

/**
 * Texts of the EN 16931 1.3.8 code list rules (BR-CL-*, pattern "Codesmodel" of the UBL binding): a
 * coded value or scheme attribute must come from the code list the rule names.
 */

const T = text;

export const CODE_LIST_TEXTS: RuleTextTable = {
  'BR-CL-01': T(
    'Use a UNTDID 1001 document type code for the Invoice type code ({BT-3}); e-Factura accepts 380, 384, 389 and 751 for invoices and 381 for credit notes.',
    'Folosiți un cod de tip de document din lista UNTDID 1001 pentru codul tipului facturii ({BT-3}); e-Factura acceptă 380, 384, 389 și 751 pentru facturi și 381 pentru notele de credit.',
    'The Invoice type code ({BT-3}) belongs to the UNTDID 1001 invoice / credit note subsets.',
  ),
  'BR-CL-03': T(
    'Correct every currencyID attribute of the amounts to an ISO 4217 alpha-3 currency code, e.g. RON or EUR, normally the invoice currency ({BT-5}).',
    'Corectați fiecare atribut currencyID al sumelor cu un cod de monedă ISO 4217 alpha-3, de exemplu RON sau EUR, de regulă moneda facturii ({BT-5}).',
    'Every currencyID attribute is an ISO 4217 alpha-3 currency code.',
    ['BT-5', 'BT-6'],
  ),
  'BR-CL-04': T(
    'Use an ISO 4217 alpha-3 code for the Invoice currency code ({BT-5}), e.g. RON, EUR, USD.',
    'Folosiți un cod ISO 4217 alpha-3 pentru codul monedei facturii ({BT-5}), de exemplu RON, EUR, USD.',
    'The Invoice currency code ({BT-5}) is an ISO 4217 alpha-3 code.',
  ),
  'BR-CL-05': T(
    'Use an ISO 4217 alpha-3 code for the VAT accounting currency code ({BT-6}); in e-Factura it is RON.',
    'Folosiți un cod ISO 4217 alpha-3 pentru codul monedei de contabilizare a TVA ({BT-6}); în e-Factura acesta este RON.',
    'The VAT accounting currency code ({BT-6}) is an ISO 4217 alpha-3 code.',
  ),
  'BR-CL-06': T(
    'Use 3 (invoice issue date), 35 (actual delivery date) or 432 (paid to date) for the Value added tax point date code ({BT-8}).',
    'Folosiți 3 (data emiterii facturii), 35 (data reală a livrării) sau 432 (data plății) pentru codul datei de exigibilitate a TVA ({BT-8}).',
    'The Value added tax point date code ({BT-8}) is 3, 35 or 432 (UNTDID 2005 subset).',
  ),
  'BR-CL-07': T(
    'Use a UNTDID 1153 reference code qualifier in the schemeID attribute of the Invoiced object identifier ({BT-18}), e.g. AAA, or remove the attribute.',
    'Folosiți un calificator de referință din lista UNTDID 1153 în atributul schemeID al identificatorului obiectului facturat ({BT-18}), de exemplu AAA, sau eliminați atributul.',
    'The scheme of the Invoiced object identifier ({BT-18}) is a UNTDID 1153 code.',
  ),
  'BR-CL-08': T(
    'Start the Invoice note ({BT-22}) with a UNCL 4451 subject code between # signs ({BT-21}), e.g. #AAI#text, or remove the leading #...# part.',
    'Începeți nota facturii ({BT-22}) cu un cod de subiect UNCL 4451 între semne # ({BT-21}), de exemplu #AAI#text, sau eliminați partea #...# de la început.',
    'A note subject code ({BT-21}) written as #CODE# at the start of an Invoice note belongs to UNCL 4451.',
    ['BT-21', 'BT-22'],
  ),
  'BR-CL-10': T(
    'Use an ISO 6523 ICD code in the schemeID attribute of party identifiers (cac:PartyIdentification/cbc:ID: seller BT-29, buyer BT-46, payee BT-60), e.g. 0088 for a GLN, or remove the attribute.',
    'Folosiți un cod ISO 6523 ICD în atributul schemeID al identificatorilor de parte (cac:PartyIdentification/cbc:ID: vânzător BT-29, cumpărător BT-46, beneficiar BT-60), de exemplu 0088 pentru GLN, sau eliminați atributul.',
    'The scheme of every party identifier (BT-29, BT-46, BT-60) is an ISO 6523 ICD code.',
    ['BT-29', 'BT-46', 'BT-60'],
  ),
  'BR-CL-11': T(
    'Use an ISO 6523 ICD code in the schemeID attribute of legal registration identifiers (cac:PartyLegalEntity/cbc:CompanyID: BT-30, BT-47, BT-61), or remove the attribute (a Romanian trade register number needs none).',
    'Folosiți un cod ISO 6523 ICD în atributul schemeID al identificatorilor de înregistrare legală (cac:PartyLegalEntity/cbc:CompanyID: BT-30, BT-47, BT-61), sau eliminați atributul (numărul de la Registrul Comerțului nu are nevoie de el).',
    'The scheme of every legal registration identifier (BT-30, BT-47, BT-61) is an ISO 6523 ICD code.',
    ['BT-30', 'BT-47', 'BT-61'],
  ),
  'BR-CL-13': T(
    'Use a UNTDID 7143 code in the listID attribute of the Item classification identifier ({BT-158}), e.g. STI for the customs tariff code (NC8) or CV for CPV.',
    'Folosiți un cod UNTDID 7143 în atributul listID al identificatorului de clasificare a articolului ({BT-158}), de exemplu STI pentru codul tarifar vamal (NC8) sau CV pentru CPV.',
    'The scheme of the Item classification identifier ({BT-158}) is a UNTDID 7143 code.',
  ),
  'BR-CL-14': T(
    'Use an ISO 3166-1 alpha-2 code in every cac:Country/cbc:IdentificationCode (seller BT-40, buyer BT-55, tax representative BT-69, delivery BT-80), e.g. RO, DE; not RO-B or ROU.',
    'Folosiți un cod ISO 3166-1 alpha-2 în fiecare cac:Country/cbc:IdentificationCode (vânzător BT-40, cumpărător BT-55, reprezentant fiscal BT-69, livrare BT-80), de exemplu RO, DE; nu RO-B sau ROU.',
    'Every country code (BT-40, BT-55, BT-69, BT-80) is an ISO 3166-1 alpha-2 code.',
    ['BT-40', 'BT-55', 'BT-69', 'BT-80'],
  ),
  'BR-CL-15': T(
    'Use an ISO 3166-1 alpha-2 code for the Item country of origin ({BT-159}), e.g. RO.',
    'Folosiți un cod ISO 3166-1 alpha-2 pentru țara de origine a articolului ({BT-159}), de exemplu RO.',
    'The Item country of origin ({BT-159}) is an ISO 3166-1 alpha-2 code.',
  ),
  'BR-CL-16': T(
    'Use a UNCL 4461 code for the Payment means type code ({BT-81}), e.g. 10 (cash), 30 (credit transfer), 42 (payment to bank account), 48 (bank card), 97 (clearing between partners).',
    'Folosiți un cod UNCL 4461 pentru codul tipului instrumentului de plată ({BT-81}), de exemplu 10 (numerar), 30 (virament), 42 (plată în cont bancar), 48 (card bancar), 97 (compensare).',
    'The Payment means type code ({BT-81}) is a UNCL 4461 code.',
  ),
  'BR-CL-17': T(
    'Use a UNCL 5305 VAT category code in every cac:TaxCategory/cbc:ID (VAT breakdown BT-118, allowances BT-95, charges BT-102): S, Z, E, AE, K, G, O, L or M.',
    'Folosiți un cod de categorie TVA UNCL 5305 în fiecare cac:TaxCategory/cbc:ID (detaliere TVA BT-118, deduceri BT-95, majorări BT-102): S, Z, E, AE, K, G, O, L sau M.',
    'Every VAT category code of a breakdown, allowance or charge (BT-118, BT-95, BT-102) belongs to UNCL 5305.',
    ['BT-118', 'BT-95', 'BT-102'],
  ),
  'BR-CL-18': T(
    'Use a UNCL 5305 VAT category code for the Invoiced item VAT category code ({BT-151}): S, Z, E, AE, K, G, O, L or M.',
    'Folosiți un cod de categorie TVA UNCL 5305 pentru codul categoriei de TVA a articolului facturat ({BT-151}): S, Z, E, AE, K, G, O, L sau M.',
    'The Invoiced item VAT category code ({BT-151}) belongs to UNCL 5305.',
  ),
  'BR-CL-19': T(
    'Use a UNCL 5189 allowance reason code in cbc:AllowanceChargeReasonCode of allowances (document BT-98, line BT-140), e.g. 95 (discount), or give only the reason text.',
    'Folosiți un cod de motiv UNCL 5189 în cbc:AllowanceChargeReasonCode al deducerilor (document BT-98, linie BT-140), de exemplu 95 (reducere), sau indicați doar textul motivului.',
    'Every allowance reason code (BT-98, BT-140) belongs to UNCL 5189.',
    ['BT-98', 'BT-140'],
  ),
  'BR-CL-20': T(
    'Use a UNCL 7161 charge reason code in cbc:AllowanceChargeReasonCode of charges (document BT-105, line BT-145), e.g. FC (freight), or give only the reason text.',
    'Folosiți un cod de motiv UNCL 7161 în cbc:AllowanceChargeReasonCode al majorărilor (document BT-105, linie BT-145), de exemplu FC (transport), sau indicați doar textul motivului.',
    'Every charge reason code (BT-105, BT-145) belongs to UNCL 7161.',
    ['BT-105', 'BT-145'],
  ),
  'BR-CL-21': T(
    'Use an ISO 6523 ICD code in the schemeID attribute of the Item standard identifier ({BT-157}), e.g. 0160 for a GTIN.',
    'Folosiți un cod ISO 6523 ICD în atributul schemeID al identificatorului standard al articolului ({BT-157}), de exemplu 0160 pentru GTIN.',
    'The scheme of the Item standard identifier ({BT-157}) is an ISO 6523 ICD code.',
  ),
  'BR-CL-22': T(
    'Use a code of the CEF VATEX list for the VAT exemption reason code ({BT-121}), e.g. VATEX-EU-AE or VATEX-EU-IC, or give only the reason text (BT-120).',
    'Folosiți un cod din lista CEF VATEX pentru codul motivului scutirii de TVA ({BT-121}), de exemplu VATEX-EU-AE sau VATEX-EU-IC, sau indicați doar motivul în text (BT-120).',
    'The VAT exemption reason code ({BT-121}) belongs to the CEF VATEX list.',
    ['BT-121', 'BT-120'],
  ),
  'BR-CL-23': T(
    'Use a UN/ECE Recommendation 20/21 code in every unitCode attribute (invoiced quantity {BT-130}, price base quantity BT-150), e.g. H87 (piece), KGM (kilogram), HUR (hour).',
    'Folosiți un cod UN/ECE Recomandarea 20/21 în fiecare atribut unitCode (cantitatea facturată {BT-130}, cantitatea de bază a prețului BT-150), de exemplu H87 (bucată), KGM (kilogram), HUR (oră).',
    'Every unit of measure code (BT-130, BT-150) belongs to UN/ECE Recommendation 20 with the Rec. 21 extension.',
    ['BT-130', 'BT-150'],
  ),
  'BR-CL-24': T(
    'Attach documents ({BT-125}) only as PDF, PNG, JPEG, CSV, XLSX or ODS and set the mimeCode attribute accordingly, e.g. application/pdf.',
    'Atașați documente ({BT-125}) doar ca PDF, PNG, JPEG, CSV, XLSX sau ODS și completați atributul mimeCode corespunzător, de exemplu application/pdf.',
    'The mimeCode of an attached document ({BT-125}) is one of the six MIME types EN 16931 allows.',
  ),
  'BR-CL-25': T(
    'Use a code of the CEF EAS list in the schemeID attribute of the electronic addresses (seller {BT-34}, buyer BT-49), e.g. EM for an e-mail address or 9947 for a Romanian VAT number.',
    'Folosiți un cod din lista CEF EAS în atributul schemeID al adreselor electronice (vânzător {BT-34}, cumpărător BT-49), de exemplu EM pentru e-mail sau 9947 pentru un cod de TVA românesc.',
    'The scheme of every electronic address (BT-34, BT-49) belongs to the CEF EAS list.',
    ['BT-34', 'BT-49'],
  ),
  'BR-CL-26': T(
    'Use an ISO 6523 ICD code in the schemeID attribute of the Deliver to location identifier ({BT-71}), e.g. 0088 for a GLN, or remove the attribute.',
    'Folosiți un cod ISO 6523 ICD în atributul schemeID al identificatorului locului de livrare ({BT-71}), de exemplu 0088 pentru GLN, sau eliminați atributul.',
    'The scheme of the Deliver to location identifier ({BT-71}) is an ISO 6523 ICD code.',
  ),
};
