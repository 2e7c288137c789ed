/**
 * The provisioning saga's steps as the UI shows them: in the saga's order, with the steps not started yet,
 * and a colour per status. Order and names: `PROVISIONING_STEPS` of `@cetate/platform-provisioning`
 * (ARCHITECTURE §2: realm → database + migrations → bucket → secrets → event).
 */
import type { StepState, StepStatus } from '../api/types.js';

/** Steps of provisioning, in order. */
export const PROVISIONING_STEPS = ['realm', 'database', 'bucket', 'secrets', 'event'] as const;

/** What the UI shows per step: the recorded state, or `pending` when the step has no row yet. */
export type StepDisplayStatus = StepStatus | 'pending';

/** One step as displayed. */
export interface StepDisplay {
  step: string;
  status: StepDisplayStatus;
  attempts: number;
  lastError: string | null;
}

/**
 * The provisioning steps of a tenant in saga order, each with its recorded state or `pending`; deletion steps
 * (`delete:<step>`) and unknown steps follow, in the order the server gave them. `steps` may be undefined (the
 * tenant is not registered yet: every step pending).
 */
export function provisioningSteps(steps: readonly StepState[] | undefined): StepDisplay[] {
  const byName = new Map((steps ?? []).map((s) => [s.step, s]));
  const known: StepDisplay[] = PROVISIONING_STEPS.map((name) => {
    const s = byName.get(name);
    return s ? toDisplay(s) : { step: name, status: 'pending', attempts: 0, lastError: null };
  });
  const others = (steps ?? []).filter((s) => !(PROVISIONING_STEPS as readonly string[]).includes(s.step)).map(toDisplay);
  return [...known, ...others];
}

function toDisplay(s: StepState): StepDisplay {
  return { step: s.step, status: s.status, attempts: s.attempts, lastError: s.lastError };
}

/** Mantine colour of a step badge: green done, blue running, red failed, gray skipped/pending. */
export function stepColor(status: StepDisplayStatus): string {
  switch (status) {
    case 'succeeded':
      return 'green';
    case 'running':
      return 'blue';
    case 'failed':
      return 'red';
    case 'skipped':
      return 'gray';
    case 'pending':
      return 'gray';
  }
}

/** Counts for a one-line summary (`3/5`): steps done (succeeded or skipped) out of the provisioning steps. */
export function stepProgress(steps: readonly StepState[] | undefined): { done: number; total: number; failed: string | null } {
  const shown = provisioningSteps(steps).filter((s) => (PROVISIONING_STEPS as readonly string[]).includes(s.step));
  const failed = shown.find((s) => s.status === 'failed');
  return {
    done: shown.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length,
    total: shown.length,
    failed: failed ? failed.step : null,
  };
}

/** Which lifecycle actions the API accepts for a tenant status (`suspend`: active; `resume`: suspended). */
export function tenantActions(status: string): { suspend: boolean; resume: boolean } {
  return { suspend: status === 'active', resume: status === 'suspended' };
}
