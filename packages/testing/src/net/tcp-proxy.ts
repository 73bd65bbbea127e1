// A byte-level TCP proxy for fault injection: forward, blackhole (a silent
// partition: connections stay open, nothing passes, data is dropped), or cut
// (every connection reset).
import { createServer, connect, type Server, type Socket } from 'node:net';
import { ProxyError } from './errors.js';

/** Options of {@link TcpProxy.start}. */
export interface TcpProxyOptions {
  /** Where to forward: `host:port`. */
  target: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on (default 0: a free port). */
  port?: number;
}

/** Byte and connection counters of a {@link TcpProxy}. */
export interface TcpProxyStats {
  /** Bytes forwarded from clients to the target. */
  toTarget: number;
  /** Bytes forwarded from the target to clients. */
  toClient: number;
  /** Bytes read and thrown away while blackholed (both directions). */
  dropped: number;
  /** Client connections accepted so far. */
  accepted: number;
  /** Client connections open now. */
  open: number;
}

interface Pair {
  client: Socket;
  /** Absent while the connection was accepted during a blackhole and not restored yet. */
  target: Socket | undefined;
}

function splitHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  if (!m) throw new ProxyError(`proxy target '${address}' is not host:port`);
  return { host: m[1] ?? m[2] ?? '', port: Number(m[3]) };
}

/**
 * Forwards TCP connections to a target, with faults on demand.
 *
 * - {@link blackhole}: a silent partition. Open connections stay open, and new
 *   ones are accepted and held (the target is not dialled), but nothing passes
 *   in either direction: bytes are read and dropped, not buffered, so they are
 *   lost for good even after {@link restore}. Peers notice only through their
 *   own timeouts (keepalives, heartbeats).
 * - {@link restore}: forwarding again; connections held during the blackhole
 *   dial the target now. (A framed protocol such as HTTP/2 that lost bytes is
 *   corrupt on those connections: it will fail and reconnect.)
 * - {@link cut}: every open connection is reset (RST) on both sides.
 *
 * @example
 * ```ts
 * const proxy = await TcpProxy.start({ target: cluster.masterGrpc });
 * // point the client at proxy.address, then:
 * proxy.blackhole();
 * proxy.restore();
 * proxy.cut();
 * ```
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private readonly counters = { toTarget: 0, toClient: 0, dropped: 0, accepted: 0 };
  private holed = false;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
    /** The address clients connect to, `host:port`. */
    readonly address: string,
    /** The listening port. */
    readonly port: number,
  ) {}

  /** Listens and resolves once it accepts connections. */
  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const target = splitHostPort(options.target);
    const host = options.host ?? '127.0.0.1';
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new ProxyError(`the TCP proxy cannot listen on ${host}: ${err.message}`, err)),
      );
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const a = server.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    const proxy = new TcpProxy(server, target, `${host.includes(':') ? `[${host}]` : host}:${port}`, port);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  /** Whether the proxy is blackholed. */
  get blackholed(): boolean {
    return this.holed;
  }

  /** The counters so far. */
  stats(): TcpProxyStats {
    return { ...this.counters, open: this.pairs.size };
  }

  /** Stops forwarding in both directions without closing anything (see the class comment). */
  blackhole(): void {
    this.holed = true;
  }

  /** Forwards again; connections accepted during the blackhole dial the target now. */
  restore(): void {
    this.holed = false;
    for (const pair of this.pairs) if (!pair.target) this.dial(pair);
  }

  /** Resets every open connection (clients and target see ECONNRESET); new ones are still accepted. */
  cut(): void {
    for (const pair of [...this.pairs]) this.reset(pair);
  }

  /** Resets every connection and stops listening. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.counters.accepted++;
    client.setNoDelay(true);
    const pair: Pair = { client, target: undefined };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (this.holed || !pair.target) {
        this.counters.dropped += chunk.length;
        return;
      }
      this.counters.toTarget += chunk.length;
      pair.target.write(chunk);
    });
    client.on('end', () => {
      if (!this.holed) pair.target?.end();
    });
    client.on('error', () => this.reset(pair));
    client.on('close', () => this.sideClosed(pair));
    if (!this.holed) this.dial(pair);
  }

  private dial(pair: Pair): void {
    const target = connect({ host: this.target.host, port: this.target.port, noDelay: true });
    pair.target = target;
    target.on('data', (chunk: Buffer) => {
      if (this.holed) {
        this.counters.dropped += chunk.length;
        return;
      }
      this.counters.toClient += chunk.length;
      pair.client.write(chunk);
    });
    target.on('end', () => {
      if (!this.holed) pair.client.end();
    });
    target.on('error', () => this.reset(pair));
    target.on('close', () => this.sideClosed(pair));
  }

  /** One side closed after a clean end: close the other one too, without a reset. */
  private sideClosed(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroySoon();
    pair.target?.destroySoon();
  }

  private reset(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.target && !pair.target.destroyed) pair.target.resetAndDestroy();
  }
}
