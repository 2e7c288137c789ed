/**
 * The e-Factura states the API reports in `InvoiceView.efactura.state` (the ten states of
 * `libs/invoicing/domain/src/state/efactura-state.ts`, described in docs/architecture/efactura-flow.md).
 */
export const EFACTURA_STATES = ['draft', 'queued', 'validating', 'invalid', 'uploading', 'submitted', 'accepted', 'rejected', 'unknown', 'failed'] as const;
export type EfacturaStateName = (typeof EFACTURA_STATES)[number];

/**
 * States after which nothing moves without a person: `draft` (not sent), `accepted`, `rejected`, `invalid`,
 * `failed`. Every other state (`queued`, `validating`, `uploading`, `submitted`, `unknown`) is moved by the
 * worker, so a screen showing one polls until it settles.
 */
export const SETTLED_STATES: ReadonlySet<string> = new Set(['draft', 'accepted', 'rejected', 'invalid', 'failed']);

/** True while the worker may still move this state (the list and the detail poll then). */
export function isInFlight(state: string): boolean {
  return !SETTLED_STATES.has(state);
}

/** Mantine colour of the state badge (text carries the meaning; colour is only a hint). */
export function stateColor(state: string): string {
  switch (state) {
    case 'accepted':
      return 'green';
    case 'rejected':
    case 'invalid':
    case 'failed':
      return 'red';
    case 'unknown':
      return 'orange';
    case 'draft':
      return 'gray';
    default:
      return 'blue';
  }
}
