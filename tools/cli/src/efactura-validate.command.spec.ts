import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { describe, expect, it } from 'vitest';
import { formatVerdict, verdictOf } from './efactura-validate.command.js';

describe('verdictOf / formatVerdict', () => {
  it('a built CIUS-RO invoice is valid and prints one VALID line', () => {
    const v = verdictOf('demo.xml', buildCiusRoUbl(DEMO_INVOICE_DOCUMENT));
    expect(v).toMatchObject({ file: 'demo.xml', valid: true, documentType: 'Invoice', fatal: [] });
    expect(formatVerdict(v)).toEqual(['VALID       demo.xml (Invoice)']);
  });

  it('malformed XML → fatal UBL_MALFORMED; a foreign root → UBL_UNKNOWN_ROOT (no throw)', () => {
    expect(verdictOf('a.xml', '<Invoice><oops></Invoice>')).toMatchObject({ valid: false, documentType: null, fatal: ['UBL_MALFORMED'] });
    expect(verdictOf('b.xml', '<Order xmlns="urn:x"/>')).toMatchObject({ valid: false, fatal: ['UBL_UNKNOWN_ROOT'] });
  });

  it('readable form lists each distinct fatal message once, never warnings', () => {
    const v = {
      file: 'x.xml',
      valid: false,
      documentType: 'Invoice' as const,
      fatal: ['BR-01'],
      warnings: ['W-1'],
      messages: [
        { ruleId: 'BR-01', flag: 'fatal' as const, message: '[BR-01]-m', path: '/Invoice' },
        { ruleId: 'BR-01', flag: 'fatal' as const, message: '[BR-01]-m', path: '/Invoice' },
        { ruleId: 'W-1', flag: 'warning' as const, message: '[W-1]-w' },
      ],
    };
    expect(formatVerdict(v)).toEqual(['INVALID     x.xml (Invoice)  fatal: BR-01  warnings: W-1', '    [BR-01]-m  (at /Invoice)']);
  });
});
