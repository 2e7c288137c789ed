/**
 * Generates the EN 16931 code lists of the validator (`libs/invoicing/domain/src/validation/code-lists/`,
 * one file per list + index.ts) from the devDependency `@e-invoice-eu/core` (WTFPL), whose invoice JSON
 * schema carries the EN 16931 code lists as enums (`invoiceSchema.$defs.codeLists`).
 *
 *   npx tsx tools/scripts/gen-code-lists.ts            # writes the files
 *   npx tsx tools/scripts/gen-code-lists.ts --check    # exit 1 when a committed file differs
 *
 * The validator must give ANAF's CIUS-RO 1.0.9 verdicts, and ANAF's artefact embeds the code lists
 * of the EN 16931 1.3.8-era validation artefacts. Where the package's (newer) list differs, the
 * differences are declared below (`remove`: in the package, not in ANAF's list; `add`: in ANAF's
 * list, not in the package's), each with its reason, and written into the generated file's docstring.
 * The generator fails when a declared difference no longer holds (a code to remove that the package
 * does not have, a code to add that it has), so a package upgrade cannot silently change a list.
 * The ANAF-side facts were read from ANAF's CIUS-RO 1.0.9 artefact (05.06.2024), as the specification.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { invoiceSchema } from '@e-invoice-eu/core';

const OUT_DIR = join(import.meta.dirname, '../../libs/invoicing/domain/src/validation/code-lists');
const require = createRequire(import.meta.url);
const PKG_VERSION: string = JSON.parse(
  readFileSync(join(dirname(require.resolve('@e-invoice-eu/core')), '../package.json'), 'utf8'),
).version;
const SCHEMA_ID: string = (invoiceSchema as unknown as { $id: string }).$id;
const PACKAGE_LISTS = (invoiceSchema as unknown as { $defs: { codeLists: Record<string, { enum: string[] }> } }).$defs.codeLists;

/** ANAF's artefact, the version every list below is aligned on. */
const ANAF = "ANAF's CIUS-RO 1.0.9 validation artefact (05.06.2024), which embeds the EN 16931 1.3.8 UBL code lists";

/** One generated list. */
interface ListSpec {
  /** File name in OUT_DIR (without `.ts`). */
  readonly file: string;
  /** Name of the exported readonly array; the set is `setName`. */
  readonly arrayName: string;
  readonly setName: string;
  readonly typeName: string;
  /** Key under `invoiceSchema.$defs.codeLists`; absent when the package lacks the list (see `codes`). */
  readonly packageKey?: string;
  /** The codes, when the package lacks the list: ANAF's 1.3.8-era list, recorded here as data. */
  readonly codes?: readonly string[];
  /** What the list is: standard, and the EN 16931 terms it codes. */
  readonly title: string;
  /** The BR-CL rules that use it. */
  readonly usedBy: string;
  /** Codes of the package's list that ANAF's list does not have, with the reason. */
  readonly remove?: Readonly<Record<string, string>>;
  /** Codes of ANAF's list that the package's list does not have, with the reason. */
  readonly add?: Readonly<Record<string, string>>;
  /** Further remarks for the docstring. */
  readonly note?: string;
}

const newerIso4217 = (what: string) => what;
const laterEn = 'in the later EN 16931 list the package carries, not in the 1.3.8-era list';
const droppedLater = 'in the 1.3.8-era list, not in the later list the package carries';

/**
 * UNTDID 4451 text subject codes as ANAF's artefact lists them (EN 16931 1.3.8): @e-invoice-eu/core
 * carries no such list (its schema does not code BT-21), so the 383 codes are recorded here.
 */
const UNCL_4451_1_3_8 = (
  'AAA AAB AAC AAD AAE AAF AAG AAI AAJ AAK AAL AAM AAN AAO AAP AAQ AAR AAS AAT AAU AAV AAW AAX AAY ' +
  'AAZ ABA ABB ABC ABD ABE ABF ABG ABH ABI ABJ ABK ABL ABM ABN ABO ABP ABQ ABR ABS ABT ABU ABV ABW ' +
  'ABX ABZ ACA ACB ACC ACD ACE ACF ACG ACH ACI ACJ ACK ACL ACM ACN ACO ACP ACQ ACR ACS ACT ACU ACV ' +
  'ACW ACX ACY ACZ ADA ADB ADC ADD ADE ADF ADG ADH ADI ADJ ADK ADL ADM ADN ADO ADP ADQ ADR ADS ADT ' +
  'ADU ADV ADW ADX ADY ADZ AEA AEB AEC AED AEE AEF AEG AEH AEI AEJ AEK AEL AEM AEN AEO AEP AEQ AER ' +
  'AES AET AEU AEV AEW AEX AEY AEZ AFA AFB AFC AFD AFE AFF AFG AFH AFI AFJ AFK AFL AFM AFN AFO AFP ' +
  'AFQ AFR AFS AFT AFU AFV AFW AFX AFY AFZ AGA AGB AGC AGD AGE AGF AGG AGH AGI AGJ AGK AGL AGM AGN ' +
  'AGO AGP AGQ AGR AGS AGT AGU AGV AGW AGX AGY AGZ AHA AHB AHC AHD AHE AHF AHG AHH AHI AHJ AHK AHL ' +
  'AHM AHN AHO AHP AHQ AHR AHS AHT AHU AHV AHW AHX AHY AHZ AIA AIB AIC AID AIE AIF AIG AIH AII AIJ ' +
  'AIK AIL AIM AIN AIO AIP AIQ AIR AIS AIT AIU AIV AIW AIX AIY AIZ AJA AJB ALC ALD ALE ALF ALG ALH ' +
  'ALI ALJ ALK ALL ALM ALN ALO ALP ALQ ARR ARS AUT AUU AUV AUW AUX AUY AUZ AVA AVB AVC AVD AVE AVF ' +
  'BAG BAH BAI BAJ BAK BAL BAM BAN BAO BAP BAQ BAR BAS BLC BLD BLE BLF BLG BLH BLI BLJ BLK BLL BLM ' +
  'BLN BLO BLP BLQ BLR BLS BLT BLU BLV BLW BLX BLY BLZ BMA BMB BMC BMD BME CCI CEX CHG CIP CLP CLR ' +
  'COI CUR CUS DAR DCL DEL DIN DOC DUT EUR FBC GBL GEN GS7 HAN HAZ ICN IIN IMI IND INS INV IRP ITR ' +
  'ITS LAN LIN LOI MCO MDH MKS ORI OSI PAC PAI PAY PKG PKT PMD PMT PRD PRF PRI PUR QIN QQD QUT RAH ' +
  'REG RET REV RQR SAF SIC SIN SLR SPA SPG SPH SPP SPT SRN SSR SUR TCA TDT TRA TRR TXD WHI ZZZ'
).trim().split(' ');

const LISTS: readonly ListSpec[] = [
  {
    file: 'iso-4217-currency-codes',
    arrayName: 'ISO_4217_CURRENCY_CODE_LIST',
    setName: 'ISO_4217_CURRENCY_CODES',
    typeName: 'Iso4217CurrencyCode',
    packageKey: 'ISO4217',
    title: 'ISO 4217 alpha-3 currency codes: BT-5 Invoice currency code, BT-6 VAT accounting currency code and the `currencyID` of every amount.',
    usedBy: 'BR-CL-03 (`@currencyID`), BR-CL-04 (BT-5), BR-CL-05 (BT-6)',
    remove: {
      MRU: newerIso4217('Mauritanian ouguiya of the 2018 redenomination (ANAF still lists MRO)'),
      SLE: newerIso4217('Sierra Leonean leone of the 2022 redenomination (ANAF still lists SLL)'),
      STN: newerIso4217('São Tomé and Príncipe dobra of the 2018 redenomination (ANAF still lists STD)'),
      UYW: newerIso4217('Uruguayan unidad previsional, added to ISO 4217 after the list ANAF applies'),
      VED: newerIso4217('Venezuelan digital bolívar (2021)'),
      VES: newerIso4217('Venezuelan sovereign bolívar of the 2018 redenomination (ANAF still lists VEF)'),
      ZWG: newerIso4217('Zimbabwe Gold (2024)'),
    },
    add: {
      HRK: 'Croatian kuna, withdrawn when Croatia adopted the euro (2023)',
      MRO: 'Mauritanian ouguiya before the 2018 redenomination',
      SLL: 'Sierra Leonean leone before the 2022 redenomination',
      STD: 'São Tomé and Príncipe dobra before the 2018 redenomination',
      VEF: 'Venezuelan bolívar fuerte, replaced in 2018',
      XXX: '"no currency" code of ISO 4217, not in the later EN 16931 list the package carries',
    },
  },
  {
    file: 'unece-rec20-unit-codes',
    arrayName: 'UNECE_REC20_UNIT_CODE_LIST',
    setName: 'UNECE_REC20_UNIT_CODES',
    typeName: 'UneceRec20UnitCode',
    packageKey: 'UNECERec20',
    title:
      'UN/ECE Recommendation 20 (codes for units of measure used in international trade) with the Recommendation 21 ' +
      'package codes (prefixed `X`): BT-130 Invoiced quantity unit of measure code, BT-150 Item price base quantity unit of measure code.',
    usedBy: 'BR-CL-23 (`@unitCode`)',
  },
  {
    file: 'iso-3166-country-codes',
    arrayName: 'ISO_3166_1_ALPHA2_CODE_LIST',
    setName: 'ISO_3166_1_ALPHA2_CODES',
    typeName: 'Iso3166Alpha2Code',
    packageKey: 'ISO3166',
    title:
      'ISO 3166-1 alpha-2 country codes, with `1A` (Kosovo) and `XI` (Northern Ireland) that EN 16931 accepts: ' +
      'BT-40, BT-55, BT-69, BT-80 country codes, BT-159 Item country of origin.',
    usedBy: 'BR-CL-14 (`cac:Country`), BR-CL-15 (`cac:OriginCountry`)',
    note: 'Romanian counties (ISO 3166-2:RO) are not here: they are `RO_COUNTY_CODES` of @cetate/invoicing-contracts.',
  },
  {
    file: 'uncl-1001-invoice-type-codes',
    arrayName: 'UNCL_1001_INVOICE_TYPE_CODE_LIST',
    setName: 'UNCL_1001_INVOICE_TYPE_CODES',
    typeName: 'Uncl1001InvoiceTypeCode',
    packageKey: 'UNCL1001-inv',
    title: 'UNTDID 1001 document name codes that EN 16931 allows in `cbc:InvoiceTypeCode` (BT-3 Invoice type code of an Invoice).',
    usedBy: 'BR-CL-01 (Invoice)',
    remove: { '471': laterEn, '472': laterEn, '473': laterEn, '500': laterEn, '501': laterEn },
    add: {
      '81': "credit note related to goods or services, accepted in `cbc:InvoiceTypeCode` too by ANAF's list (later EN 16931 releases list it for credit notes only)",
    },
    note: 'CIUS-RO narrows BT-3 further (BR-RO rules); this list is the EN 16931 check only.',
  },
  {
    file: 'uncl-1001-credit-note-type-codes',
    arrayName: 'UNCL_1001_CREDIT_NOTE_TYPE_CODE_LIST',
    setName: 'UNCL_1001_CREDIT_NOTE_TYPE_CODES',
    typeName: 'Uncl1001CreditNoteTypeCode',
    packageKey: 'UNCL1001-cn',
    title: 'UNTDID 1001 document name codes that EN 16931 allows in `cbc:CreditNoteTypeCode` (BT-3 Invoice type code of a CreditNote).',
    usedBy: 'BR-CL-01 (CreditNote)',
    remove: { '502': laterEn, '503': laterEn },
  },
  {
    file: 'uncl-2005-vat-point-date-codes',
    arrayName: 'UNCL_2005_VAT_POINT_DATE_CODE_LIST',
    setName: 'UNCL_2005_VAT_POINT_DATE_CODES',
    typeName: 'Uncl2005VatPointDateCode',
    packageKey: 'UNCL2005',
    title:
      'The EN 16931 restriction of UNTDID 2005 (date/time/period function code qualifier) for BT-8 Value added tax point date code: ' +
      '3 (invoice document issue date), 35 (delivery date), 432 (paid to date).',
    usedBy: 'BR-CL-06 (`cac:InvoicePeriod/cbc:DescriptionCode`)',
  },
  {
    file: 'uncl-1153-reference-qualifiers',
    arrayName: 'UNCL_1153_REFERENCE_QUALIFIER_LIST',
    setName: 'UNCL_1153_REFERENCE_QUALIFIERS',
    typeName: 'Uncl1153ReferenceQualifier',
    packageKey: 'UNCL1153',
    title: 'UNTDID 1153 reference code qualifiers: the scheme identifier of BT-18 Invoiced object identifier.',
    usedBy: 'BR-CL-07 (`@schemeID` of the document reference with type code 130)',
  },
  {
    file: 'uncl-4461-payment-means-codes',
    arrayName: 'UNCL_4461_PAYMENT_MEANS_CODE_LIST',
    setName: 'UNCL_4461_PAYMENT_MEANS_CODES',
    typeName: 'Uncl4461PaymentMeansCode',
    packageKey: 'UNCL4461',
    title: 'UNTDID 4461 payment means codes: BT-81 Payment means type code (e.g. 30 credit transfer, 42 payment to bank account, 58 SEPA credit transfer).',
    usedBy: 'BR-CL-16',
    remove: { '98': laterEn },
    add: { '69': droppedLater },
  },
  {
    file: 'uncl-5305-vat-category-codes',
    arrayName: 'UNCL_5305_VAT_CATEGORY_CODE_LIST',
    setName: 'UNCL_5305_VAT_CATEGORY_CODES',
    typeName: 'Uncl5305VatCategoryCode',
    packageKey: 'UNCL5305',
    title:
      'The EN 16931 subset of UNTDID 5305 duty/tax/fee category codes: BT-95, BT-102, BT-118 and BT-151 VAT category codes ' +
      '(S, Z, E, AE, K, G, O, L, M, and B "transferred VAT" of Italy).',
    usedBy: 'BR-CL-17 (`cac:TaxCategory`), BR-CL-18 (`cac:ClassifiedTaxCategory`)',
  },
  {
    file: 'uncl-5189-allowance-reason-codes',
    arrayName: 'UNCL_5189_ALLOWANCE_REASON_CODE_LIST',
    setName: 'UNCL_5189_ALLOWANCE_REASON_CODES',
    typeName: 'Uncl5189AllowanceReasonCode',
    packageKey: 'UNCL5189',
    title: 'The EN 16931 subset of UNTDID 5189 allowance or charge identification codes: BT-98 and BT-140 allowance reason codes.',
    usedBy: 'BR-CL-19 (allowances: `cbc:ChargeIndicator` false)',
  },
  {
    file: 'uncl-7161-charge-reason-codes',
    arrayName: 'UNCL_7161_CHARGE_REASON_CODE_LIST',
    setName: 'UNCL_7161_CHARGE_REASON_CODES',
    typeName: 'Uncl7161ChargeReasonCode',
    packageKey: 'UNCL7161',
    title: 'UNTDID 7161 special service description codes: BT-105 and BT-145 charge reason codes.',
    usedBy: 'BR-CL-20 (charges: `cbc:ChargeIndicator` true)',
    remove: { PRV: laterEn },
  },
  {
    file: 'uncl-7143-item-classification-list-ids',
    arrayName: 'UNCL_7143_ITEM_CLASSIFICATION_LIST_ID_LIST',
    setName: 'UNCL_7143_ITEM_CLASSIFICATION_LIST_IDS',
    typeName: 'Uncl7143ItemClassificationListId',
    packageKey: 'UNCL7143',
    title: 'UNTDID 7143 item type identification codes: the `listID` (scheme identifier) of BT-158 Item classification identifier.',
    usedBy: 'BR-CL-13',
    remove: { EMD: laterEn, GMN: laterEn },
  },
  {
    file: 'vatex-codes',
    arrayName: 'VATEX_CODE_LIST',
    setName: 'VATEX_CODES',
    typeName: 'VatexCode',
    packageKey: 'vatex',
    title: 'CEF VATEX VAT exemption reason codes: BT-121 VAT exemption reason code (e.g. VATEX-EU-IC intra-community supply, VATEX-EU-AE reverse charge).',
    usedBy: 'BR-CL-22 (compared in upper case)',
    remove: {
      'VATEX-EU-144': laterEn,
      'VATEX-EU-146-1E': laterEn,
      'VATEX-EU-159': laterEn,
      'VATEX-FR-FRANCHISE': laterEn,
      'VATEX-FR-CNWVAT': laterEn,
    },
  },
  {
    file: 'eas-codes',
    arrayName: 'EAS_CODE_LIST',
    setName: 'EAS_CODES',
    typeName: 'EasCode',
    packageKey: 'eas',
    title: 'CEF Electronic Address Scheme (EAS) codes: the scheme identifier of BT-34 Seller and BT-49 Buyer electronic address.',
    usedBy: 'BR-CL-25 (`cbc:EndpointID/@schemeID`)',
    remove: {
      '0177': laterEn,
      '0218': laterEn,
      '0221': laterEn,
      '0230': laterEn,
      '0235': laterEn,
      '9959': laterEn,
    },
    add: {
      '0147': droppedLater,
      '0170': droppedLater,
      '0194': droppedLater,
      '0203': droppedLater,
      '0205': droppedLater,
      '9906': droppedLater,
      '9907': droppedLater,
      '9955': droppedLater,
      AN: droppedLater,
    },
    note: 'The package lists `EM` twice; the duplicate is dropped.',
  },
  {
    file: 'iso-6523-icd-codes',
    arrayName: 'ISO_6523_ICD_CODE_LIST',
    setName: 'ISO_6523_ICD_CODES',
    typeName: 'Iso6523IcdCode',
    packageKey: 'ICD',
    title:
      'ISO 6523 International Code Designators (ICD): scheme identifiers of BT-29/BT-46/BT-60 party identifiers, ' +
      'BT-30/BT-47/BT-61 legal registration identifiers, BT-71 Deliver to location identifier and BT-157 Item standard identifier.',
    usedBy: 'BR-CL-10, BR-CL-11, BR-CL-21, BR-CL-26',
    remove: Object.fromEntries(
      Array.from({ length: 238 - 217 + 1 }, (_, i) => [String(217 + i).padStart(4, '0'), "ICD registered after ANAF's list (which ends at 0216)"]),
    ),
    note: 'BR-CL-10 also accepts `SEPA` (BT-90 Bank assigned creditor identifier) under the seller or the payee: see `SEPA_SCHEME_ID`.',
  },
  {
    file: 'uncl-4451-text-subject-codes',
    arrayName: 'UNCL_4451_TEXT_SUBJECT_CODE_LIST',
    setName: 'UNCL_4451_TEXT_SUBJECT_CODES',
    typeName: 'Uncl4451TextSubjectCode',
    codes: UNCL_4451_1_3_8,
    title:
      'UNTDID 4451 text subject code qualifiers: BT-21 Invoice note subject code, written in UBL as `#CODE#` at the start of ' +
      'a document level `cbc:Note` (BT-22).',
    usedBy: 'BR-CL-08 (a substring test on the space-separated list, in this order: see code-list.rules.ts)',
  },
  {
    file: 'mime-codes',
    arrayName: 'MIME_CODE_LIST',
    setName: 'MIME_CODES',
    typeName: 'MimeCode',
    packageKey: 'MimeCode',
    title: 'The MIME types EN 16931 allows for BT-125 Attached document (`cbc:EmbeddedDocumentBinaryObject/@mimeCode`).',
    usedBy: 'BR-CL-24 (exact comparison, no space normalisation)',
  },
];

/** Numeric codes by value, then the others by code point: `1 < 2 < 10 < 1A < A`. */
function compareCodes(a: string, b: string): number {
  const na = /^\d+$/.test(a), nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Codes packed into lines of at most ~110 characters. */
function packed(codes: readonly string[]): string {
  const lines: string[] = [];
  let cur = '';
  for (const c of codes.map(quote)) {
    if (cur && cur.length + c.length + 2 > 108) {
      lines.push(cur);
      cur = '';
    }
    cur += (cur ? ' ' : '') + c + ',';
  }
  if (cur) lines.push(cur);
  return lines.map((l) => `  ${l}`).join('\n');
}

/** A docstring line list wrapped at ~110 characters, each line prefixed ` * `. */
function wrap(text: string, indent = ''): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && (cur + ' ' + w).length > 106 - indent.length) {
      out.push(cur);
      cur = indent + w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out.map((l) => ` * ${l}`);
}

function build(spec: ListSpec): { codes: string[]; text: string } {
  const pkg = spec.codes ?? (spec.packageKey ? PACKAGE_LISTS[spec.packageKey]?.enum : undefined);
  if (!pkg) throw new Error(`@e-invoice-eu/core ${PKG_VERSION} has no code list ${spec.packageKey}`);
  if (spec.codes && spec.packageKey) throw new Error(`${spec.file}: either packageKey or codes`);
  const set = new Set(pkg);
  for (const c of Object.keys(spec.remove ?? {}))
    if (!set.has(c)) throw new Error(`${spec.packageKey}: declared removal ${c} is not in the package's list any more`);
  for (const c of Object.keys(spec.add ?? {}))
    if (set.has(c)) throw new Error(`${spec.packageKey}: declared addition ${c} is already in the package's list`);
  for (const c of Object.keys(spec.remove ?? {})) set.delete(c);
  for (const c of Object.keys(spec.add ?? {})) set.add(c);
  const codes = [...set].sort(compareCodes);

  const doc: string[] = [...wrap(spec.title), ' *'];
  doc.push(...wrap(`Version: the list of ${ANAF}. ${codes.length} codes.`));
  doc.push(
    ...wrap(
      spec.packageKey
        ? `Source: the code list \`${spec.packageKey}\` of @e-invoice-eu/core ${PKG_VERSION} (WTFPL; JSON schema ${SCHEMA_ID}, ` +
            `\`$defs.codeLists\`), ${spec.remove || spec.add ? 'aligned on ANAF\'s list as below' : 'identical to ANAF\'s list'}.`
        : `Source: @e-invoice-eu/core ${PKG_VERSION} has no such list; the codes are those of ANAF's list, recorded as data in ` +
            'tools/scripts/gen-code-lists.ts.',
    ),
  );
  const removed = Object.entries(spec.remove ?? {}).sort(([a], [b]) => compareCodes(a, b));
  const added = Object.entries(spec.add ?? {}).sort(([a], [b]) => compareCodes(a, b));
  if (removed.length || added.length) {
    doc.push(
      ' *',
      ...wrap(
        "Differences from the package's list, where ANAF's list wins (parity with ANAF's verdicts): \"removed\" codes are in " +
          "the package's list and not in ANAF's, \"added\" codes are in ANAF's list and not in the package's.",
      ),
    );
    // group identical reasons: `0217, 0218, ...: reason`
    const grouped = (entries: [string, string][]) => {
      const by = new Map<string, string[]>();
      for (const [c, why] of entries) by.set(why, [...(by.get(why) ?? []), c]);
      return [...by].map(([why, cs]) => `${cs.map((c) => `\`${c}\``).join(', ')}: ${why}.`);
    };
    for (const line of grouped(removed)) doc.push(...wrap(`- removed ${line}`, '  '));
    for (const line of grouped(added)) doc.push(...wrap(`- added ${line}`, '  '));
  }
  if (spec.note) doc.push(' *', ...wrap(spec.note));
  doc.push(' *', ...wrap(`Used by: ${spec.usedBy}.`));

  const text = `// Generated by tools/scripts/gen-code-lists.ts from @e-invoice-eu/core ${PKG_VERSION}: do not edit by hand.

/**
${doc.join('\n')}
 */
export const ${spec.arrayName} = [
${packed(codes)}
] as const;

/** One code of {@link ${spec.arrayName}}. */
export type ${spec.typeName} = (typeof ${spec.arrayName})[number];

/** {@link ${spec.arrayName}} as a set (membership tests of the BR-CL rules). */
export const ${spec.setName}: ReadonlySet<string> = new Set<string>(${spec.arrayName});
`;
  return { codes, text };
}

function indexText(): string {
  const exports = LISTS.map((s) => `export * from './${s.file}.js';`).join('\n');
  return `// Generated by tools/scripts/gen-code-lists.ts from @e-invoice-eu/core ${PKG_VERSION}: do not edit by hand.

/**
 * The EN 16931 code lists the BR-CL rules check, as applied by ${ANAF}.
 * One file per list: a readonly array of the codes (with its literal type) and a \`ReadonlySet\`.
 * Regenerate with \`npx tsx tools/scripts/gen-code-lists.ts\`.
 */
${exports}

/**
 * Scheme identifier of BT-90 Bank assigned creditor identifier (SEPA creditor identifier), accepted by
 * BR-CL-10 in \`cac:PartyIdentification/cbc:ID/@schemeID\` under the seller or the payee only.
 */
export const SEPA_SCHEME_ID = '${PACKAGE_LISTS['SEPA']!.enum[0]}';

/** Where the lists come from: package and version, and the artefact they are aligned on. */
export const CODE_LISTS_SOURCE = {
  package: '@e-invoice-eu/core',
  packageVersion: '${PKG_VERSION}',
  schema: '${SCHEMA_ID}',
  alignedOn: 'CIUS-RO 1.0.9 (EN 16931 1.3.8 UBL code lists)',
} as const;
`;
}

const check = process.argv.includes('--check');
mkdirSync(OUT_DIR, { recursive: true });
const files: [string, string][] = LISTS.map((s) => [`${s.file}.ts`, build(s).text]);
files.push(['index.ts', indexText()]);
let stale = 0;
for (const [name, text] of files) {
  const path = join(OUT_DIR, name);
  if (check) {
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      /* missing */
    }
    if (old !== text) {
      console.error(`stale: ${path}`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale) process.exit(1);
