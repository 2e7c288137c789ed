/**
 * UBL 2.1 / CIUS-RO builder: turns an `InvoiceDocument` into the XML uploaded to ANAF e-Factura.
 */
import type { InvoiceDocument, Party, PostalAddress } from '@cetate/invoicing-contracts';
import { NS_CAC, NS_CBC, NS_CREDIT_NOTE, NS_INVOICE } from '../ubl/ubl-namespaces.js';
import { RO_CIUS_ID } from '../validation/rules/cius-ro.rules.js';
import { computeTotals, type InvoiceTotals, type VatBreakdownEntry } from './totals.js';
import { leaf, node, type XmlFragment } from './xml-writer.js';

const ROOT_NAMESPACE = { Invoice: NS_INVOICE, CreditNote: NS_CREDIT_NOTE } as const;

const VAT = () => node('cac:TaxScheme', [leaf('cbc:ID', 'VAT')]);

function address(a: PostalAddress, elementName: string): string | undefined {
  // UBL AddressType order: StreetName, AdditionalStreetName, CityName, PostalZone, CountrySubentity, Country.
  return node(elementName, [
    leaf('cbc:StreetName', a.street),
    leaf('cbc:AdditionalStreetName', a.additionalStreet),
    leaf('cbc:CityName', a.city),
    leaf('cbc:PostalZone', a.postalCode),
    leaf('cbc:CountrySubentity', a.countrySubdivision),
    node('cac:Country', [leaf('cbc:IdentificationCode', a.countryCode)]),
  ]);
}

function party(p: Party): string | undefined {
  // UBL PartyType order: PartyName, PostalAddress, PartyTaxScheme*, PartyLegalEntity, Contact.
  return node('cac:Party', [
    p.tradingName !== undefined && node('cac:PartyName', [leaf('cbc:Name', p.tradingName)]),
    address(p.address, 'cac:PostalAddress'),
    p.vatIdentifier !== undefined && node('cac:PartyTaxScheme', [leaf('cbc:CompanyID', p.vatIdentifier), VAT()]),
    // BT-32: a tax scheme other than VAT (EN 16931 UBL binding).
    p.taxRegistrationId !== undefined &&
      node('cac:PartyTaxScheme', [leaf('cbc:CompanyID', p.taxRegistrationId), node('cac:TaxScheme', [leaf('cbc:ID', 'TAX')])]),
    node('cac:PartyLegalEntity', [leaf('cbc:RegistrationName', p.name), leaf('cbc:CompanyID', p.legalRegistrationId)]),
    p.contact &&
      node('cac:Contact', [
        leaf('cbc:Name', p.contact.name),
        leaf('cbc:Telephone', p.contact.telephone),
        leaf('cbc:ElectronicMail', p.contact.email),
      ]),
  ]);
}

function taxCategory(
  elementName: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory',
  category: string,
  rate: string | undefined | null,
  exemption?: Pick<VatBreakdownEntry, 'exemptionReason' | 'exemptionReasonCode'>,
): string | undefined {
  // TaxCategoryType order: ID, Percent, TaxExemptionReasonCode, TaxExemptionReason, TaxScheme.
  return node(elementName, [
    leaf('cbc:ID', category),
    leaf('cbc:Percent', rate ?? undefined),
    leaf('cbc:TaxExemptionReasonCode', exemption?.exemptionReasonCode),
    leaf('cbc:TaxExemptionReason', exemption?.exemptionReason),
    VAT(),
  ]);
}

function allowanceCharge(
  isCharge: boolean,
  a: { amount: string; reason?: string | undefined; reasonCode?: string | undefined },
  currency: string,
  category?: { vatCategory: string; vatRate?: string | undefined },
): string | undefined {
  // AllowanceChargeType order: ChargeIndicator, AllowanceChargeReasonCode, AllowanceChargeReason, Amount, TaxCategory.
  return node('cac:AllowanceCharge', [
    leaf('cbc:ChargeIndicator', isCharge ? 'true' : 'false'),
    leaf('cbc:AllowanceChargeReasonCode', a.reasonCode),
    leaf('cbc:AllowanceChargeReason', a.reason),
    leaf('cbc:Amount', a.amount, { currencyID: currency }),
    category && taxCategory('cac:TaxCategory', category.vatCategory, category.vatRate),
  ]);
}

/**
 * Builds the UBL 2.1 XML of an invoice document, ready for ANAF's `upload?standard=UBL` (Invoice)
 * or `standard=CN` (CreditNote).
 *
 * - Root `Invoice` (Invoice-2) or `CreditNote` (CreditNote-2) with `cac`/`cbc` prefixes, elements in
 *   the order of the UBL 2.1 XSD sequences; BT-24 = {@link RO_CIUS_ID} (BR-RO-001).
 * - All amounts come from {@link computeTotals} (2 decimals, half-up, BR-CO-10..17 hold exactly).
 * - BT-111 (VAT total in RON) is a second `cac:TaxTotal` with only `cbc:TaxAmount currencyID="RON"`
 *   when BT-6 is present (CIUS-RO BR-RO-030, EN 16931 BR-53).
 * - `CreditNote`: BT-9 goes to `PaymentMeans/PaymentDueDate` (CreditNote-2 has no `cbc:DueDate`),
 *   lines are `cac:CreditNoteLine` with `cbc:CreditedQuantity`.
 * - Text is XML-escaped; characters invalid in XML 1.0 are dropped.
 *
 * @param doc a document accepted by `InvoiceDocumentSchema` (not re-validated here)
 * @returns the XML text, UTF-8 declaration included
 */
export function buildCiusRoUbl(doc: InvoiceDocument): string {
  return buildCiusRoUblWithTotals(doc).xml;
}

/** Same as {@link buildCiusRoUbl}, also returning the totals written into the XML. */
export function buildCiusRoUblWithTotals(doc: InvoiceDocument): { xml: string; totals: InvoiceTotals } {
  const totals = computeTotals(doc);
  const cur = doc.currencyCode;
  const money = (name: string, value: string) => leaf(name, value, { currencyID: cur });
  const isCreditNote = doc.documentType === 'CreditNote';

  const paymentMeans =
    doc.paymentMeans &&
    node('cac:PaymentMeans', [
      leaf('cbc:PaymentMeansCode', doc.paymentMeans.code),
      isCreditNote ? leaf('cbc:PaymentDueDate', doc.dueDate) : undefined,
      leaf('cbc:PaymentID', doc.paymentMeans.paymentId),
      doc.paymentMeans.account !== undefined &&
        node('cac:PayeeFinancialAccount', [leaf('cbc:ID', doc.paymentMeans.account), leaf('cbc:Name', doc.paymentMeans.accountName)]),
    ]);

  const vatTaxTotal = node('cac:TaxTotal', [
    money('cbc:TaxAmount', totals.taxAmount),
    ...totals.vatBreakdown.map((v) =>
      node('cac:TaxSubtotal', [
        money('cbc:TaxableAmount', v.taxableAmount),
        money('cbc:TaxAmount', v.taxAmount),
        taxCategory('cac:TaxCategory', v.vatCategory, v.vatRate, v),
      ]),
    ),
  ]);
  const ronTaxTotal =
    totals.taxCurrencyCode !== null && totals.taxAmountInTaxCurrency !== null
      ? node('cac:TaxTotal', [leaf('cbc:TaxAmount', totals.taxAmountInTaxCurrency, { currencyID: totals.taxCurrencyCode })])
      : undefined;

  const hasAllowances = (doc.allowances?.length ?? 0) > 0;
  const hasCharges = (doc.charges?.length ?? 0) > 0;
  const monetaryTotal = node('cac:LegalMonetaryTotal', [
    money('cbc:LineExtensionAmount', totals.lineExtensionAmount),
    money('cbc:TaxExclusiveAmount', totals.taxExclusiveAmount),
    money('cbc:TaxInclusiveAmount', totals.taxInclusiveAmount),
    hasAllowances && money('cbc:AllowanceTotalAmount', totals.allowanceTotalAmount),
    hasCharges && money('cbc:ChargeTotalAmount', totals.chargeTotalAmount),
    doc.prepaidAmount !== undefined && money('cbc:PrepaidAmount', totals.prepaidAmount),
    money('cbc:PayableAmount', totals.payableAmount),
  ]);

  const lineName = isCreditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const quantityName = isCreditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  const lines = doc.lines.map((line, i) =>
    // InvoiceLine/CreditNoteLine order: ID, Note, Quantity, LineExtensionAmount, AllowanceCharge, Item, Price.
    node(lineName, [
      leaf('cbc:ID', line.id),
      leaf('cbc:Note', line.note),
      leaf(quantityName, line.quantity, { unitCode: line.unitCode }),
      money('cbc:LineExtensionAmount', totals.lines[i]!.netAmount),
      ...(line.allowances ?? []).map((a) => allowanceCharge(false, a, cur)),
      ...(line.charges ?? []).map((c) => allowanceCharge(true, c, cur)),
      // ItemType order: Description, Name, SellersItemIdentification, ClassifiedTaxCategory.
      node('cac:Item', [
        leaf('cbc:Description', line.itemDescription),
        leaf('cbc:Name', line.itemName),
        line.sellersItemId !== undefined && node('cac:SellersItemIdentification', [leaf('cbc:ID', line.sellersItemId)]),
        taxCategory('cac:ClassifiedTaxCategory', line.vatCategory, line.vatRate),
      ]),
      node('cac:Price', [money('cbc:PriceAmount', line.priceAmount)]),
    ]),
  );

  const rootName = doc.documentType;
  // Root sequence (Invoice-2 / CreditNote-2 XSD, elements used by this builder).
  const children: XmlFragment[] = [
    leaf('cbc:UBLVersionID', '2.1'),
    leaf('cbc:CustomizationID', RO_CIUS_ID),
    leaf('cbc:ID', doc.number),
    leaf('cbc:IssueDate', doc.issueDate),
    isCreditNote ? undefined : leaf('cbc:DueDate', doc.dueDate),
    leaf(isCreditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', doc.typeCode),
    ...(doc.notes ?? []).map((n) => leaf('cbc:Note', n)),
    leaf('cbc:DocumentCurrencyCode', cur),
    leaf('cbc:TaxCurrencyCode', doc.taxCurrencyCode),
    leaf('cbc:BuyerReference', doc.buyerReference),
    doc.invoicePeriod && node('cac:InvoicePeriod', [leaf('cbc:StartDate', doc.invoicePeriod.startDate), leaf('cbc:EndDate', doc.invoicePeriod.endDate)]),
    doc.orderReference !== undefined && node('cac:OrderReference', [leaf('cbc:ID', doc.orderReference)]),
    doc.precedingInvoice &&
      node('cac:BillingReference', [
        node('cac:InvoiceDocumentReference', [leaf('cbc:ID', doc.precedingInvoice.number), leaf('cbc:IssueDate', doc.precedingInvoice.issueDate)]),
      ]),
    node('cac:AccountingSupplierParty', [party(doc.seller)]),
    node('cac:AccountingCustomerParty', [party(doc.buyer)]),
    doc.delivery &&
      node('cac:Delivery', [
        leaf('cbc:ActualDeliveryDate', doc.delivery.actualDeliveryDate),
        doc.delivery.address && node('cac:DeliveryLocation', [address(doc.delivery.address, 'cac:Address')]),
      ]),
    paymentMeans,
    doc.paymentTerms !== undefined && node('cac:PaymentTerms', [leaf('cbc:Note', doc.paymentTerms)]),
    ...(doc.allowances ?? []).map((a) => allowanceCharge(false, a, cur, a)),
    ...(doc.charges ?? []).map((c) => allowanceCharge(true, c, cur, c)),
    vatTaxTotal,
    ronTaxTotal,
    monetaryTotal,
    ...lines,
  ];
  const body = children.filter((c): c is string => typeof c === 'string').join('\n  ');
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${rootName} xmlns="${ROOT_NAMESPACE[rootName]}" xmlns:cac="${NS_CAC}" xmlns:cbc="${NS_CBC}">\n  ` +
    body +
    `\n</${rootName}>\n`;
  return { xml, totals };
}
