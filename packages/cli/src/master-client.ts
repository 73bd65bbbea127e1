// HTTP to the master's operator API for the operator verbs: GETs of the
// /master/* endpoints and calls to POST /api/v1. A standby's 307 to the
// leader is followed (fetch keeps a 307's method and body). Every failure is
// a typed error whose message says what to do.
import {
  explainTlsFailure,
  loadTls,
  TLS_ENV_NAMES,
  TLS_FLAG_NAMES,
  tlsFromEnv,
  type ErrorCode,
  type TlsMaterial,
} from '@mesocosm/protocol';
import { masterAddressOf, resolveMasterUrl } from './master-url.js';
import { operatorAuthorization, type OperatorAuthFlags } from './operator-auth.js';
import { tlsFetch } from './tls-fetch.js';
import type { TlsFlags } from './tls-flags.js';
import { InterruptedError, MasterResponseError, MasterUnreachableError } from './operator-errors.js';

/** A query string's values; undefined ones are left out, arrays are comma-joined. */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** Options of a {@link MasterClient}. */
export interface MasterClientOptions {
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** A request that takes longer fails (default 15 000 ms). */
  timeoutMs?: number;
  /** Aborts requests in flight (Ctrl-C): they fail with an InterruptedError. */
  signal?: AbortSignal;
  /**
   * The `authorization` header of every request (HTTP basic or bearer, see
   * operator-auth.ts); redirects are then followed here, so that it reaches
   * the leader (fetch drops it on a redirect to another origin).
   */
  authorization?: string;
}

/** Redirects followed by hand when requests carry credentials. */
const MAX_REDIRECTS = 5;

const DEFAULT_TIMEOUT_MS = 15_000;

function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 503:
      return 'NOT_LEADER';
    case 504:
      return 'TIMEOUT';
    default:
      return 'INTERNAL';
  }
}

/** Why fetch failed, in a few words (`ECONNREFUSED`, `no answer within 15 s`, ...). */
function reasonOf(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/** The base URL (origin and path prefix) of `url`, given that it ends with `pathAndQuery`. */
function baseOf(url: string, pathAndQuery: string): string | undefined {
  const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
  const u = new URL(url);
  return u.pathname.endsWith(path) ? `${u.origin}${u.pathname.slice(0, u.pathname.length - path.length)}` : undefined;
}

/**
 * A client of a master's HTTP API. Once a standby has redirected it to the
 * leader, it sends everything else to the leader directly.
 */
export class MasterClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private base: string;

  constructor(
    baseUrl: string,
    private readonly options: MasterClientOptions = {},
  ) {
    this.base = baseUrl;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The master's HTTP base URL, e.g. `http://127.0.0.1:5050` (the leader's, after a redirect). */
  get baseUrl(): string {
    return this.base;
  }

  /** GETs `path` (e.g. `/master/tasks`) with `query` and returns its JSON. */
  async get<T>(path: string, query: Query = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      params.set(k, Array.isArray(v) ? v.join(',') : String(v as string | number | boolean));
    }
    const qs = params.toString();
    return (await this.request('GET', `${path}${qs ? `?${qs}` : ''}`)) as T;
  }

  /** POSTs one operator call (`{"type":"DRAIN_AGENT",...}`) to /api/v1 and returns the answer's JSON. */
  async call(body: { type: string } & Record<string, unknown>): Promise<unknown> {
    return this.request('POST', '/api/v1', JSON.stringify(body));
  }

  private async request(method: 'GET' | 'POST', pathAndQuery: string, body?: string): Promise<unknown> {
    let url = `${this.base}${pathAndQuery}`;
    const what = `${method} ${pathAndQuery.split('?')[0] ?? pathAndQuery}`;
    const authorization = this.options.authorization;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    let res: Response;
    let text: string;
    try {
      for (let hops = 0; ; hops++) {
        res = await this.fetchImpl(url, {
          method,
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(authorization === undefined ? {} : { authorization }),
          },
          ...(body === undefined ? {} : { body }),
          redirect: authorization === undefined ? 'follow' : 'manual',
          signal,
        });
        const location = res.headers.get('location');
        if (authorization === undefined || ![307, 308].includes(res.status) || !location || hops >= MAX_REDIRECTS)
          break;
        await res.body?.cancel();
        url = new URL(location, url).toString();
        this.base = baseOf(url, pathAndQuery) ?? this.base;
      }
      text = await res.text();
      if (res.redirected) this.base = baseOf(res.url, pathAndQuery) ?? this.base;
    } catch (err) {
      if (this.options.signal?.aborted) throw new InterruptedError(String(this.options.signal.reason));
      const reason = reasonOf(err, this.timeoutMs);
      throw new MasterUnreachableError(
        this.base,
        this.base.startsWith('https:') ? explainTlsFailure(reason, true, 'master') : reason,
        err,
      );
    }
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const answer = (json ?? {}) as { error?: unknown; code?: unknown };
      let message = typeof answer.error === 'string' ? answer.error : text.slice(0, 200) || res.statusText;
      if (res.status === 404 && /no such endpoint/.test(message)) {
        message += ' (this master does not serve it: is it older than this mesocosm command?)';
      }
      const code = typeof answer.code === 'string' ? (answer.code as ErrorCode) : codeOfStatus(res.status);
      throw new MasterResponseError(code, res.status, what, message);
    }
    if (json === undefined) {
      throw new MasterResponseError('INTERNAL', res.status, what, `not JSON: ${text.slice(0, 200)}`);
    }
    return json;
  }
}

/**
 * The operator's TLS: the `--tls-*` flags, else MESOCOSM_TLS_CA, _CERT and
 * _KEY; undefined when none is given. Files are read and checked here.
 * @throws TlsConfigError naming the flag or variable and the file.
 */
export function operatorTls(io: {
  env: Readonly<Record<string, string | undefined>>;
  tls?: TlsFlags | undefined;
}): TlsMaterial | undefined {
  if (io.tls) return loadTls(io.tls, TLS_FLAG_NAMES);
  const fromEnv = tlsFromEnv(io.env);
  return fromEnv ? loadTls(fromEnv, TLS_ENV_NAMES) : undefined;
}

/**
 * A client of the master named by `--master` (`flag`), else MESOCOSM_MASTER,
 * else http://127.0.0.1:5050; a `zk://` address is resolved to its leader
 * first (as https:// when TLS is configured). With TLS (flags or
 * environment), https:// masters are verified against the CA given.
 */
export async function connectMaster(
  io: {
    env: Readonly<Record<string, string | undefined>>;
    fetch: typeof fetch;
    tls?: TlsFlags | undefined;
    auth?: OperatorAuthFlags | undefined;
  },
  flag: string | undefined,
  signal?: AbortSignal,
): Promise<MasterClient> {
  const tls = operatorTls(io);
  const url = await resolveMasterUrl(masterAddressOf(flag, io.env), undefined, tls ? 'https' : 'http');
  const authorization = operatorAuthorization(io.env, io.auth);
  return new MasterClient(url, {
    fetch: tls ? tlsFetch(tls) : io.fetch,
    ...(signal ? { signal } : {}),
    ...(authorization === undefined ? {} : { authorization }),
  });
}
