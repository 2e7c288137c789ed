import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One entry of an invoice's history: a state change or an action, with who/what caused it. */
@Entity({ schema: 'invoicing', name: 'invoice_history' })
export class InvoiceHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'invoice_id' })
  invoiceId!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** What happened: `created`, `imported`, `send-requested`, or the event's routing key. */
  @Column({ type: 'text' })
  event!: string;

  /** State after the entry. */
  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;

  @Column({ type: 'text', name: 'trace_id', nullable: true })
  traceId!: string | null;

  /** When it happened: the worker's `occurredAt` for e-Factura events, else the time of the write. History is
   * listed by this time, so events that arrive out of order are still shown in the order they happened. */
  @Column({ type: 'timestamptz', name: 'at', default: () => 'now()' })
  at!: Date;
}
