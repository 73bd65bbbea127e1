// A fake master for the operator verbs' unit tests: a real HTTP server on
// loopback that answers the contract's shapes (packages/master/src/views/
// feed-types.ts) from handlers the test sets, and records every request;
// `cli` runs `mesocosm` against it with captured output.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentRow, FrameworkRow, TaskRow } from '../src/master-json.js';
import type { OperatorIo } from '../src/operator-io.js';
import { runCli } from '../src/run-cli.js';

/** A request the fake master received. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

/** What a handler answers (status 200 and JSON by default). */
export interface FakeAnswer {
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

/** The fake master. */
export class FakeMaster {
  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>`. */
    readonly url: string,
    /** Handlers by path; tests may change them while the server runs. */
    readonly routes: Record<string, Handler>,
    /** Every request so far, in order. */
    readonly requests: FakeRequest[],
  ) {}

  static async start(routes: Record<string, Handler> = {}): Promise<FakeMaster> {
    const requests: FakeRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const request: FakeRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        requests.push(request);
        const handler = routes[url.pathname];
        Promise.resolve(
          handler ? handler(request) : { status: 404, json: { error: `no such endpoint: ${url.pathname}` } },
        )
          .then((answer) => {
            const text = answer.json === undefined ? '' : JSON.stringify(answer.json);
            res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
            res.end(text);
          })
          .catch((err: unknown) => {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: String(err) }));
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return new FakeMaster(server, `http://127.0.0.1:${port}`, routes, requests);
  }

  /** The requests to `path`. */
  to(path: string): FakeRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** An agent row with 2 cpus, 2 GB mem and 4 GB disk. */
export function agentRow(o: {
  id: string;
  hostname?: string;
  used?: Record<string, number>;
  task_count?: number;
  drain?: 'DRAINING' | 'DRAINED';
}): AgentRow {
  return {
    id: o.id,
    hostname: o.hostname ?? `host-${o.id}`,
    port: 5051,
    url: `http://127.0.0.1:5051`,
    pid: `slave(1)@127.0.0.1:5051`,
    resources: { cpus: 2, mem: 2048, disk: 4096, ports: '[31000-32000]' },
    used_resources: o.used ?? {},
    offered_resources: {},
    unreserved_resources: {},
    attributes: {},
    active: true,
    status: 'connected',
    registered_time: 1,
    deactivated: o.drain !== undefined,
    ...(o.drain ? { drain_info: { state: o.drain, config: { mark_gone: false, leave_tasks_running: false } } } : {}),
    task_count: o.task_count ?? 0,
  };
}

/** A framework row of role `*` and principal `ops`. */
export function frameworkRow(o: {
  id: string;
  name: string;
  counts?: Record<string, number>;
  share?: number;
  connected?: boolean;
  active?: boolean;
}): FrameworkRow {
  return {
    id: o.id,
    name: o.name,
    user: 'nobody',
    hostname: 'h',
    principal: 'ops',
    webui_url: '',
    role: '*',
    roles: ['*'],
    capabilities: [],
    failover_timeout: 0,
    active: o.active ?? true,
    connected: o.connected ?? true,
    registered_time: 1,
    used_resources: {},
    offered_resources: {},
    dominant_share: o.share ?? 0,
    decline_reasons: [],
    task_counts: o.counts ?? {},
    offer_count: 0,
  };
}

/** A task row of 0.1 cpus and 32 MB on agent `a1` (host-1), framework `f1` (fw-name). */
export function taskRow(o: {
  id: string;
  name?: string;
  state?: string;
  framework_id?: string;
  agent_id?: string;
  healthy?: boolean;
  time?: number;
}): TaskRow {
  const frameworkId = o.framework_id ?? 'f1';
  return {
    id: o.id,
    name: o.name ?? o.id,
    framework_id: frameworkId,
    executor_id: '',
    slave_id: o.agent_id ?? 'a1',
    agent_id: o.agent_id ?? 'a1',
    state: o.state ?? 'TASK_RUNNING',
    role: '*',
    resources: { cpus: 0.1, mem: 32 },
    statuses: [{ state: o.state ?? 'TASK_RUNNING', timestamp: o.time ?? 1, source: 1, reason: '', message: '' }],
    framework_name: 'fw-name',
    agent_hostname: 'host-1',
    sandbox: `${frameworkId}/tasks/${o.id}`,
    ...(o.healthy === undefined ? {} : { healthy: o.healthy }),
  };
}

const noop = async (): Promise<void> => {};

/** Runs `mesocosm argv` with captured output, no MESOCOSM_MASTER and no terminal. */
export async function cli(
  argv: string[],
  io: Partial<OperatorIo> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { master: noop, agent: noop, local: noop, marathon: noop, chronos: noop },
    { writeOut: (s) => (out += s), writeErr: (s) => (err += s) },
    { env: {}, ...io },
  );
  return { code, out, err };
}

/** `/files/browse` and `/files/read` of agent a1 over in-memory files (byte offsets, as the agent). */
export function sandboxRoutes(files: Record<string, () => string>): Record<string, Handler> {
  return {
    '/master/agents/a1/files/browse': (req) => {
      const dir = req.query.get('path') ?? '';
      const names = new Set<string>();
      for (const p of Object.keys(files))
        if (p.startsWith(`${dir}/`)) names.add(p.slice(dir.length + 1).split('/')[0]!);
      if (names.size === 0) return { status: 404, json: { error: `'${dir}' does not exist` } };
      return { json: [...names].map((n) => ({ path: `${dir}/${n}`, size: 0, mtime: 0, mode: 'drwxr-xr-x' })) };
    },
    '/master/agents/a1/files/read': (req) => {
      const content = files[req.query.get('path') ?? ''];
      if (!content) return { status: 404, json: { error: 'no such file' } };
      const bytes = Buffer.from(content());
      const offset = Number(req.query.get('offset') ?? -1);
      if (offset === -1) return { json: { data: '', offset: bytes.length } };
      const start = Math.min(offset, bytes.length);
      const length = Number(req.query.get('length') ?? bytes.length);
      return { json: { data: bytes.subarray(start, start + length).toString('utf8'), offset: start } };
    },
  };
}
