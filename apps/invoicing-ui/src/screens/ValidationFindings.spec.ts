import { describe, expect, it } from 'vitest';
import { findingPosition, findingText, type FindingRow } from './ValidationFindings.js';

describe('findingText / findingPosition', () => {
  const local: FindingRow = {
    ruleId: 'BR-RO-010',
    flag: 'fatal',
    message: '[BR-RO-010]-spec text',
    ro: 'Numărul facturii (BT-1) trebuie să conțină o cifră.',
    en: 'The invoice number (BT-1) must contain a digit.',
    line: 7,
    column: 3,
  };
  const anaf: FindingRow = { ruleId: 'BR-RO-010', flag: 'fatal', message: 'E: numarul facturii nu este acceptat' };

  it("a local finding shows its text in the user's language; ANAF's message (no ro/en) as it came", () => {
    expect(findingText(local, 'ro')).toBe(local.ro);
    expect(findingText(local, 'en')).toBe(local.en);
    expect(findingText(anaf, 'ro')).toBe(anaf.message);
    expect(findingText({ ...local, en: '' }, 'en')).toBe(local.message);
  });

  it('line:column when known, the line alone without a column, a dash without a line', () => {
    expect(findingPosition(local)).toBe('7:3');
    expect(findingPosition({ ...local, column: undefined })).toBe('7');
    expect(findingPosition(anaf)).toBe('—');
  });
});
