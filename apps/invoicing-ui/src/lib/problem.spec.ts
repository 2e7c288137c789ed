import { describe, expect, it } from 'vitest';
import { findingsFromProblem } from './problem.js';
import { filenameOf } from './api.js';

describe('problem+json', () => {
  it('maps VALIDATION_FAILED errors to editor fields with their rule ids', () => {
    const f = findingsFromProblem({
      title: 'Validation failed', status: 400, code: 'VALIDATION_FAILED',
      errors: [
        { path: 'number', message: 'the invoice number must contain at least one digit (CIUS-RO BR-RO-010)' },
        { path: 'lines.1.priceAmount', message: 'price must match ...' },
        { path: '', message: 'whole body' },
      ],
    });
    expect(f).toEqual([
      { path: 'number', field: 'number', ruleId: 'BR-RO-010', message: 'the invoice number must contain at least one digit (CIUS-RO BR-RO-010)' },
      { path: 'lines.1.priceAmount', field: 'lines.1.priceAmount', ruleId: null, message: 'price must match ...' },
      { path: '', field: '', ruleId: null, message: 'whole body' },
    ]);
    expect(findingsFromProblem({ title: 'x', status: 409, code: 'INVOICE_STATE_CONFLICT' })).toEqual([]);
  });

  it('takes the download name from content-disposition', () => {
    expect(filenameOf('attachment; filename="abc-v1.xml"', 'x.xml')).toBe('abc-v1.xml');
    expect(filenameOf(null, 'x.xml')).toBe('x.xml');
  });
});
