// A message-level gRPC proxy: it serves one of our services, opens the same
// call to the real server for each incoming one, and passes every message
// through a filter chain that may drop it. Messages travel as the original
// bytes (decoded only to be judged), so nothing is re-encoded, and HTTP/2
// framing stays intact where a byte-level proxy could not drop a message.
import * as grpc from '@grpc/grpc-js';
import { ProxyError } from './errors.js';
import {
  FilterChain,
  type DropRule,
  type MessageCounts,
  type MessageFilter,
  type MessageSelector,
} from './message-filters.js';
import {
  PROXIED_SERVICES,
  type MessageDirection,
  type ProxiedMessageArgs,
  type ProxiedMethod,
  type ProxiedServiceName,
} from './proxied-services.js';

/** Options of {@link GrpcMessageProxy.start}. */
export interface GrpcMessageProxyOptions<S extends ProxiedServiceName> {
  /** The service to proxy. */
  service: S;
  /** The real server, `host:port` (e.g. `cluster.masterGrpc`). */
  target: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on (default 0: a free port). */
  port?: number;
}

type Duplex = grpc.ServerDuplexStream<Buffer, Buffer>;
type UpstreamDuplex = grpc.ClientDuplexStream<Buffer, Buffer>;

const identity = (b: Buffer): Buffer => b;
// Headers grpc-js sets on each call itself: forwarding them would duplicate them.
const TRANSPORT_HEADERS = [
  'user-agent',
  'host',
  'content-type',
  'te',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
  'accept-encoding',
];

function forwardable(metadata: grpc.Metadata): grpc.Metadata {
  const copy = metadata.clone();
  for (const key of TRANSPORT_HEADERS) copy.remove(key);
  return copy;
}

/**
 * Stands between the clients of a service and its real server, forwarding
 * each message both ways unless a filter drops it. Request metadata, response
 * metadata, deadlines and the final status are forwarded as they are.
 *
 * @example
 * ```ts
 * const proxy = await GrpcMessageProxy.start({ service: 'agent', target: master.grpcAddress });
 * // start the agent with `--master ${proxy.address}`, then:
 * const rule = proxy.dropFirst(3, { direction: 'toServer', type: 'UPDATE' });
 * proxy.dropFirst(3, (direction, m) => direction === 'toClient' && m.type === AgentEventType.ACKNOWLEDGE);
 * await waitFor(() => rule.remaining === 0);
 * proxy.counts().dropped.toServer.UPDATE; // 3
 * ```
 */
export class GrpcMessageProxy<S extends ProxiedServiceName> {
  private readonly chain = new FilterChain<S>();
  private readonly live = new Set<{ cancel(why: string): void }>();
  private opened = 0;
  private closed = false;

  private constructor(
    /** The proxied service. */
    readonly service: S,
    private readonly server: grpc.Server,
    private readonly client: grpc.Client,
    /** The address clients connect to, `host:port`. */
    readonly address: string,
  ) {}

  /** Listens and resolves once it serves. */
  static async start<S extends ProxiedServiceName>(options: GrpcMessageProxyOptions<S>): Promise<GrpcMessageProxy<S>> {
    const spec = PROXIED_SERVICES[options.service];
    if (!spec) throw new ProxyError(`unknown service '${String(options.service)}': use agent, scheduler or executor`);
    const host = options.host ?? '127.0.0.1';
    const server = new grpc.Server();
    const client = new grpc.Client(options.target, grpc.credentials.createInsecure());
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(new ProxyError(`the gRPC proxy cannot listen on ${host}: ${err.message}`, err)) : resolve(p),
      );
    });
    const proxy = new GrpcMessageProxy(options.service, server, client, `${host}:${port}`);
    const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const method of spec.methods) {
      const name = method.path.slice(method.path.lastIndexOf('/') + 1);
      definition[name] = {
        path: method.path,
        requestStream: method.requestStream,
        responseStream: method.responseStream,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      };
      implementation[name] =
        method.requestStream && method.responseStream
          ? (call: Duplex) => proxy.bidi(method, call)
          : (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
              proxy.unary(method, call, cb);
    }
    server.addService(definition, implementation);
    return proxy;
  }

  /** Adds a filter at the end of the chain (the first filter saying 'drop' wins); returns its remover. */
  addFilter(filter: MessageFilter<S>): () => void {
    return this.chain.add(filter);
  }

  /**
   * Drops the first `n` messages selected by `selector`, e.g.
   * `{ direction: 'toServer', type: 'UPDATE' }` or `(direction, m) => ...`.
   */
  dropFirst(n: number, selector: MessageSelector<S>): DropRule {
    return this.chain.dropFirst(n, selector);
  }

  /** Messages passed and dropped so far, by direction and type name. */
  counts(): MessageCounts {
    return this.chain.counts();
  }

  /** Zeroes {@link counts}. */
  resetCounts(): void {
    this.chain.resetCounts();
  }

  /** Calls being proxied now, and calls proxied since the start. */
  get calls(): { open: number; total: number } {
    return { open: this.live.size, total: this.opened };
  }

  /** Ends every call in progress: clients get UNAVAILABLE, the server sees a cancellation. */
  cutCalls(): void {
    for (const call of [...this.live]) call.cancel('cut by the proxy');
  }

  /** Ends every call and stops serving. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cutCalls();
    this.client.close();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private judge(method: ProxiedMethod, direction: MessageDirection, bytes: Buffer): boolean {
    const message = direction === 'toServer' ? method.decodeRequest(bytes) : method.decodeResponse(bytes);
    const args = [direction, message] as ProxiedMessageArgs<S>;
    return this.chain.decide(args, PROXIED_SERVICES[this.service].typeName(direction, message)) === 'pass';
  }

  private bidi(method: ProxiedMethod, call: Duplex): void {
    const deadline = call.getDeadline();
    const upstream: UpstreamDuplex = this.client.makeBidiStreamRequest(
      method.path,
      identity,
      identity,
      forwardable(call.metadata),
      deadline === Infinity ? {} : { deadline },
    );
    let done = false;
    const entry = {
      cancel: (why: string): void => {
        if (done) return;
        done = true;
        this.live.delete(entry);
        upstream.cancel();
        call.emit('error', { code: grpc.status.UNAVAILABLE, details: why, metadata: new grpc.Metadata() });
      },
    };
    this.live.add(entry);
    this.opened++;
    const judged = (direction: MessageDirection, bytes: Buffer): boolean => {
      try {
        return this.judge(method, direction, bytes);
      } catch (err) {
        entry.cancel(`a filter of the proxy threw: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    };
    call.on('data', (bytes: Buffer) => {
      if (!done && judged('toServer', bytes)) upstream.write(bytes);
    });
    call.on('end', () => upstream.end());
    call.on('cancelled', () => {
      done = true;
      this.live.delete(entry);
      upstream.cancel();
    });
    call.on('error', () => undefined);
    upstream.on('metadata', (md: grpc.Metadata) => {
      if (!done) call.sendMetadata(md);
    });
    upstream.on('data', (bytes: Buffer) => {
      if (!done && judged('toClient', bytes)) call.write(bytes);
    });
    upstream.on('error', () => undefined); // the 'status' event carries the outcome
    upstream.on('status', (status: grpc.StatusObject) => {
      if (done) return;
      done = true;
      this.live.delete(entry);
      if (status.code === grpc.status.OK) call.end(status.metadata);
      else call.emit('error', { code: status.code, details: status.details, metadata: status.metadata });
    });
  }

  private unary(
    method: ProxiedMethod,
    call: grpc.ServerUnaryCall<Buffer, Buffer>,
    callback: grpc.sendUnaryData<Buffer>,
  ): void {
    let pass: boolean;
    try {
      pass = this.judge(method, 'toServer', call.request);
    } catch (err) {
      return callback({ code: grpc.status.INTERNAL, details: `a filter of the proxy threw: ${String(err)}` });
    }
    if (!pass) return callback({ code: grpc.status.UNAVAILABLE, details: 'dropped by the proxy' });
    const deadline = call.getDeadline();
    this.opened++;
    const upstream = this.client.makeUnaryRequest(
      method.path,
      identity,
      identity,
      call.request,
      forwardable(call.metadata),
      deadline === Infinity ? {} : { deadline },
      (err, value) => {
        this.live.delete(entry);
        if (err) return callback({ code: err.code, details: err.details, metadata: err.metadata });
        callback(null, value);
      },
    );
    const entry = { cancel: (): void => upstream.cancel() };
    this.live.add(entry);
    upstream.on('metadata', (md: grpc.Metadata) => call.sendMetadata(md));
    call.on('cancelled', () => upstream.cancel());
  }
}
