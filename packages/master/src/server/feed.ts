// The live feed: WebSocket `/api/v1/feed` on the master's HTTP server
// (ws, noServer). On the leader a client gets a SNAPSHOT, then deltas batched
// at most every `batchMs` from the change log's dirty marks (the offer list,
// sent whole, at most every `offersMs`), and a SAMPLE of the allocation every
// `sampleMs` (the last `maxSamples` kept for snapshots).
// On a standby it gets LEADER, again whenever who leads changes, and a
// SNAPSHOT if this master is elected.
//
// Back-pressure: a client whose socket has more than `maxBufferedBytes`
// unsent is skipped (it misses deltas); once it has drained below a quarter
// of that, it gets a fresh SNAPSHOT instead of what it missed.
//
// View ACLs: each client holds the viewer of the principal it authenticated
// as, and gets only what that viewer may see (views/feed-filter.ts, as
// /master/state). Messages are built once per flush and serialized once for
// the clients that see everything, and once per principal for the others.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { TimerHandle } from '@mesocosm/protocol';
import type { Viewer } from '../auth/viewer.js';
import type { MasterCore } from '../core/master-core.js';
import { visibleMessage } from '../views/feed-filter.js';
import type { AllocationSample, FeedMessage } from '../views/feed-types.js';
import { deltaMessages, leaderMessage, snapshotMessage, summaryKey } from '../views/feed-messages.js';
import { allocationSample, stateSummary } from '../views/summary.js';

/** The path of the feed. */
export const FEED_PATH = '/api/v1/feed';

/** Tuning of a {@link Feed}; the defaults suit the web UI. */
export interface FeedOptions {
  /** Deltas at most this often, ms (default 250). */
  batchMs?: number;
  /** Allocation samples this often, ms (default 1 000). */
  sampleMs?: number;
  /** The offer list (OFFERS, the whole list) at most this often, ms (default 1 000). */
  offersMs?: number;
  /** Samples kept (default 300: five minutes at one a second). */
  maxSamples?: number;
  /** A client with more unsent bytes than this misses deltas until it drains (default 8 MiB). */
  maxBufferedBytes?: number;
  /** At most this many clients at once (default 256); more are refused with 503. */
  maxClients?: number;
  /** Pings every this often, ms; a client that has not answered the last one is dropped (default 30 000). */
  pingMs?: number;
  /** How many bytes a socket has not sent yet (default its `bufferedAmount`); tests replace it. @internal */
  bufferedAmount?: (ws: WebSocket) => number;
}

interface Client {
  readonly ws: WebSocket;
  /** Who it authenticated as (undefined: anonymous), and what that one may see. */
  readonly principal: string | undefined;
  readonly viewer: Viewer;
  /**
   * The offer IDs of the OFFERS (or SNAPSHOT) last sent to a client that does
   * not see everything: a list of the same offers (only hidden ones changed) is not sent again.
   */
  lastOffers: string;
  /** What it was last sent: snapshots and deltas (leader) or LEADER (standby). */
  mode: 'leader' | 'standby';
  /** Skipped deltas: gets a snapshot once drained. */
  stale: boolean;
  /** The LEADER message last sent (standby). */
  lastLeader: string;
  alive: boolean;
}

/** A message as sent to the clients of one principal; `offers`: the key of an OFFERS message's offers. */
interface VisibleText {
  readonly text: string;
  readonly offers?: string;
}

/** What tells two offer lists apart (their rows differ otherwise only in age). */
function offersKey(offers: readonly { id: string }[]): string {
  return offers.map((o) => o.id).join(',');
}

/** The live feed of one master. @internal */
export class Feed {
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly samples: AllocationSample[] = [];
  private readonly opts: Required<FeedOptions>;
  private flushTimer: TimerHandle | undefined;
  private flushAt = 0;
  private sampleTimer: TimerHandle | undefined;
  private lastFlush = 0;
  /** Offers changed since the last OFFERS, and when that was. */
  private offersDirty = false;
  private lastOffers = 0;
  private lastSummary = '';
  private summaryDue = false;
  private sincePing = 0;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly core: MasterCore,
    options: FeedOptions = {},
  ) {
    this.opts = {
      batchMs: options.batchMs ?? 250,
      sampleMs: options.sampleMs ?? 1000,
      offersMs: options.offersMs ?? 1000,
      maxSamples: options.maxSamples ?? 300,
      maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
      maxClients: options.maxClients ?? 256,
      pingMs: options.pingMs ?? 30_000,
      bufferedAmount: options.bufferedAmount ?? ((ws) => ws.bufferedAmount),
    };
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024, clientTracking: false });
    this.unsubscribe = core.ctx.changes.onLeadership(() => this.leadershipChanged());
    this.armSample();
  }

  /** The samples kept, oldest first. */
  get sampleRing(): readonly AllocationSample[] {
    return this.samples;
  }

  /** How many clients are connected. */
  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Takes over an HTTP upgrade request for {@link FEED_PATH} from `principal`
   * (authenticated by the caller; undefined: anonymous), who will get only
   * what the view ACLs let them see.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, principal?: string): void {
    if (this.closed || this.clients.size >= this.opts.maxClients) {
      const why = this.closed ? 'the master is stopping' : `over ${this.opts.maxClients} feed clients`;
      socket.end(`HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${why}\n`);
      return;
    }
    const viewer = this.core.viewer(principal);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, principal, viewer));
  }

  /** Closes every client (1001 going away) and stops the timers. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.core.ctx.changes.untrack();
    for (const t of [this.flushTimer, this.sampleTimer]) if (t) this.core.clock.clearTimeout(t);
    this.flushTimer = this.sampleTimer = undefined;
    for (const c of this.clients) c.ws.close(1001, 'master stopping');
    this.clients.clear();
    this.wss.close();
  }

  private connected(ws: WebSocket, principal: string | undefined, viewer: Viewer): void {
    const client: Client = {
      ws,
      principal,
      viewer,
      lastOffers: '',
      mode: 'standby',
      stale: false,
      lastLeader: '',
      alive: true,
    };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', () => undefined); // nothing is read from clients
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.clients.delete(client);
      this.updateTracking();
    });
    this.greet(client);
    this.updateTracking();
  }

  /** A new client, or one whose master's leadership changed: SNAPSHOT on the leader, LEADER otherwise. */
  private greet(client: Client): void {
    if (this.core.leading) {
      client.mode = 'leader';
      client.stale = false;
      const snapshot = snapshotMessage(this.core.ctx, this.samples);
      const shown = client.viewer.all ? snapshot : visibleMessage(this.core.ctx, snapshot, client.viewer);
      if (shown?.type !== 'SNAPSHOT') return; // (a snapshot is always shown)
      if (!client.viewer.all) client.lastOffers = offersKey(shown.offers);
      this.send(client, JSON.stringify(shown));
    } else {
      client.mode = 'standby';
      const text = JSON.stringify(leaderMessage(this.core.ctx));
      if (text === client.lastLeader) return;
      client.lastLeader = text;
      this.send(client, text);
    }
  }

  private leadershipChanged(): void {
    if (this.closed) return;
    if (!this.core.leading) this.samples.length = 0;
    for (const c of this.clients) {
      if (this.core.leading && c.mode === 'leader') continue;
      this.greet(c);
    }
    // The group of masters may have changed: the summary names them.
    this.summaryDue = this.core.leading;
    this.updateTracking();
    if (this.summaryDue) this.scheduleFlush();
  }

  /** Marks are recorded only while a client watches the leader. */
  private updateTracking(): void {
    const changes = this.core.ctx.changes;
    const want = !this.closed && this.core.leading && [...this.clients].some((c) => c.mode === 'leader');
    if (want && !changes.isTracking) {
      this.offersDirty = false;
      changes.track(() => this.scheduleFlush());
      this.lastSummary = summaryKey(stateSummary(this.core.ctx));
    } else if (!want && changes.isTracking) {
      changes.untrack();
      if (this.flushTimer) this.core.clock.clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
  }

  /** A flush at `at` (clock ms), unless one is due by then already. */
  private scheduleFlush(at = this.lastFlush + this.opts.batchMs): void {
    if (this.closed || (this.flushTimer && this.flushAt <= at)) return;
    if (this.flushTimer) this.core.clock.clearTimeout(this.flushTimer);
    this.flushAt = at;
    this.flushTimer = this.core.clock.setTimeout(
      () => {
        this.flushTimer = undefined;
        this.flush();
      },
      Math.max(0, at - this.core.clock.now()),
    );
  }

  private flush(): void {
    this.lastFlush = this.core.clock.now();
    const ctx = this.core.ctx;
    if (!this.core.leading || !ctx.changes.isTracking) return;
    const marks = ctx.changes.take();
    this.offersDirty ||= marks.offers;
    const offersDue = this.lastOffers + this.opts.offersMs;
    const sendOffers = this.offersDirty && this.lastFlush >= offersDue;
    if (sendOffers) {
      this.offersDirty = false;
      this.lastOffers = this.lastFlush;
    }
    const messages = deltaMessages(ctx, { ...marks, offers: sendOffers });
    if (messages.length > 0 || this.summaryDue) {
      this.summaryDue = false;
      const summary = stateSummary(ctx);
      const key = summaryKey(summary);
      if (key !== this.lastSummary) {
        this.lastSummary = key;
        messages.push({ type: 'SUMMARY', summary });
      }
    }
    if (messages.length > 0) this.broadcast(messages);
    // The offer list waits for its own period.
    if (this.offersDirty) this.scheduleFlush(Math.max(offersDue, this.lastFlush + this.opts.batchMs));
  }

  /**
   * Sends to every leader-mode client that keeps up what it may see;
   * refreshes drained stale ones. Serialized once for the clients that see
   * everything, once per principal for the others.
   */
  private broadcast(messages: readonly FeedMessage[]): void {
    let texts: string[] | undefined;
    let byPrincipal: Map<string | undefined, VisibleText[]> | undefined;
    for (const c of this.clients) {
      if (c.mode !== 'leader' || this.refreshIfDrained(c)) continue;
      if (this.opts.bufferedAmount(c.ws) > this.opts.maxBufferedBytes) {
        c.stale = true;
        continue;
      }
      if (c.viewer.all) {
        texts ??= messages.map((m) => JSON.stringify(m));
        for (const text of texts) this.send(c, text);
        continue;
      }
      byPrincipal ??= new Map();
      let shown = byPrincipal.get(c.principal);
      if (shown === undefined) {
        shown = this.visibleTexts(messages, c.viewer);
        byPrincipal.set(c.principal, shown);
      }
      for (const { text, offers } of shown) {
        if (offers !== undefined) {
          if (offers === c.lastOffers) continue;
          c.lastOffers = offers;
        }
        this.send(c, text);
      }
    }
  }

  /**
   * What `viewer` may see of `messages`, serialized (deltas about hidden
   * things only are left out), each OFFERS with the key of its offers.
   */
  private visibleTexts(messages: readonly FeedMessage[], viewer: Viewer): VisibleText[] {
    const out: VisibleText[] = [];
    for (const m of messages) {
      const shown = visibleMessage(this.core.ctx, m, viewer);
      if (shown === undefined) continue;
      const text = JSON.stringify(shown);
      out.push(shown.type === 'OFFERS' ? { text, offers: offersKey(shown.offers) } : { text });
    }
    return out;
  }

  /** A stale client: true while it still waits (or was just sent a fresh snapshot). */
  private refreshIfDrained(c: Client): boolean {
    if (!c.stale) return false;
    if (this.opts.bufferedAmount(c.ws) <= this.opts.maxBufferedBytes / 4) this.greet(c);
    return true;
  }

  private armSample(): void {
    this.sampleTimer = this.core.clock.setTimeout(() => {
      this.sampleTimer = undefined;
      if (this.closed) return;
      this.tick();
      this.armSample();
    }, this.opts.sampleMs);
  }

  /** Every `sampleMs`: the allocation sample (leader), stale clients refreshed, pings. */
  private tick(): void {
    if (this.core.leading) {
      const sample = allocationSample(this.core.ctx);
      this.samples.push(sample);
      if (this.samples.length > this.opts.maxSamples)
        this.samples.splice(0, this.samples.length - this.opts.maxSamples);
      if (this.clients.size > 0) this.broadcast([{ type: 'SAMPLE', sample }]);
    }
    this.sincePing += this.opts.sampleMs;
    if (this.sincePing >= this.opts.pingMs) {
      this.sincePing = 0;
      for (const c of this.clients) {
        if (!c.alive) {
          c.ws.terminate();
          continue;
        }
        c.alive = false;
        c.ws.ping();
      }
    }
  }

  private send(client: Client, text: string): void {
    if (client.ws.readyState === WebSocket.OPEN) client.ws.send(text);
  }
}
