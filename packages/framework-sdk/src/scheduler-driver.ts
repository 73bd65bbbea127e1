// The scheduler driver: the public face of a framework's subscription. It
// queues calls while there is no live subscription, hands events to
// iterators and callbacks in order, and acknowledges status updates. Keeping
// the subscription alive is `Subscription`'s job.
import { CallType, EventType, createLogger, loadClientTls, systemClock, taskStateName } from '@mesocosm/protocol';
import type {
  Clock,
  Credential,
  Event,
  ICall,
  IDeclineReason,
  IFilters,
  IFrameworkInfo,
  IKillPolicy,
  IMasterInfo,
  IOperation,
  ITaskInfo,
  ITaskStatus,
  Logger,
  TlsClientConfig,
} from '@mesocosm/protocol';
import * as calls from './calls.js';
import { checkCredential, credentialFromEnv, credentialMetadata } from './credential.js';
import type { ReconcileTask } from './calls.js';
import { createMasterDetector, type MasterDetector } from './detector.js';
import { DriverStoppedError, SubscribeRefusedError } from './errors.js';
import { HandlerRegistry, payloadOf, type SchedulerEventHandler, type SchedulerEventName } from './event-map.js';
import type { DisconnectedEvent } from './event-map.js';
import { EventStream } from './events.js';
import { Subscription } from './subscription.js';
import { UpdateTracker } from './update-tracker.js';

/** Options of {@link SchedulerDriver}. */
export interface SchedulerDriverOptions {
  /** The master's gRPC address, `host:port` (e.g. `127.0.0.1:5060`). */
  master: string;
  /** Who the framework is. Set `framework.id` to resume a framework after a failover. */
  framework: IFrameworkInfo;
  /** Acknowledge every update that carries a uuid once the handlers ran. Default true. */
  autoAcknowledge?: boolean;
  /** Time source for heartbeat watching and backoff. Default: the system clock. */
  clock?: Clock;
  /** Default: a stderr logger named `scheduler-driver`. */
  logger?: Logger;
  /** First delay before re-subscribing, doubled per failed attempt, capped at 30 s. Default 1000. */
  reconnectBackoffMs?: number;
  /** Finds the leading master; overrides `master` (e.g. a ZooKeeper detector). */
  detector?: MasterDetector;
  /**
   * Connect to the master over TLS. `ca`: the CA certificate(s) that signed
   * the masters' certificates (default: the system's CAs); `cert` + `key`:
   * this framework's client certificate, for a master started with
   * `--tls-require-client-cert`. Each is PEM text or the path of a PEM file,
   * read once by the constructor (a missing file, one that is not PEM, or a
   * key that does not match its certificate throws a `TlsConfigError`).
   * Applies to every master a ZooKeeper detector finds.
   *
   * Default: the environment's `MESOCOSM_TLS_CA`, `MESOCOSM_TLS_CERT` and
   * `MESOCOSM_TLS_KEY` when any is set, else plaintext.
   *
   * @example
   * ```ts
   * new SchedulerDriver({ master: 'master.example:5060', framework, tls: { ca: '/etc/mesocosm/ca.pem' } });
   * ```
   */
  tls?: TlsClientConfig;
  /**
   * The framework's principal and secret, for a master that authenticates
   * frameworks (`--authenticate_frameworks`): sent as `authorization`
   * metadata each time a stream opens, never logged. When
   * `framework.principal` is empty the master fills it in; when set, it
   * must be this principal. A master that refuses it makes {@link SchedulerDriver.start}
   * reject with a `SubscribeRefusedError` (`masterCode` UNAUTHENTICATED, or
   * PERMISSION_DENIED when an ACL denies a role).
   *
   * Default: `MESOCOSM_PRINCIPAL` with `MESOCOSM_SECRET_FILE` (or
   * `MESOCOSM_SECRET`) when set, else none. A malformed credential (or an
   * unreadable secret file) makes the constructor throw a `CredentialsError`.
   *
   * @example
   * ```ts
   * new SchedulerDriver({ master, framework, credential: { principal: 'web', secret: readSecretFile('/etc/web.secret') } });
   * ```
   */
  credential?: Credential;
}

/** The outcome of a subscription, as returned by {@link SchedulerDriver.start}. */
export interface Subscribed {
  /** Assigned by the master on the first subscription; keep it to resume after a restart. */
  frameworkId: string;
  /** Carried by every later call on this stream (the driver does it). */
  streamId: string;
  /** The master sends HEARTBEAT this often; 5 missed ones count as a lost master. */
  heartbeatIntervalSeconds: number;
  /** The master that answered (its ID, addresses and leader epoch). */
  masterInfo: IMasterInfo;
}

/**
 * A framework's connection to the master: subscribe, receive events, send calls.
 *
 * Events arrive both as an async iterator ({@link events}) and as typed callbacks
 * ({@link on}). Calls made before the subscription completes (or while the driver
 * re-subscribes) are queued and sent, in order, once subscribed. When the stream
 * breaks or heartbeats stop, the driver emits `disconnected`, re-subscribes with
 * the same framework ID (with backoff) and then asks for an implicit reconciliation.
 * A call written just as a stream breaks may be lost, as in Mesos: that
 * reconciliation tells the framework where its tasks stand.
 *
 * @example
 * ```ts
 * const driver = new SchedulerDriver({ master: '127.0.0.1:5060', framework: { name: 'hello', user: 'nobody' } });
 * driver.on('offers', ({ offers }) => driver.decline((offers ?? []).map((o) => o.id!.value!)));
 * driver.on('update', ({ status }) => console.log(status?.taskId?.value, taskStateName(status?.state)));
 * const { frameworkId } = await driver.start();
 * ```
 */
export class SchedulerDriver {
  private readonly logger: Logger;
  private readonly autoAcknowledge: boolean;
  private readonly subscription: Subscription;
  private readonly handlers = new HandlerRegistry();
  private readonly stream = new EventStream<Event>();
  private readonly tracker = new UpdateTracker();
  private readonly pending: ICall[] = [];

  private stopped = false;
  private chain: Promise<void> = Promise.resolve();
  private started: Promise<Subscribed> | undefined;
  private settleStart: { resolve(s: Subscribed): void; reject(e: Error): void } | undefined;
  private subscribedWaiters: Array<{ resolve(): void; reject(e: Error): void }> = [];

  /** Makes a driver; nothing connects until {@link start}. Throws a `ValidationError` for a malformed `master`. */
  constructor(options: SchedulerDriverOptions) {
    this.autoAcknowledge = options.autoAcknowledge ?? true;
    this.logger = options.logger ?? createLogger('scheduler-driver');
    this.subscription = new Subscription({
      detector: options.detector ?? createMasterDetector(options.master),
      framework: options.framework,
      frameworkId: options.framework.id?.value || undefined,
      clock: options.clock ?? systemClock,
      logger: this.logger,
      backoffMs: options.reconnectBackoffMs ?? 1_000,
      tls: loadClientTls(options.tls),
      metadata: credentialMetadata(options.credential ? checkCredential(options.credential) : credentialFromEnv()),
      listener: {
        subscribed: (event, reconnected) => this.onSubscribed(event, reconnected),
        event: (event) => this.onEvent(event),
        refused: (event) => this.dispatch(event),
        disconnected: (payload) => this.emitDisconnected(payload),
        failed: (error) => this.onFailed(error),
      },
    });
  }

  /**
   * Subscribes. Resolves on the first SUBSCRIBED event; rejects with a
   * {@link SubscribeRefusedError} if the master refuses, or a
   * {@link DriverStoppedError} if the driver is stopped first. While the
   * master cannot be reached, it keeps trying (with backoff) and logs why.
   */
  start(): Promise<Subscribed> {
    if (this.stopped) return Promise.reject(new DriverStoppedError('start()'));
    if (this.started) return this.started;
    this.started = new Promise<Subscribed>((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    this.subscription.start();
    return this.started;
  }

  /** The framework ID: the one given, or the one the master assigned. */
  get frameworkId(): string | undefined {
    return this.subscription.frameworkId;
  }

  /** True while a subscription is live (calls go out at once rather than being queued). */
  get isSubscribed(): boolean {
    return !this.stopped && this.subscription.state === 'subscribed';
  }

  /**
   * Every event, in order, as an async iterator; several iterators may run at
   * once, each seeing the events received after it was created. It ends when
   * the driver stops. Breaking out of a `for await` loop detaches it.
   *
   * @example
   * ```ts
   * for await (const event of driver.events()) {
   *   if (event.type === EventType.OFFERS) handleOffers(event.offers?.offers ?? []);
   * }
   * ```
   */
  events(): AsyncIterableIterator<Event> {
    return this.stream.iterator();
  }

  /**
   * Registers a typed callback; returns a function that removes it. The
   * payload is the event's sub-message (`offers` gets `{ offers }`, `update`
   * gets `{ status }`, `error` gets `{ message, code }`). Handlers run one
   * event at a time, in order; a returned promise is awaited before the next
   * event and before the update is auto-acknowledged. A handler that throws
   * is logged; its update is neither acknowledged nor remembered, so the
   * agent's resend is delivered again.
   *
   * @example
   * ```ts
   * const off = driver.on('update', async ({ status }) => {
   *   await store.save(status);
   * });
   * off();
   * ```
   */
  on<K extends SchedulerEventName>(name: K, handler: SchedulerEventHandler<K>): () => void {
    return this.handlers.add(name, handler);
  }

  /** Accepts offers with the given operations; resources not used are filtered for `filters.refuseSeconds`. */
  accept(offerIds: string[], operations: IOperation[], filters?: IFilters): void {
    this.send(calls.acceptCall(offerIds, operations, filters));
  }

  /** Accepts one or more offers (on one agent) with a single LAUNCH of `tasks`. */
  launch(offerIds: string | string[], tasks: ITaskInfo[], filters?: IFilters): void {
    const ids = typeof offerIds === 'string' ? [offerIds] : offerIds;
    this.send(calls.acceptCall(ids, [calls.launchOperation(tasks)], filters));
  }

  /** Declines offers; `reasons` (e.g. `matchOffers(...).declineReasons`) tell operators why. */
  decline(offerIds: string[], filters?: IFilters, reasons?: IDeclineReason[]): void {
    this.send(calls.declineCall(offerIds, filters, reasons));
  }

  /** Kills a task (SIGTERM, then SIGKILL after the kill policy's grace period). */
  kill(taskId: string, agentId?: string, killPolicy?: IKillPolicy): void {
    this.send(calls.killCall(taskId, agentId, killPolicy));
  }

  /** Stops offers for these roles (all of the framework's roles when none). */
  suppress(roles?: string[]): void {
    this.send(calls.suppressCall(roles));
  }

  /** Resumes offers for these roles (all when none) and clears offer filters. */
  revive(roles?: string[]): void {
    this.send(calls.reviveCall(roles));
  }

  /** Asks for the state of these tasks, or of every task of the framework when none (implicit). */
  reconcile(tasks?: ReconcileTask[]): void {
    this.send(calls.reconcileCall(tasks));
  }

  /** Acknowledges an update that carries a uuid (only needed with `autoAcknowledge: false`). */
  acknowledge(status: ITaskStatus): void {
    const call = calls.acknowledgeCall(status);
    if (status.uuid) this.tracker.acknowledged(status.uuid);
    this.send(call);
  }

  /**
   * Sends data to an executor of this framework on `agentId` (it gets a MESSAGE
   * event). Best effort: an executor that is not running there never sees it.
   * Executors answer with `ExecutorDriver.sendMessage`: see the `message` event.
   */
  message(agentId: string, executorId: string, data: Uint8Array): void {
    this.send(calls.messageCall(agentId, executorId, data));
  }

  /** Asks the agent to shut an executor down (its tasks are killed). */
  shutdown(executorId: string, agentId: string): void {
    this.send(calls.shutdownCall(executorId, agentId));
  }

  /**
   * Unregisters the framework (TEARDOWN: its tasks are killed), then closes
   * the stream and stops the driver. Waits for a subscription if there is none yet.
   */
  async teardown(): Promise<void> {
    if (this.stopped) throw new DriverStoppedError('teardown()');
    if (!this.started) void this.start().catch(() => {});
    if (!this.isSubscribed) await this.waitSubscribed();
    await this.subscription.finish(calls.teardownCall());
    await this.stop();
  }

  /**
   * Closes the stream and stops the driver. The framework stays registered
   * with the master for its `failover_timeout`: a new driver with
   * `framework.id` set resumes it. Iterators end once drained.
   */
  stop(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopped = true;
    this.subscription.close();
    const stopped = new DriverStoppedError('the subscription');
    this.settleStart?.reject(stopped);
    this.settleStart = undefined;
    for (const w of this.subscribedWaiters.splice(0)) w.reject(stopped);
    this.pending.length = 0;
    this.stream.close();
    return Promise.resolve();
  }

  // ---- from the subscription ----------------------------------------------------

  private onSubscribed(event: Event, reconnected: boolean): void {
    const sub = event.subscribed ?? {};
    // After a reconnection, learn what happened to our tasks while we were away.
    if (reconnected) this.send(calls.reconcileCall());
    for (const call of this.pending.splice(0)) this.send(call);
    this.settleStart?.resolve({
      frameworkId: this.subscription.frameworkId ?? '',
      streamId: this.subscription.streamId,
      heartbeatIntervalSeconds: this.subscription.heartbeatSeconds,
      masterInfo: sub.masterInfo ?? {},
    });
    this.settleStart = undefined;
    for (const w of this.subscribedWaiters.splice(0)) w.resolve();
    this.dispatch(event);
  }

  private onEvent(event: Event): void {
    if (event.type === EventType.UPDATE && calls.needsAcknowledgement(event.update?.status)) {
      const status = event.update?.status ?? {};
      const verdict = this.tracker.observe(status.uuid ?? new Uint8Array());
      if (verdict === 'drop') return;
      if (verdict === 'reacknowledge') {
        this.logger.debug('duplicate update acknowledged again', { taskId: status.taskId?.value });
        this.send(calls.acknowledgeCall(status));
        return;
      }
    }
    this.dispatch(event);
  }

  /** The subscription is over for good: reject start(), let handlers see what came, then stop. */
  private onFailed(error: SubscribeRefusedError): void {
    this.settleStart?.reject(error);
    this.settleStart = undefined;
    this.chain = this.chain.then(() => this.stop());
  }

  /** Hands an event to the iterators and the handlers, in order; auto-acknowledges updates. */
  private dispatch(event: Event): void {
    // Iterators get the event at once (each has its own queue); callbacks run one event at a time.
    this.stream.publish(event);
    this.chain = this.chain.then(async () => {
      const p = payloadOf(event);
      if (!p) return;
      if (p.name === 'error' && this.handlers.count('error') === 0) {
        this.logger.warn('master error (no error handler)', { code: p.payload.code, message: p.payload.message });
      }
      const errors = await this.handlers.run(p.name, p.payload, event);
      for (const err of errors) this.logger.error(`'${p.name}' handler failed`, { error: String(err) });
      if (p.name !== 'update') return;
      const status = p.payload.status;
      if (!status || !calls.needsAcknowledgement(status)) return;
      if (errors.length > 0) {
        this.tracker.forget(status.uuid ?? new Uint8Array());
        this.logger.warn('update not acknowledged because a handler failed; it will be resent', {
          taskId: status.taskId?.value,
          state: taskStateName(status.state),
        });
      } else if (this.autoAcknowledge && !this.stopped) {
        this.acknowledge(status);
      }
    });
  }

  private emitDisconnected(payload: DisconnectedEvent): void {
    this.chain = this.chain.then(async () => {
      const errors = await this.handlers.run('disconnected', payload);
      for (const err of errors) this.logger.error(`'disconnected' handler failed`, { error: String(err) });
    });
  }

  private send(call: ICall): void {
    if (this.stopped) throw new DriverStoppedError(`${CallType[call.type ?? 0]} call`);
    if (!this.subscription.send(call)) this.pending.push(call);
  }

  private waitSubscribed(): Promise<void> {
    return new Promise((resolve, reject) => this.subscribedWaiters.push({ resolve, reject }));
  }
}
