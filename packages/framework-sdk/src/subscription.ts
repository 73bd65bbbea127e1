// Keeping one subscription alive: connect, SUBSCRIBE, watch heartbeats and
// epochs, reconnect with backoff. It knows nothing of handlers or queues; it
// tells its listener what happened.
//
// Each connection attempt has a generation number; callbacks from an older
// one are ignored, so a late event from a dead stream changes nothing.
import * as grpc from '@grpc/grpc-js';
import { EventType } from '@mesocosm/protocol';
import type { Clock, Event, ICall, IFrameworkInfo, Logger, TimerHandle, TlsMaterial } from '@mesocosm/protocol';
import { backoffDelay } from './backoff.js';
import { subscribeCall } from './calls.js';
import { MasterConnection } from './connection.js';
import type { MasterDetector } from './detector.js';
import { SubscribeRefusedError } from './errors.js';
import type { DisconnectedEvent } from './event-map.js';

/** What a {@link Subscription} reports. @internal */
export interface SubscriptionListener {
  /** SUBSCRIBED arrived; `reconnected` is true from the second time on. */
  subscribed(event: Event, reconnected: boolean): void;
  /** Any other event on a live subscription (older epochs already dropped). */
  event(event: Event): void;
  /** An ERROR event that answered SUBSCRIBE (followed by a retry or by `failed`). */
  refused(event: Event): void;
  disconnected(payload: DisconnectedEvent): void;
  /** The subscription cannot be had or kept; nothing more will be reported. */
  failed(error: SubscribeRefusedError): void;
}

/** @internal */
export interface SubscriptionOptions {
  detector: MasterDetector;
  framework: IFrameworkInfo;
  frameworkId: string | undefined;
  clock: Clock;
  logger: Logger;
  backoffMs: number;
  listener: SubscriptionListener;
  /** TLS to the master (every master the detector names); undefined: plaintext. */
  tls?: TlsMaterial;
  /** Sent when each stream opens: the framework's credential (see credential.ts). */
  metadata?: grpc.Metadata;
}

/** Master error codes after which re-subscribing may succeed later. */
const RETRYABLE_REFUSALS: ReadonlySet<string> = new Set(['NOT_LEADER', 'DISCONNECTED', 'TIMEOUT', 'INTERNAL']);
/** Heartbeats missed before the master is declared gone. */
const MISSED_HEARTBEATS = 5;
const DEFAULT_HEARTBEAT_SECONDS = 15;
const TEARDOWN_GRACE_MS = 5_000;
/** gRPC statuses that mean "not reachable (yet)" or "cut", rather than "refused". */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.CANCELLED,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.OK,
]);

/** @internal */
export type SubscriptionState = 'idle' | 'connecting' | 'subscribed' | 'disconnected' | 'closed';

/** One framework's subscription to the leading master, re-established when lost. @internal */
export class Subscription {
  state: SubscriptionState = 'idle';
  frameworkId: string | undefined;
  streamId = '';
  heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;

  private connection: MasterConnection | undefined;
  private generation = 0;
  private attempt = 0;
  private highestEpoch = 0;
  private everSubscribed = false;
  private watchdog: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;
  /** The leader address a `detect(previous)` is waiting to see replaced. */
  private followingLeader: string | undefined;

  constructor(private readonly o: SubscriptionOptions) {
    this.frameworkId = o.frameworkId;
  }

  start(): void {
    if (this.state === 'idle') void this.connect();
  }

  /** Stamps the call with the stream and framework IDs and writes it; false when not subscribed. */
  send(call: ICall): boolean {
    if (this.state !== 'subscribed' || !this.connection) return false;
    return this.connection.send({ ...call, frameworkId: { value: this.frameworkId ?? '' }, streamId: this.streamId });
  }

  /** Sends `last` (e.g. TEARDOWN), lets the master end the stream, and closes for good. */
  async finish(last: ICall): Promise<void> {
    const conn = this.connection;
    const sent = this.send(last);
    this.connection = undefined; // so that close() does not cancel it before `last` is out
    this.close();
    if (!conn) return;
    if (sent) await conn.closeGracefully(this.o.clock, TEARDOWN_GRACE_MS);
    else conn.close();
  }

  /** Closes for good; nothing more is reported. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.generation++;
    this.connection?.close();
    this.connection = undefined;
    this.clearTimer('watchdog');
    this.clearTimer('reconnectTimer');
    this.o.detector.close();
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.state = 'connecting';
    let address: string;
    try {
      address = await this.o.detector.detect();
    } catch (err) {
      if (gen !== this.generation) return;
      this.o.logger.warn('master detection failed', { error: String(err) });
      this.scheduleReconnect();
      return;
    }
    if (gen !== this.generation) return;
    this.o.logger.debug('subscribing', { master: address, frameworkId: this.frameworkId });
    this.connection = new MasterConnection(
      address,
      {
        onEvent: (event) => this.onWireEvent(gen, event),
        onClose: (reason, status) => this.onStreamOver(gen, reason, status),
      },
      this.o.tls,
      this.o.metadata,
    );
    this.connection.send(subscribeCall(this.o.framework, this.frameworkId));
    this.armWatchdog();
    this.followLeader(address);
  }

  /**
   * Waits for the detector to report another leader than `address`; then
   * leaves `address` (if still connected to it) and subscribes to the new
   * one at once. One wait per leader, however many reconnections.
   */
  private followLeader(address: string): void {
    if (this.followingLeader === address) return;
    this.followingLeader = address;
    const settled = (): void => {
      if (this.followingLeader === address) this.followingLeader = undefined;
    };
    this.o.detector.detect(address).then((next) => {
      settled();
      if (this.state === 'closed' || next === address) return;
      if (this.connection?.address === address) {
        this.dropConnection();
        this.lost(`a new leading master was detected at ${next}`);
      }
      // Waiting out a backoff for the old leader: try the new one now.
      if (this.reconnectTimer) {
        this.clearTimer('reconnectTimer');
        void this.connect();
      }
    }, settled);
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.o.backoffMs, this.attempt++);
    this.state = 'disconnected';
    this.o.logger.info('re-subscribing after backoff', { delayMs: delay, attempt: this.attempt });
    this.reconnectTimer = this.o.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.state !== 'closed') void this.connect();
    }, delay);
  }

  /** Ends the current connection (if any) and ignores whatever it still reports. */
  private dropConnection(): void {
    this.generation++;
    this.connection?.close();
    this.connection = undefined;
    this.clearTimer('watchdog');
  }

  private onStreamOver(gen: number, reason: string, status?: grpc.StatusObject): void {
    if (gen !== this.generation || this.state === 'closed') return;
    this.connection = undefined;
    this.clearTimer('watchdog');
    this.lost(reason, status);
  }

  /** The connection is gone (already dropped): report it and retry, or give up. */
  private lost(reason: string, status?: grpc.StatusObject): void {
    if (!this.everSubscribed && status && !TRANSIENT_STATUSES.has(status.code)) {
      const name = grpc.status[status.code] ?? `GRPC_${status.code}`;
      this.fail(new SubscribeRefusedError(name, status.details || reason));
      return;
    }
    if (this.state === 'subscribed') {
      this.streamId = '';
      const error = status ? Object.assign(new Error(reason), { code: status.code }) : undefined;
      this.o.logger.warn('disconnected from the master', { reason });
      this.o.listener.disconnected({ reason, willReconnect: true, ...(error ? { error } : {}) });
    } else {
      this.o.logger.warn('cannot subscribe', { reason });
    }
    this.scheduleReconnect();
  }

  private fail(error: SubscribeRefusedError): void {
    this.o.logger.error(error.message);
    const wasSubscribed = this.everSubscribed;
    this.close();
    if (wasSubscribed) this.o.listener.disconnected({ reason: error.message, error, willReconnect: false });
    this.o.listener.failed(error);
  }

  private armWatchdog(): void {
    this.clearTimer('watchdog');
    const ms = Math.round(MISSED_HEARTBEATS * this.heartbeatSeconds * 1000);
    const gen = this.generation;
    this.watchdog = this.o.clock.setTimeout(() => {
      this.watchdog = undefined;
      if (gen !== this.generation || this.state === 'closed') return;
      this.dropConnection();
      this.lost(`no heartbeat from the master for ${ms} ms`);
    }, ms);
  }

  private clearTimer(which: 'watchdog' | 'reconnectTimer'): void {
    const t = this[which];
    if (t) this.o.clock.clearTimeout(t);
    this[which] = undefined;
  }

  private onWireEvent(gen: number, event: Event): void {
    if (gen !== this.generation || this.state === 'closed') return;
    const epoch = Number(event.epoch ?? 0);
    if (epoch < this.highestEpoch) {
      this.o.logger.warn('dropping an event from an older master epoch (a deposed leader?)', {
        type: EventType[event.type],
        epoch,
        highestEpoch: this.highestEpoch,
      });
      if (this.state === 'connecting' && event.type === EventType.SUBSCRIBED) {
        this.dropConnection();
        this.lost(`subscribed by a master of an older epoch (${epoch} < ${this.highestEpoch})`);
      }
      return;
    }
    this.highestEpoch = epoch;
    this.armWatchdog(); // any event proves the master alive
    if (this.state === 'connecting') {
      if (event.type === EventType.SUBSCRIBED) this.onSubscribed(event);
      else if (event.type === EventType.ERROR) this.onRefused(event);
      else this.o.logger.debug('ignoring an event before SUBSCRIBED', { type: EventType[event.type] });
      return;
    }
    this.o.listener.event(event);
    if (event.type === EventType.ERROR && event.error?.code === 'FRAMEWORK_FAILED_OVER') {
      // Another scheduler instance took over this framework: re-subscribing would fight it.
      this.fail(new SubscribeRefusedError('FRAMEWORK_FAILED_OVER', event.error.message || 'failed over'));
    }
  }

  private onSubscribed(event: Event): void {
    const sub = event.subscribed ?? {};
    const reconnected = this.everSubscribed;
    this.frameworkId = sub.frameworkId?.value || this.frameworkId;
    this.streamId = sub.streamId ?? '';
    this.heartbeatSeconds = sub.heartbeatIntervalSeconds || DEFAULT_HEARTBEAT_SECONDS;
    this.armWatchdog();
    this.state = 'subscribed';
    this.everSubscribed = true;
    this.attempt = 0;
    this.o.logger.info(reconnected ? 're-subscribed' : 'subscribed', {
      frameworkId: this.frameworkId,
      streamId: this.streamId,
    });
    this.o.listener.subscribed(event, reconnected);
  }

  private onRefused(event: Event): void {
    const code = event.error?.code || 'UNKNOWN';
    this.o.listener.refused(event);
    this.dropConnection();
    if (this.everSubscribed && RETRYABLE_REFUSALS.has(code)) {
      this.o.logger.warn('re-subscription refused; retrying', { code, message: event.error?.message });
      this.scheduleReconnect();
      return;
    }
    this.fail(new SubscribeRefusedError(code, event.error?.message || 'no reason given'));
  }
}
