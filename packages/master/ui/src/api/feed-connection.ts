// The WebSocket to the master's feed, and following the leader: a standby's
// LEADER message sends the page to the leader (keeping the hash); when the
// socket drops, every known master is tried with backoff until one answers
// with a snapshot (this one again, or the new leader: go there) or names the
// leader.
import { backoffMs, feedUrl, leaderTarget, normalizeBase, probeCandidates } from '../lib/failover.js';
import type { FeedMessage } from '../lib/types.js';

/** What the connection indicator shows. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Connected to a standby that knows no leader yet. */
  | { kind: 'standby' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number | undefined }
  | { kind: 'redirecting'; to: string };

/** What the connection needs from the page. */
export interface FeedConnectionOptions {
  /** This page's origin (`http://host:port`). */
  origin: string;
  /** The page's current hash, kept when moving to the leader. */
  hash(): string;
  /** Leaves for another master's UI. */
  navigate(url: string): void;
  onMessage(msg: FeedMessage): void;
  onState(state: ConnectionState): void;
  /** How long a probe may take to answer (default 4 s). */
  probeTimeoutMs?: number;
}

function parse(data: unknown): FeedMessage | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const msg = JSON.parse(data) as { type?: unknown };
    return typeof msg.type === 'string' ? (msg as FeedMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** One live feed, reconnecting and following the leader until stopped. */
export class FeedConnection {
  private socket: WebSocket | undefined;
  private probes: { socket: WebSocket; deadline: ReturnType<typeof setTimeout> }[] = [];
  private round = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private masters: string[] = [];
  private attempt = 0;
  private stopped = false;

  constructor(private readonly options: FeedConnectionOptions) {}

  start(): void {
    this.options.onState({ kind: 'connecting' });
    this.attach(new WebSocket(feedUrl(this.options.origin)));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.closeProbes();
    this.socket?.close();
  }

  /** The masters last heard of (for display). */
  knownMasters(): readonly string[] {
    return this.masters;
  }

  private attach(socket: WebSocket): void {
    this.socket = socket;
    socket.onmessage = (ev) => {
      const msg = parse(ev.data);
      if (msg) this.handle(msg);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = undefined;
      this.retry();
    };
  }

  private handle(msg: FeedMessage): void {
    if (msg.type === 'LEADER') {
      if (msg.masters.length > 0) this.masters = msg.masters;
      if (!this.goToLeader(msg.leader_url)) this.options.onState({ kind: 'standby' });
      return;
    }
    if (msg.type === 'SNAPSHOT') {
      if (msg.summary.masters.length > 0) this.masters = msg.summary.masters;
      this.attempt = 0;
      this.options.onState({ kind: 'live' });
    } else if (msg.type === 'SUMMARY' && msg.summary.masters.length > 0) {
      this.masters = msg.summary.masters;
    }
    this.options.onMessage(msg);
  }

  /** Navigates to the leader when it is another master; false when it is unknown or this one. */
  private goToLeader(leaderUrl: string): boolean {
    const target = leaderTarget(leaderUrl, this.options.origin, this.options.hash());
    if (!target) return false;
    this.stopped = true;
    clearTimeout(this.timer);
    this.closeProbes();
    this.socket?.close();
    this.options.onState({ kind: 'redirecting', to: target });
    this.options.navigate(target);
    return true;
  }

  private retry(): void {
    const delay = this.attempt === 0 ? 0 : backoffMs(this.attempt - 1);
    this.options.onState({ kind: 'reconnecting', attempt: this.attempt, retryAt: Date.now() + delay });
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.probeRound(), delay);
  }

  /** Opens a socket to every candidate; the first to answer decides. */
  private probeRound(): void {
    if (this.stopped) return;
    const round = ++this.round;
    const origin = normalizeBase(this.options.origin);
    const candidates = probeCandidates(origin, this.masters);
    let pending = candidates.length;
    const current = (): boolean => round === this.round && !this.stopped && this.socket === undefined;
    const failed = (): void => {
      pending--;
      if (pending === 0 && current()) {
        this.closeProbes();
        this.retry();
      }
    };
    for (const base of candidates) {
      let socket: WebSocket;
      try {
        socket = new WebSocket(feedUrl(base));
      } catch {
        failed();
        continue;
      }
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        failed();
      };
      const deadline = setTimeout(() => {
        socket.close();
        settle();
      }, this.options.probeTimeoutMs ?? 4000);
      this.probes.push({ socket, deadline });
      socket.onclose = settle;
      socket.onmessage = (ev) => {
        const msg = parse(ev.data);
        if (!msg || !current()) return;
        if (msg.type === 'LEADER') {
          if (msg.masters.length > 0) this.masters = msg.masters;
          // A standby that names another master: go there. One that knows no
          // leader (or names this page's master): wait for the others.
          this.goToLeader(msg.leader_url);
          return;
        }
        if (msg.type !== 'SNAPSHOT') return;
        settled = true;
        clearTimeout(deadline);
        if (base === origin) {
          this.probes = this.probes.filter((p) => p.socket !== socket);
          this.closeProbes();
          this.attach(socket);
          this.handle(msg);
        } else {
          if (!this.goToLeader(msg.summary.leader_url || base)) failed();
        }
      };
    }
    if (candidates.length === 0) this.retry();
  }

  private closeProbes(): void {
    for (const { socket, deadline } of this.probes) {
      clearTimeout(deadline);
      socket.onmessage = null;
      socket.onclose = null;
      socket.close();
    }
    this.probes = [];
  }
}
