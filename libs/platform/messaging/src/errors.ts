/**
 * Typed errors of `@cetate/platform-messaging`. Every error has a stable `code` (CONVENTIONS: "Errors are
 * typed values with a stable `code`") so callers, the DLQ headers (`x-error-code`) and logs can act on it.
 */
import { CetateError } from '@cetate/shared-errors';

/**
 * Base class of every messaging error, a {@link CetateError} (ADR 0025). `code` is stable across releases
 * (e.g. `MESSAGE_VALIDATION_FAILED`); `message` says what to do. No HTTP `status`: an API that lets one
 * escape answers 500.
 */
export class MessagingError extends CetateError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** One zod issue, flattened for logs and DLQ headers. */
export interface ValidationIssue {
  /** dotted path into the payload (`lines.0.amount`), empty for the root. */
  path: string;
  /** zod's message. */
  message: string;
}

/**
 * A payload or header set does not satisfy its contract's zod schema.
 * Thrown by `Publisher.publish` / `Outbox.enqueue` BEFORE anything is sent or written;
 * on the consumer side the message goes straight to the DLQ with `x-error-code: MESSAGE_VALIDATION_FAILED`.
 */
export class MessageValidationError extends MessagingError {
  constructor(
    /** message type (command tag or event routing key). */
    readonly messageType: string,
    /** the zod issues. */
    readonly issues: ValidationIssue[],
    /** `payload` or `headers`. */
    readonly part: 'payload' | 'headers' = 'payload',
  ) {
    super(
      'MESSAGE_VALIDATION_FAILED',
      `${part} of ${messageType} is invalid: ` + issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '),
    );
  }
}

/**
 * The broker did not confirm a publish: nack, unroutable (`mandatory` return), channel closed and no
 * reconnect within the bounded wait. The message was NOT acknowledged by the broker; the caller must retry
 * or fail the request (never assume it was sent). `reason` is one of `NACK`, `UNROUTABLE`, `NOT_CONNECTED`,
 * `CLOSED`, `CHANNEL_ERROR`.
 */
export class PublishFailedError extends MessagingError {
  constructor(
    readonly reason: 'NACK' | 'UNROUTABLE' | 'NOT_CONNECTED' | 'CLOSED' | 'CHANNEL_ERROR',
    message: string,
    options?: { cause?: unknown },
  ) {
    super('PUBLISH_FAILED', message, options);
  }
}

/**
 * Thrown by a handler when trying again later can succeed (ANAF 5xx, quota exhausted, lock timeout).
 * The consumer republishes the message to the delay queue of the next attempt; after `maxAttempts` it goes
 * to the DLQ. Unknown errors are treated the same way.
 */
export class RetryableError extends MessagingError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'RETRYABLE', message, options);
  }
}

/**
 * Thrown by a handler when retrying cannot help (business rule violated, referenced entity missing).
 * The message goes straight to the DLQ with `x-error-code` = `code` and `x-error-message` = `message`.
 */
export class NonRetryableError extends MessagingError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'NON_RETRYABLE', message, options);
  }
}

/**
 * Handler registration is wrong: a command consumed by this process has zero or two handlers
 * (habit taken from immich: start-up fails instead of silently dropping or double-processing jobs).
 */
export class HandlerRegistrationError extends MessagingError {
  constructor(readonly problems: string[]) {
    super('HANDLER_REGISTRATION_INVALID', 'message handlers are misregistered: ' + problems.join('; '));
  }
}

/** The broker refused the declared topology (e.g. an existing queue has other arguments: PRECONDITION_FAILED). */
export class TopologyError extends MessagingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TOPOLOGY_INVALID', message, options);
  }
}

/** `AmqpConnection` could not (re)connect within the bounded wait, or was closed. */
export class ConnectionUnavailableError extends MessagingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AMQP_CONNECTION_UNAVAILABLE', message, options);
  }
}
