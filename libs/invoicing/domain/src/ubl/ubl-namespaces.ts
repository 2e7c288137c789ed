/** UBL 2.1 CommonBasicComponents namespace (prefix `cbc`). Source: OASIS UBL 2.1. */
export const NS_CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
/** UBL 2.1 CommonAggregateComponents namespace (prefix `cac`). Source: OASIS UBL 2.1. */
export const NS_CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
/** UBL 2.1 CommonExtensionComponents namespace (prefix `ext`). Source: OASIS UBL 2.1. */
export const NS_EXT = 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2';
/** UBL 2.1 Invoice document namespace. Source: OASIS UBL 2.1 (Invoice-2). */
export const NS_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
/** UBL 2.1 CreditNote document namespace. Source: OASIS UBL 2.1 (CreditNote-2). */
export const NS_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';

/** Prefix -> namespace URI map used by the qualified-name helpers (`cbc:ID`, `cac:Party`, ...). */
export const UBL_PREFIXES: Readonly<Record<string, string>> = Object.freeze({
  cbc: NS_CBC,
  cac: NS_CAC,
  ext: NS_EXT,
  ubl: NS_INVOICE,
  cn: NS_CREDIT_NOTE,
});
