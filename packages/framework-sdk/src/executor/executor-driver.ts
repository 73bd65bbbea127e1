// The executor driver: an executor's connection to the agent that started it.
// It subscribes (again after a broken stream, carrying what is not yet
// acknowledged), hands events to iterators and callbacks in order, and
// stamps and remembers the executor's status updates. It authenticates with
// the token the agent gave it and connects with TLS when the agent serves it;
// an agent that refuses the token (UNAUTHENTICATED, PERMISSION_DENIED) is a
// refusal, not a lost connection: the driver stops.
import * as grpc from '@grpc/grpc-js';
import {
  ExecutorCallType,
  ExecutorEventType,
  TaskStatusSource,
  ValidationError,
  createLogger,
  loadTls,
  newUpdateUuid,
  systemClock,
  type Clock,
  type ExecutorEvent,
  type IExecutorCall,
  type ITaskStatus,
  type Logger,
  type TimerHandle,
  type TlsMaterial,
} from '@mesocosm/protocol';
import { backoffDelay, MAX_BACKOFF_MS } from '../backoff.js';
import { EventStream } from '../events.js';
import { AgentConnection } from './agent-connection.js';
import { EXECUTOR_TLS_CA_ENV, readExecutorEnvironment, type ExecutorEnvironment } from './environment.js';
import { ExecutorDriverStoppedError, ExecutorRefusedError } from './errors.js';
import {
  ExecutorHandlers,
  executorPayloadOf,
  type ExecutorDisconnectedEvent,
  type ExecutorEventHandler,
  type ExecutorEventName,
  type ExecutorSubscribedEvent,
} from './executor-event-map.js';
import { Unacknowledged } from './unacknowledged.js';

/** Options of {@link ExecutorDriver}. */
export interface ExecutorDriverOptions {
  /** Who and where the executor is. Default: read from `process.env` ({@link readExecutorEnvironment}). */
  environment?: ExecutorEnvironment;
  /** Time source for backoff and the recovery timeout. Default: the system clock. */
  clock?: Clock;
  /** Default: a stderr logger named `executor-driver`. */
  logger?: Logger;
  /** First delay before subscribing again, doubled per failed attempt, capped by {@link maxReconnectBackoffMs}. Default 250. */
  reconnectBackoffMs?: number;
  /**
   * Longest delay between two subscription attempts. Default: the
   * environment's `subscriptionBackoffMaxMs` (which the agent derives from
   * its re-registration timeout), else 30 s.
   */
  maxReconnectBackoffMs?: number;
  /** How long to keep trying to reach a lost agent before giving up (the driver stops). Default 15 min. */
  recoveryTimeoutMs?: number;
}

const STOP_GRACE_MS = 2_000;

/** The TLS of the executor API: verify the agent with the environment's CA. */
function executorTls(env: ExecutorEnvironment): TlsMaterial | undefined {
  if (env.tlsCa === undefined || env.tlsCa === '') return undefined;
  const name = EXECUTOR_TLS_CA_ENV[0];
  return loadTls({ ca: env.tlsCa }, { ca: name, cert: name, key: name, requireClientCert: name });
}

/** gRPC statuses that end the driver: the agent will not let this executor in, whatever it retries. */
const REFUSALS: ReadonlyMap<number, 'UNAUTHENTICATED' | 'PERMISSION_DENIED'> = new Map([
  [grpc.status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
  [grpc.status.PERMISSION_DENIED, 'PERMISSION_DENIED'],
]);

type DriverState = 'idle' | 'connecting' | 'subscribed' | 'disconnected' | 'stopped';

/**
 * An executor's connection to its agent: subscribe, receive LAUNCH, KILL,
 * ACKNOWLEDGED, MESSAGE and SHUTDOWN, send status updates and messages.
 *
 * Events arrive both as an async iterator ({@link events}) and as typed
 * callbacks ({@link on}). {@link update} gives each status a uuid, the
 * executor as its source and a timestamp, and keeps it until the agent says
 * the framework acknowledged it; when the stream breaks, the driver
 * subscribes again with every unacknowledged task and update, so none is lost.
 *
 * @example
 * ```ts
 * const driver = new ExecutorDriver();
 * driver.on('launch', ({ task }) => {
 *   driver.update({ taskId: task?.taskId, state: TaskState.TASK_RUNNING });
 *   driver.update({ taskId: task?.taskId, state: TaskState.TASK_FINISHED, data: Buffer.from('42') });
 * });
 * driver.on('shutdown', () => driver.stop());
 * await driver.start();
 * ```
 */
export class ExecutorDriver {
  /** Who and where this executor is. */
  readonly environment: ExecutorEnvironment;
  private readonly tls: TlsMaterial | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly recoveryTimeoutMs: number;
  private readonly handlers = new ExecutorHandlers();
  private readonly stream = new EventStream<ExecutorEvent>();
  private readonly unacked = new Unacknowledged();
  private readonly pendingMessages: Uint8Array[] = [];
  private state: DriverState = 'idle';
  private connection: AgentConnection | undefined;
  private generation = 0;
  private attempt = 0;
  private everSubscribed = false;
  private lostAt: number | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  private started: Promise<ExecutorSubscribedEvent> | undefined;
  private settleStart: { resolve(s: ExecutorSubscribedEvent): void; reject(e: Error): void } | undefined;
  private resolveStopped: () => void = () => {};
  /** Resolves once the driver has stopped (by {@link stop}, a refusal, or giving up on the agent). */
  readonly stopped: Promise<void> = new Promise((resolve) => (this.resolveStopped = resolve));

  /**
   * Makes a driver; nothing connects until {@link start}. Throws an
   * `ExecutorEnvironmentError` when the environment does not say where the
   * agent is, a `TlsConfigError` when its TLS CA cannot be read.
   */
  constructor(options: ExecutorDriverOptions = {}) {
    this.environment = options.environment ?? readExecutorEnvironment();
    this.tls = executorTls(this.environment);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('executor-driver');
    this.backoffMs = options.reconnectBackoffMs ?? 250;
    this.maxBackoffMs = options.maxReconnectBackoffMs ?? this.environment.subscriptionBackoffMaxMs ?? MAX_BACKOFF_MS;
    this.recoveryTimeoutMs = options.recoveryTimeoutMs ?? 15 * 60_000;
  }

  /**
   * Subscribes. Resolves with the SUBSCRIBED payload; rejects with an
   * {@link ExecutorRefusedError} when the agent refuses this executor, or an
   * {@link ExecutorDriverStoppedError} when the driver stops first.
   */
  start(): Promise<ExecutorSubscribedEvent> {
    if (this.state === 'stopped') return Promise.reject(new ExecutorDriverStoppedError('start()'));
    if (this.started) return this.started;
    this.started = new Promise((resolve, reject) => (this.settleStart = { resolve, reject }));
    this.connect();
    return this.started;
  }

  /** True while the stream to the agent is subscribed. */
  get isSubscribed(): boolean {
    return this.state === 'subscribed';
  }

  /**
   * Every event, in order, as an async iterator (each iterator sees the
   * events received after it was created); it ends when the driver stops.
   *
   * @example
   * ```ts
   * for await (const event of driver.events()) {
   *   if (event.type === ExecutorEventType.LAUNCH) run(event.launch?.task);
   * }
   * ```
   */
  events(): AsyncIterableIterator<ExecutorEvent> {
    return this.stream.iterator();
  }

  /**
   * Registers a typed callback; returns a function that removes it. Handlers
   * run one event at a time, in order; a returned promise is awaited before
   * the next event. A handler that throws is logged.
   */
  on<K extends ExecutorEventName>(name: K, handler: ExecutorEventHandler<K>): () => void {
    return this.handlers.add(name, handler);
  }

  /**
   * Sends a status update. Sets `uuid`, `source` (EXECUTOR), `timestamp` and
   * `executorId` (and `agentId` when known); returns the status as sent. It
   * is kept, and sent again after a reconnection, until acknowledged.
   */
  update(status: ITaskStatus): ITaskStatus {
    if (this.state === 'stopped') throw new ExecutorDriverStoppedError('update()');
    if (!status.taskId?.value)
      throw new ValidationError('status.task_id', 'is required: which task is this update about?');
    const agentId = status.agentId?.value || this.environment.agentId;
    const stamped: ITaskStatus = {
      ...status,
      uuid: newUpdateUuid(),
      source: TaskStatusSource.SOURCE_EXECUTOR,
      timestamp: this.clock.now() / 1000,
      executorId: { value: this.environment.executorId },
      ...(agentId ? { agentId: { value: agentId } } : {}),
    };
    this.unacked.sent(stamped);
    if (this.state === 'subscribed') this.write({ type: ExecutorCallType.UPDATE, update: { status: stamped } });
    return stamped;
  }

  /** Sends data to the framework (queued until subscribed). */
  sendMessage(data: Uint8Array | string): void {
    if (this.state === 'stopped') throw new ExecutorDriverStoppedError('sendMessage()');
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.state === 'subscribed') this.write({ type: ExecutorCallType.MESSAGE, message: { data: bytes } });
    else this.pendingMessages.push(bytes);
  }

  /** Updates sent and not yet acknowledged, oldest first. */
  unacknowledgedUpdates(): ITaskStatus[] {
    return this.unacked.updates();
  }

  /**
   * Closes the stream (letting calls already written reach the agent) and
   * stops the driver; iterators end once drained.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.generation++;
    if (this.reconnectTimer) this.clock.clearTimeout(this.reconnectTimer);
    const conn = this.connection;
    this.connection = undefined;
    this.settleStart?.reject(new ExecutorDriverStoppedError('the subscription'));
    this.settleStart = undefined;
    this.stream.close();
    await conn?.closeGracefully(this.clock, STOP_GRACE_MS);
    // Not awaited: stop() may run inside the handler chain itself.
    this.chain = this.chain.then(() => this.resolveStopped());
  }

  // ---- the stream -------------------------------------------------------------

  private connect(): void {
    const gen = ++this.generation;
    this.state = 'connecting';
    const env = this.environment;
    this.logger.debug('subscribing', { agent: env.agentEndpoint, executorId: env.executorId });
    this.connection = new AgentConnection(
      env.agentEndpoint,
      {
        onEvent: (event) => {
          if (gen === this.generation) this.onWireEvent(event);
        },
        onClose: (reason, status) => {
          if (gen !== this.generation) return;
          const refusal = status ? REFUSALS.get(status.code) : undefined;
          if (refusal) this.onRefused(status?.details || reason, refusal);
          else this.onLost(reason);
        },
      },
      this.tls,
      env.authenticationToken,
    );
    this.connection.send({
      type: ExecutorCallType.SUBSCRIBE,
      subscribe: { unacknowledgedTasks: this.unacked.tasks(), unacknowledgedUpdates: this.unacked.updates() },
      ...this.ids(),
    });
  }

  private ids(): Pick<IExecutorCall, 'executorId' | 'frameworkId'> {
    return {
      executorId: { value: this.environment.executorId },
      frameworkId: { value: this.environment.frameworkId },
    };
  }

  private write(call: IExecutorCall): void {
    this.connection?.send({ ...call, ...this.ids() });
  }

  private onWireEvent(event: ExecutorEvent): void {
    if (this.state === 'connecting') {
      if (event.type === ExecutorEventType.SUBSCRIBED) this.onSubscribed(event);
      else if (event.type === ExecutorEventType.ERROR) {
        this.dispatch(event);
        this.onRefused(event.error?.message || 'no reason given');
      } else this.logger.debug('ignoring an event before SUBSCRIBED', { type: ExecutorEventType[event.type] });
      return;
    }
    if (event.type === ExecutorEventType.LAUNCH && event.launch?.task) this.unacked.launched(event.launch.task);
    if (event.type === ExecutorEventType.ACKNOWLEDGED)
      this.unacked.acknowledged(event.acknowledged?.taskId?.value ?? '', event.acknowledged?.uuid);
    this.dispatch(event);
  }

  private onSubscribed(event: ExecutorEvent): void {
    const reconnected = this.everSubscribed;
    this.state = 'subscribed';
    this.everSubscribed = true;
    this.attempt = 0;
    this.lostAt = undefined;
    this.logger.info(reconnected ? 're-subscribed to the agent' : 'subscribed to the agent', {
      executorId: this.environment.executorId,
    });
    for (const data of this.pendingMessages.splice(0))
      this.write({ type: ExecutorCallType.MESSAGE, message: { data } });
    this.settleStart?.resolve(event.subscribed ?? {});
    this.settleStart = undefined;
    this.dispatch(event);
  }

  private onRefused(message: string, code?: 'UNAUTHENTICATED' | 'PERMISSION_DENIED'): void {
    const error = new ExecutorRefusedError(message, code);
    this.logger.error(error.message);
    this.settleStart?.reject(error);
    this.settleStart = undefined;
    this.chain = this.chain.then(() => this.stop());
  }

  private onLost(reason: string): void {
    if (this.state === 'stopped') return;
    this.connection = undefined;
    const now = this.clock.now();
    this.lostAt ??= now;
    const willReconnect = now - this.lostAt < this.recoveryTimeoutMs;
    if (this.state === 'subscribed' || !willReconnect) this.emitDisconnected({ reason, willReconnect });
    this.logger.warn(willReconnect ? 'lost the agent; subscribing again' : 'gave up on the agent', { reason });
    if (!willReconnect) {
      this.chain = this.chain.then(() => this.stop());
      return;
    }
    this.state = 'disconnected';
    const delay = Math.min(backoffDelay(this.backoffMs, this.attempt++), this.maxBackoffMs);
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.state === 'disconnected') this.connect();
    }, delay);
  }

  private dispatch(event: ExecutorEvent): void {
    this.stream.publish(event);
    this.chain = this.chain.then(async () => {
      const p = executorPayloadOf(event);
      if (!p) return;
      if (p.name === 'error' && this.handlers.count('error') === 0)
        this.logger.warn('agent error (no error handler)', { message: p.payload.message });
      const errors = await this.handlers.run(p.name, p.payload, event);
      for (const err of errors) this.logger.error(`'${p.name}' handler failed`, { error: String(err) });
    });
  }

  private emitDisconnected(payload: ExecutorDisconnectedEvent): void {
    this.chain = this.chain.then(async () => {
      const errors = await this.handlers.run('disconnected', payload);
      for (const err of errors) this.logger.error(`'disconnected' handler failed`, { error: String(err) });
    });
  }
}
