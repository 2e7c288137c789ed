import { describe, expect, it } from 'vitest';
import { hasCompanySuffix } from './parties.js';

describe('hasCompanySuffix', () => {
  it('recognises Romanian legal forms, dotted or not', () => {
    for (const k of ['alfa construct s.r.l.', 'alfa srl', 'beta s.a.', 'beta sa', 'ion popescu pfa', 'maria ionescu i.i.', 'gama srl-d', 'acme gmbh']) {
      expect(hasCompanySuffix(k), k).toBe(true);
    }
  });
  it('does not see one inside words', () => {
    for (const k of ['salariu', 'casa verde', 'strada pfanstiel', 'iasi', 'sacii']) expect(hasCompanySuffix(k), k).toBe(false);
  });
});
