import type { RuleText } from './types.js';

/**
 * EN 16931 business terms (BT) and groups (BG) used by the rule texts: id → [UBL 2.1 path relative to
 * the document root (Invoice form), EN 16931 name, Romanian name (articulated, as used in a sentence)].
 * Credit notes use cac:CreditNoteLine / cbc:CreditedQuantity / cbc:CreditNoteTypeCode where the
 * invoice has cac:InvoiceLine / cbc:InvoicedQuantity / cbc:InvoiceTypeCode.
 * Source of the ids and paths: EN 16931-1 semantic model and its UBL 2.1 syntax binding (CEN/TS 16931-3-2).
 */
const SUP = 'cac:AccountingSupplierParty/cac:Party';
const CUS = 'cac:AccountingCustomerParty/cac:Party';
const REP = 'cac:TaxRepresentativeParty';
const DEL = 'cac:Delivery/cac:DeliveryLocation/cac:Address';
const PAY = 'cac:PaymentMeans';
const DAL = "cac:AllowanceCharge[cbc:ChargeIndicator='false']";
const DCH = "cac:AllowanceCharge[cbc:ChargeIndicator='true']";
const LAL = "cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator='false']";
const LCH = "cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator='true']";
const TOT = 'cac:LegalMonetaryTotal';
const SUB = 'cac:TaxTotal/cac:TaxSubtotal';
const ITEM = 'cac:InvoiceLine/cac:Item';

export const BUSINESS_TERMS: Readonly<Record<string, readonly [path: string, en: string, ro: string]>> = {
  'BT-1': ['cbc:ID', 'Invoice number', 'numărul facturii'],
  'BT-2': ['cbc:IssueDate', 'Invoice issue date', 'data emiterii facturii'],
  'BT-3': ['cbc:InvoiceTypeCode', 'Invoice type code', 'codul tipului facturii'],
  'BT-5': ['cbc:DocumentCurrencyCode', 'Invoice currency code', 'codul monedei facturii'],
  'BT-6': ['cbc:TaxCurrencyCode', 'VAT accounting currency code', 'codul monedei de contabilizare a TVA'],
  'BT-7': ['cbc:TaxPointDate', 'Value added tax point date', 'data de exigibilitate a TVA'],
  'BT-8': ['cac:InvoicePeriod/cbc:DescriptionCode', 'Value added tax point date code', 'codul datei de exigibilitate a TVA'],
  'BT-9': ['cbc:DueDate', 'Payment due date', 'data scadenței'],
  'BT-11': ['cac:ProjectReference/cbc:ID', 'Project reference', 'referința proiectului'],
  'BT-12': ['cac:ContractDocumentReference/cbc:ID', 'Contract reference', 'referința contractului'],
  'BT-13': ['cac:OrderReference/cbc:ID', 'Purchase order reference', 'referința comenzii'],
  'BT-14': ['cac:OrderReference/cbc:SalesOrderID', 'Sales order reference', 'referința comenzii de vânzare'],
  'BT-15': ['cac:ReceiptDocumentReference/cbc:ID', 'Receiving advice reference', 'referința avizului de recepție'],
  'BT-16': ['cac:DespatchDocumentReference/cbc:ID', 'Despatch advice reference', 'referința avizului de expediție'],
  'BT-17': ['cac:OriginatorDocumentReference/cbc:ID', 'Tender or lot reference', 'referința licitației sau a lotului'],
  'BT-18': ["cac:AdditionalDocumentReference[cbc:DocumentTypeCode='130']/cbc:ID", 'Invoiced object identifier', 'identificatorul obiectului facturat'],
  'BT-19': ['cbc:AccountingCost', 'Buyer accounting reference', 'referința contabilă a cumpărătorului'],
  'BT-20': ['cac:PaymentTerms/cbc:Note', 'Payment terms', 'termenii de plată'],
  'BT-21': ['cbc:Note', 'Invoice note subject code', 'codul subiectului notei'],
  'BT-22': ['cbc:Note', 'Invoice note', 'nota facturii'],
  'BT-24': ['cbc:CustomizationID', 'Specification identifier', 'identificatorul specificației'],
  'BT-25': ['cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID', 'Preceding Invoice reference', 'referința facturii anterioare'],
  'BT-26': ['cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate', 'Preceding Invoice issue date', 'data emiterii facturii anterioare'],
  'BT-27': [`${SUP}/cac:PartyLegalEntity/cbc:RegistrationName`, 'Seller name', 'numele vânzătorului'],
  'BT-28': [`${SUP}/cac:PartyName/cbc:Name`, 'Seller trading name', 'denumirea comercială a vânzătorului'],
  'BT-29': [`${SUP}/cac:PartyIdentification/cbc:ID`, 'Seller identifier', 'identificatorul vânzătorului'],
  'BT-30': [`${SUP}/cac:PartyLegalEntity/cbc:CompanyID`, 'Seller legal registration identifier', 'identificatorul de înregistrare legală a vânzătorului'],
  'BT-31': [`${SUP}/cac:PartyTaxScheme/cbc:CompanyID`, 'Seller VAT identifier', 'codul de TVA al vânzătorului'],
  'BT-32': [`${SUP}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID!='VAT']/cbc:CompanyID`, 'Seller tax registration identifier', 'identificatorul de înregistrare fiscală a vânzătorului'],
  'BT-33': [`${SUP}/cac:PartyLegalEntity/cbc:CompanyLegalForm`, 'Seller additional legal information', 'informațiile juridice suplimentare ale vânzătorului'],
  'BT-34': [`${SUP}/cbc:EndpointID`, 'Seller electronic address', 'adresa electronică a vânzătorului'],
  'BT-35': [`${SUP}/cac:PostalAddress/cbc:StreetName`, 'Seller address line 1', 'linia 1 a adresei vânzătorului'],
  'BT-36': [`${SUP}/cac:PostalAddress/cbc:AdditionalStreetName`, 'Seller address line 2', 'linia 2 a adresei vânzătorului'],
  'BT-37': [`${SUP}/cac:PostalAddress/cbc:CityName`, 'Seller city', 'localitatea vânzătorului'],
  'BT-38': [`${SUP}/cac:PostalAddress/cbc:PostalZone`, 'Seller post code', 'codul poștal al vânzătorului'],
  'BT-39': [`${SUP}/cac:PostalAddress/cbc:CountrySubentity`, 'Seller country subdivision', 'subdiviziunea țării vânzătorului (județul)'],
  'BT-40': [`${SUP}/cac:PostalAddress/cac:Country/cbc:IdentificationCode`, 'Seller country code', 'codul țării vânzătorului'],
  'BT-41': [`${SUP}/cac:Contact/cbc:Name`, 'Seller contact point', 'persoana de contact a vânzătorului'],
  'BT-42': [`${SUP}/cac:Contact/cbc:Telephone`, 'Seller contact telephone number', 'telefonul de contact al vânzătorului'],
  'BT-43': [`${SUP}/cac:Contact/cbc:ElectronicMail`, 'Seller contact email address', 'adresa de e-mail de contact a vânzătorului'],
  'BT-44': [`${CUS}/cac:PartyLegalEntity/cbc:RegistrationName`, 'Buyer name', 'numele cumpărătorului'],
  'BT-45': [`${CUS}/cac:PartyName/cbc:Name`, 'Buyer trading name', 'denumirea comercială a cumpărătorului'],
  'BT-46': [`${CUS}/cac:PartyIdentification/cbc:ID`, 'Buyer identifier', 'identificatorul cumpărătorului'],
  'BT-47': [`${CUS}/cac:PartyLegalEntity/cbc:CompanyID`, 'Buyer legal registration identifier', 'identificatorul de înregistrare legală a cumpărătorului'],
  'BT-48': [`${CUS}/cac:PartyTaxScheme/cbc:CompanyID`, 'Buyer VAT identifier', 'codul de TVA al cumpărătorului'],
  'BT-49': [`${CUS}/cbc:EndpointID`, 'Buyer electronic address', 'adresa electronică a cumpărătorului'],
  'BT-50': [`${CUS}/cac:PostalAddress/cbc:StreetName`, 'Buyer address line 1', 'linia 1 a adresei cumpărătorului'],
  'BT-51': [`${CUS}/cac:PostalAddress/cbc:AdditionalStreetName`, 'Buyer address line 2', 'linia 2 a adresei cumpărătorului'],
  'BT-52': [`${CUS}/cac:PostalAddress/cbc:CityName`, 'Buyer city', 'localitatea cumpărătorului'],
  'BT-53': [`${CUS}/cac:PostalAddress/cbc:PostalZone`, 'Buyer post code', 'codul poștal al cumpărătorului'],
  'BT-54': [`${CUS}/cac:PostalAddress/cbc:CountrySubentity`, 'Buyer country subdivision', 'subdiviziunea țării cumpărătorului (județul)'],
  'BT-55': [`${CUS}/cac:PostalAddress/cac:Country/cbc:IdentificationCode`, 'Buyer country code', 'codul țării cumpărătorului'],
  'BT-56': [`${CUS}/cac:Contact/cbc:Name`, 'Buyer contact point', 'persoana de contact a cumpărătorului'],
  'BT-57': [`${CUS}/cac:Contact/cbc:Telephone`, 'Buyer contact telephone number', 'telefonul de contact al cumpărătorului'],
  'BT-58': [`${CUS}/cac:Contact/cbc:ElectronicMail`, 'Buyer contact email address', 'adresa de e-mail de contact a cumpărătorului'],
  'BT-59': ['cac:PayeeParty/cac:PartyName/cbc:Name', 'Payee name', 'numele beneficiarului plății'],
  'BT-60': ['cac:PayeeParty/cac:PartyIdentification/cbc:ID', 'Payee identifier', 'identificatorul beneficiarului plății'],
  'BT-61': ['cac:PayeeParty/cac:PartyLegalEntity/cbc:CompanyID', 'Payee legal registration identifier', 'identificatorul de înregistrare legală a beneficiarului plății'],
  'BT-62': [`${REP}/cac:PartyName/cbc:Name`, 'Seller tax representative name', 'numele reprezentantului fiscal al vânzătorului'],
  'BT-63': [`${REP}/cac:PartyTaxScheme/cbc:CompanyID`, 'Seller tax representative VAT identifier', 'codul de TVA al reprezentantului fiscal'],
  'BT-64': [`${REP}/cac:PostalAddress/cbc:StreetName`, 'Tax representative address line 1', 'linia 1 a adresei reprezentantului fiscal'],
  'BT-65': [`${REP}/cac:PostalAddress/cbc:AdditionalStreetName`, 'Tax representative address line 2', 'linia 2 a adresei reprezentantului fiscal'],
  'BT-66': [`${REP}/cac:PostalAddress/cbc:CityName`, 'Tax representative city', 'localitatea reprezentantului fiscal'],
  'BT-67': [`${REP}/cac:PostalAddress/cbc:PostalZone`, 'Tax representative post code', 'codul poștal al reprezentantului fiscal'],
  'BT-68': [`${REP}/cac:PostalAddress/cbc:CountrySubentity`, 'Tax representative country subdivision', 'subdiviziunea țării reprezentantului fiscal (județul)'],
  'BT-69': [`${REP}/cac:PostalAddress/cac:Country/cbc:IdentificationCode`, 'Tax representative country code', 'codul țării reprezentantului fiscal'],
  'BT-70': ['cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name', 'Deliver to party name', 'numele destinatarului livrării'],
  'BT-71': ['cac:Delivery/cac:DeliveryLocation/cbc:ID', 'Deliver to location identifier', 'identificatorul locului de livrare'],
  'BT-72': ['cac:Delivery/cbc:ActualDeliveryDate', 'Actual delivery date', 'data reală a livrării'],
  'BT-73': ['cac:InvoicePeriod/cbc:StartDate', 'Invoicing period start date', 'data de început a perioadei de facturare'],
  'BT-74': ['cac:InvoicePeriod/cbc:EndDate', 'Invoicing period end date', 'data de sfârșit a perioadei de facturare'],
  'BT-75': [`${DEL}/cbc:StreetName`, 'Deliver to address line 1', 'linia 1 a adresei de livrare'],
  'BT-76': [`${DEL}/cbc:AdditionalStreetName`, 'Deliver to address line 2', 'linia 2 a adresei de livrare'],
  'BT-77': [`${DEL}/cbc:CityName`, 'Deliver to city', 'localitatea de livrare'],
  'BT-78': [`${DEL}/cbc:PostalZone`, 'Deliver to post code', 'codul poștal al adresei de livrare'],
  'BT-79': [`${DEL}/cbc:CountrySubentity`, 'Deliver to country subdivision', 'subdiviziunea țării de livrare (județul)'],
  'BT-80': [`${DEL}/cac:Country/cbc:IdentificationCode`, 'Deliver to country code', 'codul țării de livrare'],
  'BT-81': [`${PAY}/cbc:PaymentMeansCode`, 'Payment means type code', 'codul tipului instrumentului de plată'],
  'BT-82': [`${PAY}/cbc:PaymentMeansCode/@name`, 'Payment means text', 'explicația instrumentului de plată'],
  'BT-83': [`${PAY}/cbc:PaymentID`, 'Remittance information', 'informația de plată (aviz de plată)'],
  'BT-84': [`${PAY}/cac:PayeeFinancialAccount/cbc:ID`, 'Payment account identifier', 'identificatorul contului de plată (IBAN)'],
  'BT-85': [`${PAY}/cac:PayeeFinancialAccount/cbc:Name`, 'Payment account name', 'numele contului de plată'],
  'BT-87': [`${PAY}/cac:CardAccount/cbc:PrimaryAccountNumberID`, 'Payment card primary account number', 'numărul cardului de plată'],
  'BT-88': [`${PAY}/cac:CardAccount/cbc:HolderName`, 'Payment card holder name', 'numele titularului cardului de plată'],
  'BT-89': [`${PAY}/cac:PaymentMandate/cbc:ID`, 'Mandate reference identifier', 'referința mandatului de debitare directă'],
  'BT-90': [`${SUP}/cac:PartyIdentification/cbc:ID[@schemeID='SEPA']`, 'Bank assigned creditor identifier', 'identificatorul de creditor atribuit de bancă'],
  'BT-91': [`${PAY}/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID`, 'Debited account identifier', 'identificatorul contului debitat'],
  'BT-92': [`${DAL}/cbc:Amount`, 'Document level allowance amount', 'valoarea deducerii la nivelul documentului'],
  'BT-93': [`${DAL}/cbc:BaseAmount`, 'Document level allowance base amount', 'valoarea de bază a deducerii la nivelul documentului'],
  'BT-95': [`${DAL}/cac:TaxCategory/cbc:ID`, 'Document level allowance VAT category code', 'codul categoriei de TVA a deducerii la nivelul documentului'],
  'BT-96': [`${DAL}/cac:TaxCategory/cbc:Percent`, 'Document level allowance VAT rate', 'cota TVA a deducerii la nivelul documentului'],
  'BT-97': [`${DAL}/cbc:AllowanceChargeReason`, 'Document level allowance reason', 'motivul deducerii la nivelul documentului'],
  'BT-98': [`${DAL}/cbc:AllowanceChargeReasonCode`, 'Document level allowance reason code', 'codul motivului deducerii la nivelul documentului'],
  'BT-99': [`${DCH}/cbc:Amount`, 'Document level charge amount', 'valoarea majorării la nivelul documentului'],
  'BT-100': [`${DCH}/cbc:BaseAmount`, 'Document level charge base amount', 'valoarea de bază a majorării la nivelul documentului'],
  'BT-102': [`${DCH}/cac:TaxCategory/cbc:ID`, 'Document level charge VAT category code', 'codul categoriei de TVA a majorării la nivelul documentului'],
  'BT-103': [`${DCH}/cac:TaxCategory/cbc:Percent`, 'Document level charge VAT rate', 'cota TVA a majorării la nivelul documentului'],
  'BT-104': [`${DCH}/cbc:AllowanceChargeReason`, 'Document level charge reason', 'motivul majorării la nivelul documentului'],
  'BT-105': [`${DCH}/cbc:AllowanceChargeReasonCode`, 'Document level charge reason code', 'codul motivului majorării la nivelul documentului'],
  'BT-106': [`${TOT}/cbc:LineExtensionAmount`, 'Sum of Invoice line net amount', 'suma valorilor nete ale liniilor facturii'],
  'BT-107': [`${TOT}/cbc:AllowanceTotalAmount`, 'Sum of allowances on document level', 'suma deducerilor la nivelul documentului'],
  'BT-108': [`${TOT}/cbc:ChargeTotalAmount`, 'Sum of charges on document level', 'suma majorărilor la nivelul documentului'],
  'BT-109': [`${TOT}/cbc:TaxExclusiveAmount`, 'Invoice total amount without VAT', 'valoarea totală a facturii fără TVA'],
  'BT-110': ['cac:TaxTotal/cbc:TaxAmount', 'Invoice total VAT amount', 'valoarea totală a TVA a facturii'],
  'BT-111': ['cac:TaxTotal/cbc:TaxAmount', 'Invoice total VAT amount in accounting currency', 'valoarea totală a TVA în moneda de contabilizare'],
  'BT-112': [`${TOT}/cbc:TaxInclusiveAmount`, 'Invoice total amount with VAT', 'valoarea totală a facturii cu TVA'],
  'BT-113': [`${TOT}/cbc:PrepaidAmount`, 'Paid amount', 'suma plătită în avans'],
  'BT-114': [`${TOT}/cbc:PayableRoundingAmount`, 'Rounding amount', 'valoarea de rotunjire'],
  'BT-115': [`${TOT}/cbc:PayableAmount`, 'Amount due for payment', 'suma de plată'],
  'BT-116': [`${SUB}/cbc:TaxableAmount`, 'VAT category taxable amount', 'baza de impozitare a categoriei de TVA'],
  'BT-117': [`${SUB}/cbc:TaxAmount`, 'VAT category tax amount', 'valoarea TVA a categoriei'],
  'BT-118': [`${SUB}/cac:TaxCategory/cbc:ID`, 'VAT category code', 'codul categoriei de TVA'],
  'BT-119': [`${SUB}/cac:TaxCategory/cbc:Percent`, 'VAT category rate', 'cota categoriei de TVA'],
  'BT-120': [`${SUB}/cac:TaxCategory/cbc:TaxExemptionReason`, 'VAT exemption reason text', 'motivul scutirii de TVA'],
  'BT-121': [`${SUB}/cac:TaxCategory/cbc:TaxExemptionReasonCode`, 'VAT exemption reason code', 'codul motivului scutirii de TVA'],
  'BT-122': ['cac:AdditionalDocumentReference/cbc:ID', 'Supporting document reference', 'referința documentului justificativ'],
  'BT-123': ['cac:AdditionalDocumentReference/cbc:DocumentDescription', 'Supporting document description', 'descrierea documentului justificativ'],
  'BT-124': ['cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:URI', 'External document location', 'adresa externă a documentului'],
  'BT-125': ['cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject', 'Attached document', 'documentul atașat'],
  'BT-126': ['cac:InvoiceLine/cbc:ID', 'Invoice line identifier', 'identificatorul liniei de factură'],
  'BT-127': ['cac:InvoiceLine/cbc:Note', 'Invoice line note', 'nota liniei de factură'],
  'BT-128': ['cac:InvoiceLine/cac:DocumentReference/cbc:ID', 'Invoice line object identifier', 'identificatorul obiectului liniei de factură'],
  'BT-129': ['cac:InvoiceLine/cbc:InvoicedQuantity', 'Invoiced quantity', 'cantitatea facturată'],
  'BT-130': ['cac:InvoiceLine/cbc:InvoicedQuantity/@unitCode', 'Invoiced quantity unit of measure code', 'codul unității de măsură a cantității facturate'],
  'BT-131': ['cac:InvoiceLine/cbc:LineExtensionAmount', 'Invoice line net amount', 'valoarea netă a liniei de factură'],
  'BT-132': ['cac:InvoiceLine/cac:OrderLineReference/cbc:LineID', 'Referenced purchase order line reference', 'referința liniei din comandă'],
  'BT-133': ['cac:InvoiceLine/cbc:AccountingCost', 'Invoice line Buyer accounting reference', 'referința contabilă a cumpărătorului din linia de factură'],
  'BT-134': ['cac:InvoiceLine/cac:InvoicePeriod/cbc:StartDate', 'Invoice line period start date', 'data de început a perioadei liniei de factură'],
  'BT-135': ['cac:InvoiceLine/cac:InvoicePeriod/cbc:EndDate', 'Invoice line period end date', 'data de sfârșit a perioadei liniei de factură'],
  'BT-136': [`${LAL}/cbc:Amount`, 'Invoice line allowance amount', 'valoarea deducerii la nivelul liniei'],
  'BT-137': [`${LAL}/cbc:BaseAmount`, 'Invoice line allowance base amount', 'valoarea de bază a deducerii la nivelul liniei'],
  'BT-139': [`${LAL}/cbc:AllowanceChargeReason`, 'Invoice line allowance reason', 'motivul deducerii la nivelul liniei'],
  'BT-140': [`${LAL}/cbc:AllowanceChargeReasonCode`, 'Invoice line allowance reason code', 'codul motivului deducerii la nivelul liniei'],
  'BT-141': [`${LCH}/cbc:Amount`, 'Invoice line charge amount', 'valoarea majorării la nivelul liniei'],
  'BT-142': [`${LCH}/cbc:BaseAmount`, 'Invoice line charge base amount', 'valoarea de bază a majorării la nivelul liniei'],
  'BT-144': [`${LCH}/cbc:AllowanceChargeReason`, 'Invoice line charge reason', 'motivul majorării la nivelul liniei'],
  'BT-145': [`${LCH}/cbc:AllowanceChargeReasonCode`, 'Invoice line charge reason code', 'codul motivului majorării la nivelul liniei'],
  'BT-146': ['cac:InvoiceLine/cac:Price/cbc:PriceAmount', 'Item net price', 'prețul net al articolului'],
  'BT-147': ['cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:Amount', 'Item price discount', 'reducerea de preț a articolului'],
  'BT-148': ['cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:BaseAmount', 'Item gross price', 'prețul brut al articolului'],
  'BT-151': [`${ITEM}/cac:ClassifiedTaxCategory/cbc:ID`, 'Invoiced item VAT category code', 'codul categoriei de TVA a articolului facturat'],
  'BT-152': [`${ITEM}/cac:ClassifiedTaxCategory/cbc:Percent`, 'Invoiced item VAT rate', 'cota TVA a articolului facturat'],
  'BT-153': [`${ITEM}/cbc:Name`, 'Item name', 'numele articolului'],
  'BT-154': [`${ITEM}/cbc:Description`, 'Item description', 'descrierea articolului'],
  'BT-157': [`${ITEM}/cac:StandardItemIdentification/cbc:ID`, 'Item standard identifier', 'identificatorul standard al articolului'],
  'BT-158': [`${ITEM}/cac:CommodityClassification/cbc:ItemClassificationCode`, 'Item classification identifier', 'identificatorul de clasificare a articolului'],
  'BT-159': [`${ITEM}/cac:OriginCountry/cbc:IdentificationCode`, 'Item country of origin', 'țara de origine a articolului'],
  'BT-160': [`${ITEM}/cac:AdditionalItemProperty/cbc:Name`, 'Item attribute name', 'numele atributului articolului'],
  'BT-161': [`${ITEM}/cac:AdditionalItemProperty/cbc:Value`, 'Item attribute value', 'valoarea atributului articolului'],
  'BT-162': [`${SUP}/cac:PostalAddress/cac:AddressLine/cbc:Line`, 'Seller address line 3', 'linia 3 a adresei vânzătorului'],
  'BT-163': [`${CUS}/cac:PostalAddress/cac:AddressLine/cbc:Line`, 'Buyer address line 3', 'linia 3 a adresei cumpărătorului'],
  'BT-164': [`${REP}/cac:PostalAddress/cac:AddressLine/cbc:Line`, 'Tax representative address line 3', 'linia 3 a adresei reprezentantului fiscal'],
  'BT-165': [`${DEL}/cac:AddressLine/cbc:Line`, 'Deliver to address line 3', 'linia 3 a adresei de livrare'],
  'BG-1': ['cbc:Note', 'Invoice note', 'nota facturii'],
  'BG-3': ['cac:BillingReference', 'Preceding Invoice reference', 'referința la o factură anterioară'],
  'BG-4': ['cac:AccountingSupplierParty', 'Seller', 'vânzătorul'],
  'BG-5': [`${SUP}/cac:PostalAddress`, 'Seller postal address', 'adresa poștală a vânzătorului'],
  'BG-7': ['cac:AccountingCustomerParty', 'Buyer', 'cumpărătorul'],
  'BG-8': [`${CUS}/cac:PostalAddress`, 'Buyer postal address', 'adresa poștală a cumpărătorului'],
  'BG-10': ['cac:PayeeParty', 'Payee', 'beneficiarul plății'],
  'BG-11': [REP, 'Seller tax representative party', 'reprezentantul fiscal al vânzătorului'],
  'BG-12': [`${REP}/cac:PostalAddress`, 'Seller tax representative postal address', 'adresa poștală a reprezentantului fiscal'],
  'BG-13': ['cac:Delivery', 'Delivery information', 'informațiile despre livrare'],
  'BG-14': ['cac:InvoicePeriod', 'Invoicing period', 'perioada de facturare'],
  'BG-15': [DEL, 'Deliver to address', 'adresa de livrare'],
  'BG-16': [PAY, 'Payment instructions', 'instrucțiunile de plată'],
  'BG-17': [`${PAY}/cac:PayeeFinancialAccount`, 'Credit transfer', 'viramentul (contul beneficiarului)'],
  'BG-18': [`${PAY}/cac:CardAccount`, 'Payment card information', 'cardul de plată'],
  'BG-19': [`${PAY}/cac:PaymentMandate`, 'Direct debit', 'debitarea directă'],
  'BG-20': [DAL, 'Document level allowance', 'deducerea la nivelul documentului'],
  'BG-21': [DCH, 'Document level charge', 'majorarea la nivelul documentului'],
  'BG-22': [TOT, 'Document totals', 'totalurile documentului'],
  'BG-23': [SUB, 'VAT breakdown', 'detalierea TVA'],
  'BG-24': ['cac:AdditionalDocumentReference', 'Additional supporting documents', 'documentele justificative suplimentare'],
  'BG-25': ['cac:InvoiceLine', 'Invoice line', 'linia de factură'],
  'BG-26': ['cac:InvoiceLine/cac:InvoicePeriod', 'Invoice line period', 'perioada liniei de factură'],
  'BG-27': [LAL, 'Invoice line allowances', 'deducerile la nivelul liniei'],
  'BG-28': [LCH, 'Invoice line charges', 'majorările la nivelul liniei'],
  'BG-32': [`${ITEM}/cac:AdditionalItemProperty`, 'Item attributes', 'atributele articolului'],
};

const TERM_RE = /\{(B[TG]-\d+)\}/g;

/** `BT-31, <UBL path>` for use inside parentheses of a text. @throws Error for an id missing from {@link BUSINESS_TERMS}. */
export function ref(id: string): string {
  const t = BUSINESS_TERMS[id];
  if (!t) throw new Error(`rule-texts: unknown business term ${id}`);
  return `${id}, ${t[0]}`;
}

/** EN 16931 name of a business term / group (`Seller VAT identifier`). @throws Error for an unknown id. */
export function enName(id: string): string {
  const t = BUSINESS_TERMS[id];
  if (!t) throw new Error(`rule-texts: unknown business term ${id}`);
  return t[1];
}

/** Romanian articulated name of a business term / group (`codul de TVA al vânzătorului`). @throws Error for an unknown id. */
export function roName(id: string): string {
  const t = BUSINESS_TERMS[id];
  if (!t) throw new Error(`rule-texts: unknown business term ${id}`);
  return t[2];
}

/** Replaces every `{BT-n}` / `{BG-n}` placeholder of `s` by {@link ref} of that id. */
export function fill(s: string): string {
  return s.replace(TERM_RE, (_, id: string) => ref(id));
}

/** The BT/BG ids of the `{BT-n}` / `{BG-n}` placeholders of `s`, in order of first appearance. */
export function placeholderTerms(s: string): string[] {
  return [...new Set([...s.matchAll(TERM_RE)].map((m) => m[1]!))];
}

/** Upper-cases the first character (Romanian names are stored lower-case, for use inside a sentence). */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A {@link RuleText} from texts with `{BT-n}` placeholders: in `en`/`ro` they become `BT-n, <UBL path>`,
 * in `meaning` just `BT-n`. `terms` defaults to the placeholders of `en`, then `ro`, then `meaning`.
 * @throws Error when a placeholder names a term missing from {@link BUSINESS_TERMS}.
 */
export function text(en: string, ro: string, meaning: string, terms?: readonly string[]): RuleText {
  return {
    terms: terms ?? [...new Set([...placeholderTerms(en), ...placeholderTerms(ro), ...placeholderTerms(meaning)])],
    en: fill(en),
    ro: fill(ro),
    meaning: meaning.replace(TERM_RE, (_, id: string) => (ref(id) && id)),
  };
}

/** `n de caractere` / `n caractere` (Romanian numerals from 20 up, and round hundreds, take `de`). */
export function roCount(n: number, noun: string): string {
  const lastTwo = n % 100;
  return lastTwo === 0 && n > 0 ? `${n} de ${noun}` : lastTwo >= 20 ? `${n} de ${noun}` : `${n} ${noun}`;
}
