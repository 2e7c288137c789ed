import { describe, expect, it } from 'vitest';
import {
  EFACTURA_FINAL_STATES,
  EFACTURA_ILLEGAL_TRANSITION,
  EFACTURA_STATES,
  EFACTURA_TRANSITIONS,
  IllegalStateTransitionError,
  assertTransition,
  canTransition,
  describeTransition,
  isEfacturaState,
  isFinal,
  type EfacturaState,
} from './index.js';

const EXPECTED: Record<EfacturaState, EfacturaState[]> = {
  draft: ['queued'],
  queued: ['validating', 'invalid', 'uploading', 'failed'],
  validating: ['invalid', 'uploading', 'failed'],
  invalid: ['draft'],
  uploading: ['submitted', 'unknown', 'failed'],
  submitted: ['accepted', 'rejected', 'failed'],
  accepted: [],
  rejected: ['draft'],
  unknown: ['submitted', 'uploading', 'failed'],
  failed: ['draft'],
};

describe('e-Factura state machine', () => {
  it('lists the ten states of ARCHITECTURE.md §4', () => {
    expect([...EFACTURA_STATES]).toEqual([
      'draft', 'queued', 'validating', 'invalid', 'uploading', 'submitted', 'accepted', 'rejected', 'unknown', 'failed',
    ]);
  });

  it('has exactly the expected edges (every pair checked)', () => {
    for (const from of EFACTURA_STATES) {
      expect([...EFACTURA_TRANSITIONS[from]].sort(), from).toEqual([...EXPECTED[from]].sort());
      for (const to of EFACTURA_STATES) {
        expect(canTransition(from, to), `${from}->${to}`).toBe(EXPECTED[from].includes(to));
      }
    }
  });

  it('documents every edge', () => {
    for (const from of EFACTURA_STATES) {
      for (const to of EFACTURA_TRANSITIONS[from]) expect(describeTransition(from, to)).toMatch(/^.{20,}$/);
    }
    expect(describeTransition('accepted', 'draft')).toBeUndefined();
  });

  it('accepted is the only final state', () => {
    expect([...EFACTURA_FINAL_STATES]).toEqual(['accepted']);
    expect(isFinal('accepted')).toBe(true);
    for (const s of EFACTURA_STATES.filter((x) => x !== 'accepted')) expect(isFinal(s), s).toBe(false);
  });

  it('never allows a second send once an upload may have reached ANAF', () => {
    for (const s of ['queued', 'validating', 'uploading', 'submitted', 'unknown', 'accepted'] as const) {
      expect(canTransition(s, 'queued'), s).toBe(false);
    }
    // the only way back to uploading after a possible upload is through reconciliation
    const intoUploading = EFACTURA_STATES.filter((s) => canTransition(s, 'uploading'));
    expect(intoUploading.sort()).toEqual(['queued', 'unknown', 'validating']); // queued and validating: before any upload
    expect(canTransition('submitted', 'uploading')).toBe(false);
  });

  it('every state is reachable from draft and every non-final state can reach accepted or draft', () => {
    const reach = (start: EfacturaState) => {
      const seen = new Set<EfacturaState>([start]);
      const todo = [start];
      while (todo.length) for (const n of EFACTURA_TRANSITIONS[todo.pop()!]) if (!seen.has(n)) { seen.add(n); todo.push(n); }
      return seen;
    };
    expect(reach('draft').size).toBe(EFACTURA_STATES.length);
    for (const s of EFACTURA_STATES) if (!isFinal(s)) expect(reach(s).has('accepted'), s).toBe(true);
  });

  it('assertTransition returns the target or throws a typed error', () => {
    expect(assertTransition('draft', 'queued')).toBe('queued');
    expect(assertTransition('queued', 'uploading')).toBe('uploading');
    let err: unknown;
    try {
      assertTransition('submitted', 'queued');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IllegalStateTransitionError);
    const e = err as IllegalStateTransitionError;
    expect(e.code).toBe(EFACTURA_ILLEGAL_TRANSITION);
    expect(e.code).toBe('EFACTURA_ILLEGAL_TRANSITION');
    expect(e.from).toBe('submitted');
    expect(e.to).toBe('queued');
    expect([...e.allowed].sort()).toEqual(['accepted', 'failed', 'rejected']);
    expect(e.message).toContain('submitted');
    expect(() => assertTransition('accepted', 'draft')).toThrow(/final state/);
  });

  it('rejects unknown states at runtime', () => {
    expect(isEfacturaState('draft')).toBe(true);
    expect(isEfacturaState('sent')).toBe(false);
    expect(isEfacturaState(3)).toBe(false);
    expect(canTransition('sent' as EfacturaState, 'queued')).toBe(false);
    expect(() => assertTransition('draft', 'sent' as EfacturaState)).toThrow(IllegalStateTransitionError);
  });

  it('the table is immutable', () => {
    expect(Object.isFrozen(EFACTURA_TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(EFACTURA_TRANSITIONS.draft)).toBe(true);
  });
});
