import { describe, expect, it } from 'vitest';
import { buildCiusRoUbl } from './build-ubl.js';
import { buyerIdentifiersOfUbl, isB2cBuyer, isB2cUbl } from './b2c.js';
import { DEMO_INVOICE_DOCUMENT } from './demo-invoice.js';
import { parseUblDocument } from '../ubl/index.js';

const person = (legalRegistrationId: string | undefined) => ({
  ...DEMO_INVOICE_DOCUMENT,
  buyer: { name: 'Ion Popescu', legalRegistrationId, address: DEMO_INVOICE_DOCUMENT.buyer.address },
});

describe('isB2cBuyer (uploadb2c: a buyer without a CUI)', () => {
  it('is a person: no BT-48 and a CNP or thirteen zeros', () => {
    expect(isB2cBuyer({ legalRegistrationId: '1850101223344' })).toBe(true);
    expect(isB2cBuyer({ legalRegistrationId: '0000000000000' })).toBe(true);
    expect(isB2cBuyer({ legalRegistrationId: ' 2900202123456 ' })).toBe(true);
    expect(isB2cBuyer({ identifier: '0000000000000' })).toBe(true); // BT-46 when BT-47 is absent
  });

  it('is not: a VAT id, a CUI, a registry number, or no identifier at all', () => {
    expect(isB2cBuyer({ vatIdentifier: 'RO35246718', legalRegistrationId: '1850101223344' })).toBe(false);
    expect(isB2cBuyer({ legalRegistrationId: '35246718' })).toBe(false); // CUI, ≤ 10 digits
    expect(isB2cBuyer({ legalRegistrationId: 'J12/3456/2015' })).toBe(false);
    expect(isB2cBuyer({ legalRegistrationId: '18501012233445' })).toBe(false); // 14 digits
    expect(isB2cBuyer({})).toBe(false);
  });
});

describe('isB2cUbl (the buyer of a UBL document)', () => {
  it('reads BT-48, BT-47 from the XML the builder writes', () => {
    expect(isB2cUbl(parseUblDocument(buildCiusRoUbl(person('1850101223344'))))).toBe(true);
    expect(isB2cUbl(parseUblDocument(buildCiusRoUbl(person('0000000000000'))))).toBe(true);
    expect(isB2cUbl(parseUblDocument(buildCiusRoUbl(DEMO_INVOICE_DOCUMENT)))).toBe(false);
    expect(buyerIdentifiersOfUbl(parseUblDocument(buildCiusRoUbl(DEMO_INVOICE_DOCUMENT)))).toEqual({
      vatIdentifier: 'RO35246718',
      legalRegistrationId: 'J12/3456/2015',
      identifier: null,
    });
  });

  it('reads BT-46 (PartyIdentification) of an imported document', () => {
    const xml = buildCiusRoUbl(person(undefined)).replace(
      '<cac:AccountingCustomerParty><cac:Party>',
      '<cac:AccountingCustomerParty><cac:Party><cac:PartyIdentification><cbc:ID>0000000000000</cbc:ID></cac:PartyIdentification>',
    );
    expect(xml).toContain('<cac:PartyIdentification>');
    expect(isB2cUbl(parseUblDocument(xml))).toBe(true);
  });
});
