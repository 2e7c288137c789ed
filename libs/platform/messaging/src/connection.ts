import { EventEmitter } from 'node:events';
import amqp, { type ChannelModel } from 'amqplib';
import { ConnectionUnavailableError } from './errors.js';
import { assertTopology, type Topology } from './topology.js';

/** Options of {@link AmqpConnection}. */
export interface AmqpConnectionOptions {
  /** AMQP URL including the vhost, e.g. `amqp://guest:guest@127.0.0.1:5672/%2F`. */
  url: string;
  /** connection name shown by the broker (`connection_name` client property), e.g. `worker-anaf`. */
  name: string;
  /** topology asserted at every (re)connect, before consumers are re-created. */
  topology?: Topology;
  /** reconnect backoff: first delay (ms, default 200), doubled per failure up to `maxDelayMs` (default 10 000), ±20 % jitter. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** heartbeat seconds (default 15). */
  heartbeatSeconds?: number;
}

/** A hook run after every successful (re)connect and topology assertion. */
export type ConnectedHook = (model: ChannelModel, generation: number) => Promise<void>;

/**
 * A RabbitMQ connection that survives broker restarts and server-side closes.
 *
 * After `connect()`: on every connection loss it emits `disconnected` (err), reconnects with exponential
 * backoff + jitter, re-asserts the topology, runs the registered hooks (consumers re-create their channels
 * there), then emits `connected` (generation). `close()` stops everything for good.
 *
 * Events: `connected` (generation: number), `disconnected` (error?: Error), `error` (Error) for failures
 * during reconnect (listen to it, or they are only reported through `disconnected`).
 */
export class AmqpConnection extends EventEmitter {
  readonly url: string;
  readonly name: string;
  readonly topology: Topology | undefined;
  private model: ChannelModel | undefined;
  private generation = 0;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly hooks: ConnectedHook[] = [];
  private readonly initialDelay: number;
  private readonly maxDelay: number;
  private readonly heartbeat: number;
  private failures = 0;

  constructor(options: AmqpConnectionOptions) {
    super();
    this.url = options.url;
    this.name = options.name;
    this.topology = options.topology;
    this.initialDelay = options.reconnect?.initialDelayMs ?? 200;
    this.maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
    this.heartbeat = options.heartbeatSeconds ?? 15;
    // an unhandled 'error' event would crash the process; reconnect failures are also reported via 'disconnected'
    this.on('error', () => undefined);
  }

  /** true while a connection is open and its topology asserted. */
  get isConnected(): boolean {
    return this.model !== undefined;
  }

  /** number of successful connects so far (1 after the first). */
  get connectionGeneration(): number {
    return this.generation;
  }

  /**
   * Opens the first connection, retrying with backoff for at most `timeoutMs` (default 30 000).
   * @throws ConnectionUnavailableError when the broker is not reachable in time;
   * TopologyError when the broker refuses the topology (not retried: it will not fix itself).
   */
  async connect(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastErr: unknown;
    while (!this.closing) {
      try {
        await this.open();
        return;
      } catch (err) {
        lastErr = err;
        if ((err as { code?: string }).code === 'TOPOLOGY_INVALID') throw err;
        const delay = this.nextDelay();
        if (Date.now() + delay > deadline) break;
        await sleep(delay);
        this.failures++;
      }
    }
    throw new ConnectionUnavailableError(
      `could not connect to RabbitMQ as ${this.name}: ${(lastErr as Error)?.message ?? 'closed'}`,
      { cause: lastErr },
    );
  }

  /**
   * Registers a hook run after each (re)connect (and immediately if already connected). Used by
   * `Consumer` to re-create its channels. Hook errors close the connection so the cycle starts over.
   */
  async onConnected(hook: ConnectedHook): Promise<void> {
    this.hooks.push(hook);
    if (this.model) await hook(this.model, this.generation);
  }

  /** Removes a hook registered with {@link onConnected}. */
  offConnected(hook: ConnectedHook): void {
    const i = this.hooks.indexOf(hook);
    if (i >= 0) this.hooks.splice(i, 1);
  }

  /**
   * The open connection, waiting at most `timeoutMs` for a reconnect.
   * @throws ConnectionUnavailableError after the wait, or when closed.
   */
  async waitForConnection(timeoutMs: number): Promise<{ model: ChannelModel; generation: number }> {
    if (this.model) return { model: this.model, generation: this.generation };
    if (this.closing) throw new ConnectionUnavailableError(`connection ${this.name} is closed`);
    return new Promise((resolve, reject) => {
      const onConnected = () => {
        cleanup();
        resolve({ model: this.model!, generation: this.generation });
      };
      const onClosed = () => {
        cleanup();
        reject(new ConnectionUnavailableError(`connection ${this.name} is closed`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new ConnectionUnavailableError(`no RabbitMQ connection for ${this.name} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('connected', onConnected);
        this.off('closed', onClosed);
      };
      this.on('connected', onConnected);
      this.on('closed', onClosed);
    });
  }

  /** Closes the connection for good (no reconnect). Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const m = this.model;
    this.model = undefined;
    this.emit('closed');
    if (m) await m.close().catch(() => undefined);
  }

  private nextDelay(): number {
    const base = Math.min(this.initialDelay * 2 ** this.failures, this.maxDelay);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async open(): Promise<void> {
    const url = new URL(this.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(this.heartbeat));
    const model = await amqp.connect(url.toString(), { clientProperties: { connection_name: this.name } });
    let setupDone = false;
    let closedDuringSetup = false;
    model.on('error', () => undefined); // 'close' follows and drives the reconnect
    model.on('close', (err?: Error) => {
      if (this.model === model) this.model = undefined;
      if (!setupDone) {
        closedDuringSetup = true;
        return;
      }
      this.emit('disconnected', err);
      this.scheduleReconnect();
    });
    try {
      if (this.topology) {
        const ch = await model.createChannel();
        await assertTopology(ch, this.topology);
        await ch.close();
      }
      const generation = this.generation + 1;
      for (const hook of [...this.hooks]) await hook(model, generation); // a hook may unregister itself
      if (this.closing) {
        await model.close().catch(() => undefined);
        return;
      }
      if (closedDuringSetup) throw new ConnectionUnavailableError('connection closed during setup');
      this.generation = generation;
      this.model = model;
      this.failures = 0;
      setupDone = true;
      this.emit('connected', generation);
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    const delay = this.nextDelay();
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = undefined;
      if (this.closing) return;
      try {
        await this.open();
      } catch (err) {
        this.failures++;
        this.emit('error', err);
        this.scheduleReconnect();
      }
    }, delay);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
