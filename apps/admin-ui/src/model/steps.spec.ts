import { describe, expect, it } from 'vitest';
import { PROVISIONING_STEPS as SERVER_STEPS } from '@cetate/platform-provisioning';
import type { StepState } from '../api/types.js';
import { PROVISIONING_STEPS, provisioningSteps, stepColor, stepProgress, tenantActions } from './steps.js';

const step = (name: string, status: StepState['status'], lastError: string | null = null): StepState => ({
  step: name,
  status,
  attempts: 1,
  lastError,
  detail: {},
  startedAt: '2026-10-14T10:00:00.000Z',
  finishedAt: status === 'running' ? null : '2026-10-14T10:00:01.000Z',
});

describe('provisioning steps', () => {
  it('are the saga steps, in the saga order', () => {
    expect([...PROVISIONING_STEPS]).toEqual([...SERVER_STEPS]);
  });

  it('lists every step in saga order, the ones without a row as pending, others after', () => {
    const shown = provisioningSteps([step('delete:export', 'succeeded'), step('database', 'running'), step('realm', 'succeeded')]);
    expect(shown.map((s) => `${s.step}:${s.status}`)).toEqual([
      'realm:succeeded',
      'database:running',
      'bucket:pending',
      'secrets:pending',
      'event:pending',
      'delete:export:succeeded',
    ]);
    expect(provisioningSteps(undefined).every((s) => s.status === 'pending')).toBe(true);
  });

  it('summarises progress and names the failed step', () => {
    expect(stepProgress([step('realm', 'succeeded'), step('database', 'succeeded'), step('bucket', 'skipped')])).toEqual({ done: 3, total: 5, failed: null });
    expect(stepProgress([step('realm', 'succeeded'), step('database', 'failed', 'connection refused')])).toEqual({ done: 1, total: 5, failed: 'database' });
    expect(stepProgress(undefined)).toEqual({ done: 0, total: 5, failed: null });
  });

  it('colours failed red, running blue, succeeded green', () => {
    expect([stepColor('failed'), stepColor('running'), stepColor('succeeded'), stepColor('pending')]).toEqual(['red', 'blue', 'green', 'gray']);
  });

  it('offers suspend for active tenants and resume for suspended ones only (saga rules)', () => {
    expect(tenantActions('active')).toEqual({ suspend: true, resume: false });
    expect(tenantActions('suspended')).toEqual({ suspend: false, resume: true });
    expect(tenantActions('provisioning')).toEqual({ suspend: false, resume: false });
  });
});
