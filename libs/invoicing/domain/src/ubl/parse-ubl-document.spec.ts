import { describe, expect, it } from 'vitest';
import { parseUblDocument, parseXmlDocument, toParsedUblDocument } from './parse-ubl-document.js';
import { UblParseError } from './ubl-parse-error.js';
import { attr, child, childAt, children, childrenAt, text } from './ubl-dom.js';
import { NS_CAC, NS_CBC, NS_CREDIT_NOTE, NS_INVOICE } from './ubl-namespaces.js';

const inv = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="${NS_INVOICE}" xmlns:cbc="${NS_CBC}" xmlns:cac="${NS_CAC}">
  <cbc:CustomizationID> urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1 </cbc:CustomizationID>
  <cbc:ID>INV-1</cbc:ID>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount currencyID="RON">10.00</cbc:LineExtensionAmount></cac:InvoiceLine>
  <cac:InvoiceLine><cbc:ID>2</cbc:ID><cac:Item><cbc:Name>x</cbc:Name></cac:Item></cac:InvoiceLine>
</Invoice>`;

function codeOf(xml: string | Buffer): string | undefined {
  try {
    parseUblDocument(xml);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(UblParseError);
    return (e as UblParseError).code;
  }
}

describe('parseUblDocument', () => {
  it('parses an Invoice from a string and a Buffer with BOM', () => {
    const p = parseUblDocument(inv);
    expect(p.root).toBe('Invoice');
    expect(p.customizationId).toBe('urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1');
    const b = parseUblDocument(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(inv)]));
    expect(b.root).toBe('Invoice');
  });

  it('parses a CreditNote without CustomizationID', () => {
    const p = parseUblDocument(`<CreditNote xmlns="${NS_CREDIT_NOTE}"/>`);
    expect(p.root).toBe('CreditNote');
    expect(p.customizationId).toBeUndefined();
  });

  it.each([
    ['<Invoice', 'UBL_MALFORMED'],
    ['<a b=c/>', 'UBL_MALFORMED'],
    ['<a></b>', 'UBL_MALFORMED'],
    ['', 'UBL_MALFORMED'],
    ['<a>&nope;</a>', 'UBL_MALFORMED'],
    [`<Invoice xmlns="urn:other"/>`, 'UBL_UNKNOWN_ROOT'],
    [`<Invoice/>`, 'UBL_UNKNOWN_ROOT'],
    [`<CreditNote xmlns="${NS_INVOICE}"/>`, 'UBL_UNKNOWN_ROOT'],
  ])('rejects %j with %s', (xml, code) => {
    expect(codeOf(xml)).toBe(code);
  });

  it('helpers read children, paths, text and attributes', () => {
    const root = parseUblDocument(inv).document.documentElement;
    expect(text(root, 'cbc:ID')).toBe('INV-1');
    expect(children(root, 'cac:InvoiceLine')).toHaveLength(2);
    expect(child(root, 'cac:Nope')).toBeUndefined();
    expect(text(root, 'cbc:Nope')).toBeUndefined();
    expect(childrenAt(root, 'cac:InvoiceLine/cbc:ID').map((e) => e.textContent)).toEqual(['1', '2']);
    expect(attr(childAt(root, 'cac:InvoiceLine/cbc:LineExtensionAmount'), 'currencyID')).toBe('RON');
    expect(text(root, 'cac:InvoiceLine/cac:Item/cbc:Name')).toBeUndefined(); // first line has no Item
  });
});

describe('toParsedUblDocument', () => {
  it('views an already parsed Invoice/CreditNote as UBL (same DOM, no second parse)', () => {
    const doc = parseXmlDocument(`<CreditNote xmlns="${NS_CREDIT_NOTE}" xmlns:cbc="${NS_CBC}"><cbc:CustomizationID> x </cbc:CustomizationID></CreditNote>`);
    const parsed = toParsedUblDocument(doc);
    expect(parsed.document).toBe(doc);
    expect(parsed).toMatchObject({ root: 'CreditNote', customizationId: 'x' });
  });
  it('refuses other roots with UBL_UNKNOWN_ROOT', () => {
    const doc = parseXmlDocument(`<Invoice xmlns="${NS_CREDIT_NOTE}"/>`);
    expect(() => toParsedUblDocument(doc)).toThrow(expect.objectContaining({ code: 'UBL_UNKNOWN_ROOT' }));
    expect(() => toParsedUblDocument(doc)).toThrow(UblParseError);
  });
});
