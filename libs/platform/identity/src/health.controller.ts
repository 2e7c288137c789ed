import { Controller, Get, Inject } from '@nestjs/common';
import { DomainError } from '@cetate/platform-observability';
import { Public } from './realm-auth.nest.js';

/** DI token of the {@link ReadinessProbe} of `GET /health` (apps provide their `AmqpConnection`). */
export const READINESS_PROBE = Symbol('READINESS_PROBE');

/** What `/health` asks: is the process connected to RabbitMQ (commands and events flow)? */
export interface ReadinessProbe {
  readonly isConnected: boolean;
}

/** 503 `NOT_READY` from `/health` while RabbitMQ is not connected (commands wait in the outbox, events in RabbitMQ). */
export class NotReadyError extends DomainError {
  constructor() {
    super('NOT_READY', 'RabbitMQ is not connected; the API is reconnecting.', { status: 503 });
  }
}

/**
 * `GET /health` of every Cetate API (public): readiness for probes and the launcher. 200 `{ status: 'ok', amqp: true }`
 * when RabbitMQ is connected, else 503 problem+json `NOT_READY`.
 */
@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_PROBE) private readonly probe: ReadinessProbe) {}

  /** See {@link HealthController}. */
  @Get()
  @Public()
  health(): { status: 'ok'; amqp: true } {
    if (!this.probe.isConnected) throw new NotReadyError();
    return { status: 'ok', amqp: true };
  }
}
