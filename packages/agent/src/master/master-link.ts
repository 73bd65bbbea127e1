// The agent's end of `Agent.Connect`: one bidirectional stream to the
// master, re-opened with exponential backoff whenever it breaks. The master
// is found through the SDK's detector (a fixed host:port or a zk:// URL);
// when the detector reports a new leader, the stream moves to it.
import * as grpc from '@grpc/grpc-js';
import { createMasterDetector, type MasterDetector } from '@mesocosm/framework-sdk';
import {
  AgentService,
  basicAuthorization,
  explainTlsFailure,
  grpcChannelCredentials,
  grpcChannelOptions,
  type TlsMaterial,
  type AgentEvent,
  type Clock,
  type IAgentCall,
  type Logger,
  type TimerHandle,
} from '@mesocosm/protocol';

/** The call metadata of a stream: `authorization: Basic base64(principal:secret)` with a credential. */
function credentialMetadata(credential: MasterLinkOptions['credential']): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (credential) {
    metadata.set('authorization', basicAuthorization(credential.principal, credential.secret));
  }
  return metadata;
}

/** While in backoff with ZooKeeper unreachable, how often to ask the detector again. */
const FAILOVER_RECHECK_MS = 1_000;

/** How the link reaches the agent. */
export interface MasterLinkOptions {
  /** The master: its gRPC address (host:port) or a zk:// URL. */
  address: string;
  /** ZooKeeper session timeout of the detector, with a zk:// address (default 10 s). */
  zkSessionTimeoutMs?: number;
  clock: Clock;
  logger: Logger;
  /** First reconnect delay; doubles per failed attempt. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** TLS to the master (its CA; the agent's certificate for mutual TLS); default plaintext. */
  tls?: TlsMaterial;
  /** Sent as `authorization` metadata when each stream opens (`--credential`); never logged. */
  credential?: { principal: string; secret: string };
  /** The first call of each new stream (REGISTER or REREGISTER). */
  hello: () => IAgentCall;
  onEvent: (event: AgentEvent) => void;
  /** The stream broke (the agent is no longer connected). */
  onDisconnected: (why: string) => void;
}

type Duplex = grpc.ClientDuplexStream<IAgentCall, AgentEvent>;

/** See the file comment. */
export class MasterLink {
  private readonly detector: MasterDetector;
  private client: grpc.Client | undefined;
  private clientAddress = '';
  private followingLeader: string | undefined;
  private stream: Duplex | undefined;
  private retryTimer: TimerHandle | undefined;

  /** The address whose replacement by a new leader ends the current backoff early. */
  private awaitingFailoverFrom: string | undefined;
  private silenceTimer: TimerHandle | undefined;
  private silenceMs = 0;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: MasterLinkOptions) {
    this.detector = createMasterDetector(options.address, {
      clock: options.clock,
      logger: options.logger,
      ...(options.zkSessionTimeoutMs === undefined ? {} : { zkSessionTimeoutMs: options.zkSessionTimeoutMs }),
    });
  }

  /** Opens the first stream. */
  start(): void {
    this.connect();
  }

  /** Sends a call on the current stream; false when there is none. */
  send(call: IAgentCall): boolean {
    if (!this.stream) return false;
    this.stream.write(call);
    return true;
  }

  /** Registration succeeded: the next break starts the backoff from its base again. */
  registered(pingIntervalSeconds: number): void {
    this.failures = 0;
    // A master that stops pinging for five intervals is presumed gone.
    this.silenceMs = pingIntervalSeconds > 0 ? pingIntervalSeconds * 5000 : 0;
    this.armSilenceTimer();
  }

  /** Closes the stream and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) this.options.clock.clearTimeout(this.retryTimer);
    if (this.silenceTimer) this.options.clock.clearTimeout(this.silenceTimer);
    const s = this.stream;
    this.stream = undefined;
    s?.cancel();
    this.client?.close();
    this.detector.close();
  }

  private connect(): void {
    if (this.stopped) return;
    this.detector.detect().then(
      (address) => this.open(address),
      (err: unknown) => this.detectionFailed(String(err)),
    );
  }

  private detectionFailed(why: string): void {
    if (this.stopped) return;
    const delay = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    this.options.logger.warn('cannot detect the leading master; retrying', { master: this.options.address, why });
    this.retryTimer = this.options.clock.setTimeout(() => this.connect(), delay);
    this.retryOnFailover();
  }

  /** Leaves `address` for the new leader as soon as the detector reports one. */
  private followLeader(address: string): void {
    if (this.followingLeader === address) return;
    this.followingLeader = address;
    this.detector.detect(address).then(
      () => {
        if (this.followingLeader === address) this.followingLeader = undefined;
        if (this.stream && this.clientAddress === address)
          this.broken(this.stream, 'a new leading master was detected');
      },
      () => {
        if (this.followingLeader === address) this.followingLeader = undefined;
      },
    );
  }

  private open(address: string): void {
    if (this.stopped) return;
    if (!this.client || this.clientAddress !== address) {
      this.client?.close();
      this.client = new grpc.Client(
        address,
        grpcChannelCredentials(this.options.tls),
        grpcChannelOptions(this.options.tls),
      );
      this.clientAddress = address;
    }
    this.followLeader(address);
    const s: Duplex = this.client.makeBidiStreamRequest(
      AgentService.connect.path,
      AgentService.connect.serialize,
      AgentService.connect.deserialize,
      credentialMetadata(this.options.credential),
    );
    this.stream = s;
    s.on('data', (event: AgentEvent) => {
      if (this.stream !== s) return;
      this.armSilenceTimer();
      this.options.onEvent(event);
    });
    s.on('error', (err: grpc.ServiceError) =>
      this.broken(
        s,
        `${err.code}: ${explainTlsFailure(err.details || err.message, this.options.tls !== undefined, 'master')}`,
      ),
    );
    s.on('end', () => this.broken(s, 'the master closed the stream'));
    s.write(this.options.hello());
  }

  private broken(s: Duplex, why: string): void {
    if (this.stream !== s) return;
    this.stream = undefined;
    s.cancel();
    if (this.silenceTimer) this.options.clock.clearTimeout(this.silenceTimer);
    if (this.stopped) return;
    const delay = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    this.options.logger.warn('disconnected from the master; reconnecting', {
      master: this.options.address,
      why,
      inMs: delay,
    });
    this.options.onDisconnected(why);
    this.retryTimer = this.options.clock.setTimeout(() => this.connect(), delay);
    this.retryOnFailover();
  }

  /**
   * While waiting out a backoff after losing the leader, a new leader in
   * ZooKeeper cuts the wait short: the backoff grew against a dead master,
   * not against the one just elected (it cost 10 s and more per failover).
   */
  private retryOnFailover(): void {
    const failed = this.clientAddress;
    if (failed === undefined || this.awaitingFailoverFrom === failed) return;
    this.awaitingFailoverFrom = failed;
    this.detector.detect(failed).then(
      (next) => {
        if (this.awaitingFailoverFrom === failed) this.awaitingFailoverFrom = undefined;
        if (this.stopped || this.stream || !this.retryTimer || next === failed) return;
        this.options.clock.clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        this.failures = 0;
        this.options.logger.info('a new leading master was detected; reconnecting now', { master: next });
        this.connect();
      },
      () => {
        // Detection itself failed (ZooKeeper unreachable): ask again in a second while still waiting.
        if (this.awaitingFailoverFrom === failed) this.awaitingFailoverFrom = undefined;
        if (this.stopped || this.stream || !this.retryTimer) return;
        this.options.clock.setTimeout(() => {
          if (!this.stopped && !this.stream && this.retryTimer) this.retryOnFailover();
        }, FAILOVER_RECHECK_MS);
      },
    );
  }

  private armSilenceTimer(): void {
    if (this.silenceTimer) this.options.clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    const s = this.stream;
    if (this.silenceMs <= 0 || !s) return;
    this.silenceTimer = this.options.clock.setTimeout(
      () => this.broken(s, `no message from the master for ${this.silenceMs} ms`),
      this.silenceMs,
    );
  }
}
