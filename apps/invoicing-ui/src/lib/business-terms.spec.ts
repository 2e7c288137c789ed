import { describe, expect, it } from 'vitest';
import { fieldsOfMessage } from './business-terms.js';

describe('fieldsOfMessage', () => {
  it('names the fields of the business terms a message cites, each once, in order', () => {
    expect(fieldsOfMessage('The Buyer legal registration identifier (BT-47) and/or the Buyer VAT identifier (BT-48) must be provided. BT-48!', 'ro')).toEqual([
      { term: 'BT-47', label: 'Nr. Registrul Comerțului cumpărător' },
      { term: 'BT-48', label: 'CIF cumpărător' },
    ]);
    expect(fieldsOfMessage('Invoice number (BT-1) must include at least one numeric character (0-9).', 'en')).toEqual([{ term: 'BT-1', label: 'Invoice number' }]);
  });

  it('keeps unknown terms and groups as they are, and finds none in other text', () => {
    expect(fieldsOfMessage('see BG-25 and BT-999', 'ro')).toEqual([
      { term: 'BG-25', label: 'BG-25' },
      { term: 'BT-999', label: 'BT-999' },
    ]);
    expect(fieldsOfMessage('[BR-RO-999] numarul facturii nu este acceptat; ABT-1X', 'ro')).toEqual([]);
  });
});
