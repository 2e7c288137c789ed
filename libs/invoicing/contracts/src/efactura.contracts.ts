// the dependency-free entry of the messaging library (zod only): importing the contracts never loads amqplib
import { defineCommand, defineEvent } from '@cetate/platform-messaging/contracts';
import {
  EFACTURA_EVENT_KEYS,
  EFACTURA_SUBMIT_TAG,
  EfacturaAcceptedEventSchema,
  EfacturaFailedEventSchema,
  EfacturaInvalidEventSchema,
  EfacturaRejectedEventSchema,
  EfacturaStatusSyncPayloadSchema,
  EFACTURA_STATUS_SYNC_TAG,
  EfacturaSubmitPayloadSchema,
  EfacturaSubmittedEventSchema,
  EfacturaUnknownEventSchema,
  EfacturaUploadingEventSchema,
  EfacturaValidatingEventSchema,
  type EfacturaEventState,
} from './efactura-messages.schema.js';

/** Command `worker.request.anaf.efactura.submit` v1 (queue `worker.anaf.efactura.submit`). */
export const EfacturaSubmitCommand = defineCommand({
  tag: EFACTURA_SUBMIT_TAG,
  version: 1,
  schema: EfacturaSubmitPayloadSchema,
  description: 'Send one version of one invoice to ANAF e-Factura (validate, upload; ends when ANAF has the upload: the status sync learns the verdict).',
});

/**
 * Command `worker.request.anaf.efactura.status-sync` v1 (queue `worker.anaf.efactura.status-sync`): learn ANAF's verdict
 * on every outstanding upload of one tenant CIF. Scheduled (delayed) by the worker itself while uploads are outstanding.
 */
export const EfacturaStatusSyncCommand = defineCommand({
  tag: EFACTURA_STATUS_SYNC_TAG,
  version: 1,
  schema: EfacturaStatusSyncPayloadSchema,
  description: "Read ANAF's message list for one tenant CIF and settle its outstanding uploads (accepted / rejected), within ANAF's quotas.",
});

/** The e-Factura events the worker emits, one contract per state it reports. */
export const EfacturaEvents = {
  validating: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.validating, version: 1, schema: EfacturaValidatingEventSchema, description: 'The worker started validating the invoice (CIUS-RO).' }),
  invalid: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.invalid, version: 1, schema: EfacturaInvalidEventSchema, description: 'Local validation failed; nothing was sent to ANAF.' }),
  uploading: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.uploading, version: 1, schema: EfacturaUploadingEventSchema, description: 'The upload to ANAF started.' }),
  submitted: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.submitted, version: 1, schema: EfacturaSubmittedEventSchema, description: 'ANAF took the upload (index_incarcare known).' }),
  unknown: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.unknown, version: 1, schema: EfacturaUnknownEventSchema, description: 'The upload outcome is unknown; being reconciled through the message list.' }),
  accepted: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.accepted, version: 1, schema: EfacturaAcceptedEventSchema, description: 'ANAF accepted the invoice; the signed ZIP is archived.' }),
  rejected: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.rejected, version: 1, schema: EfacturaRejectedEventSchema, description: 'ANAF rejected the invoice; the error report ZIP is archived.' }),
  failed: defineEvent({ routingKey: EFACTURA_EVENT_KEYS.failed, version: 1, schema: EfacturaFailedEventSchema, description: 'Non-retryable failure, with its reason.' }),
} satisfies Record<EfacturaEventState, unknown>;

/** Every e-Factura event contract, for topology declarations and consumers. */
export const EFACTURA_EVENT_CONTRACTS = Object.values(EfacturaEvents);
