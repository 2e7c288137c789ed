/**
 * UBL 2.1 element names the code-list rules need to find nodes by name, since they read the document
 * only through the ubl-dom / ValidationContext helpers (no generic tree walk): the elements that carry
 * `@currencyID` and `@unitCode` (for the Schematron contexts `//@currencyID`, `//@unitCode`), and the
 * aggregates through which a `cac:PartyIdentification` can sit under a party (for `ancestor::` tests).
 *
 * Source: the OASIS UBL 2.1 schemas (UBL-CommonBasicComponents-2.1.xsd, UBL-CommonAggregateComponents-2.1.xsd,
 * UBL 2.1 CS1), read as the specification: every `cbc` element whose type extends `udt:AmountType`
 * (`currencyID`), `udt:QuantityType` or `udt:MeasureType` (`unitCode`), and the closure of the
 * `cac` children of SupplierPartyType/PartyType whose content can contain a PartyIdentification.
 * Elements outside UBL 2.1 (e.g. foreign XML inside `ext:ExtensionContent`) are not covered.
 */

/** The 68 UBL 2.1 `cbc` elements of type `udt:AmountType` (attribute `currencyID`, ISO 4217). */
export const UBL_AMOUNT_ELEMENTS: readonly string[] = [
  'AdvertisementAmount', 'AllowanceTotalAmount', 'Amount', 'AnnualAverageAmount', 'AverageAmount',
  'AverageSubsequentContractAmount', 'BalanceAmount', 'BaseAmount', 'CallBaseAmount',
  'CallExtensionAmount', 'ChargeTotalAmount', 'CorporateStockAmount', 'CorrectionAmount',
  'CorrectionUnitAmount', 'CreditLineAmount', 'DebitLineAmount', 'DeclaredCarriageValueAmount',
  'DeclaredCustomsValueAmount', 'DeclaredForCarriageValueAmount', 'DeclaredStatisticsValueAmount',
  'DocumentationFeeAmount', 'EstimatedAmount', 'EstimatedOverallContractAmount', 'FaceValueAmount',
  'FeeAmount', 'FreeOnBoardValueAmount', 'HigherTenderAmount', 'InsurancePremiumAmount',
  'InsuranceValueAmount', 'InventoryValueAmount', 'LiabilityAmount', 'LineExtensionAmount',
  'LowerTenderAmount', 'MarketValueAmount', 'MaximumAdvertisementAmount', 'MaximumAmount',
  'MaximumPaidAmount', 'MinimumAmount', 'PaidAmount', 'PartyCapacityAmount', 'PayableAlternativeAmount',
  'PayableAmount', 'PayableRoundingAmount', 'PenaltyAmount', 'PerUnitAmount', 'PrepaidAmount',
  'PriceAmount', 'RequiredFeeAmount', 'RoundingAmount', 'SettlementDiscountAmount', 'TaxAmount',
  'TaxEnergyAmount', 'TaxEnergyBalanceAmount', 'TaxEnergyOnAccountAmount', 'TaxExclusiveAmount',
  'TaxInclusiveAmount', 'TaxableAmount', 'ThresholdAmount', 'TotalAmount', 'TotalBalanceAmount',
  'TotalCreditAmount', 'TotalDebitAmount', 'TotalInvoiceAmount', 'TotalPaymentAmount', 'TotalTaskAmount',
  'TotalTaxAmount', 'TransactionCurrencyTaxAmount', 'ValueAmount',
];

/** The 91 UBL 2.1 `cbc` elements of type `udt:QuantityType` and `udt:MeasureType` (attribute `unitCode`, UN/ECE Rec 20). */
export const UBL_QUANTITY_MEASURE_ELEMENTS: readonly string[] = [
  'ActualTemperatureReductionQuantity', 'AltitudeMeasure', 'BackorderQuantity', 'BaseQuantity',
  'BaseUnitMeasure', 'BasicConsumedQuantity', 'BatchQuantity', 'ChargeableQuantity',
  'ChargeableWeightMeasure', 'ChildConsignmentQuantity', 'ComparedValueMeasure', 'ConsignmentQuantity',
  'ConsumerUnitQuantity', 'ConsumptionEnergyQuantity', 'ConsumptionWaterQuantity', 'ContentUnitQuantity',
  'CreditedQuantity', 'CrewQuantity', 'CustomsTariffQuantity', 'DebitedQuantity', 'DeliveredQuantity',
  'DifferenceTemperatureReductionQuantity', 'DurationMeasure', 'EmployeeQuantity',
  'EstimatedConsumedQuantity', 'EstimatedOverallContractQuantity', 'ExpectedOperatorQuantity',
  'ExpectedQuantity', 'GasPressureQuantity', 'GrossTonnageMeasure', 'GrossVolumeMeasure',
  'GrossWeightMeasure', 'InvoicedQuantity', 'LatestMeterQuantity', 'LatitudeDegreesMeasure',
  'LatitudeMinutesMeasure', 'LeadTimeMeasure', 'LoadingLengthMeasure', 'LongitudeDegreesMeasure',
  'LongitudeMinutesMeasure', 'MaximumBackorderQuantity', 'MaximumMeasure', 'MaximumOperatorQuantity',
  'MaximumOrderQuantity', 'MaximumQuantity', 'MaximumVariantQuantity', 'Measure',
  'MinimumBackorderQuantity', 'MinimumInventoryQuantity', 'MinimumMeasure', 'MinimumOrderQuantity',
  'MinimumQuantity', 'MultipleOrderQuantity', 'NetNetWeightMeasure', 'NetTonnageMeasure',
  'NetVolumeMeasure', 'NetWeightMeasure', 'NormalTemperatureReductionQuantity', 'OperatingYearsQuantity',
  'OutstandingQuantity', 'OversupplyQuantity', 'PackQuantity', 'PassengerQuantity',
  'PerformanceValueQuantity', 'PostEventNotificationDurationMeasure',
  'PreEventNotificationDurationMeasure', 'PreviousMeterQuantity', 'Quantity',
  'ReceivedElectronicTenderQuantity', 'ReceivedForeignTenderQuantity', 'ReceivedQuantity',
  'ReceivedTenderQuantity', 'RejectedQuantity', 'ReturnableQuantity', 'SharesNumberQuantity',
  'ShortQuantity', 'SourceValueMeasure', 'TareWeightMeasure', 'TargetInventoryQuantity',
  'ThresholdQuantity', 'TimeDeltaDaysQuantity', 'TotalConsumedQuantity', 'TotalDeliveredQuantity',
  'TotalGoodsItemQuantity', 'TotalMeteredQuantity', 'TotalPackageQuantity', 'TotalPackagesQuantity',
  'TotalTransportHandlingUnitQuantity', 'ValueMeasure', 'ValueQuantity', 'VarianceQuantity',
];

/**
 * UBL 2.1 `cac` aggregates through which a `cac:PartyIdentification` can be nested below a
 * `cac:AccountingSupplierParty` or `cac:PayeeParty` (the party itself, agent/service-provider/notary
 * parties, power of attorney, legal entity head office and shareholders, persons' identity documents...).
 */
export const UBL_PARTY_NESTING_ELEMENTS: readonly string[] = [
  'AgentParty', 'HeadOfficeParty', 'IdentityDocumentReference', 'IssuerParty', 'MandateDocumentReference',
  'NotaryParty', 'Party', 'PartyLegalEntity', 'Person', 'PowerOfAttorney', 'ResultOfVerification',
  'ServiceProviderParty', 'ShareholderParty', 'SignatoryParty', 'WitnessParty',
];
