// The operator endpoints and the live feed at scale: a real master with 1,000
// simulated agents (../simulated-agents.ts) and 10,000 running tasks, all in
// this process. Measured: latency and size of GET /master/state,
// /master/state-summary and /master/tasks?limit=100; the feed's SNAPSHOT
// (time from connect to the whole message, and its size); the feed's delta
// bytes per second while tasks start and finish; and how much a feed client
// slows that churn down.
//
// Limits, measured in the same run: for each GET, a bare node:http server in
// this process that JSON.stringify's the same document (the master's answer,
// parsed: a plain object of equal size) on every request and sends it; for
// the SNAPSHOT, a bare `ws` server sending a string of the same size on
// connect; for the churn, the same churn with no feed client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { Master } from '@mesocosm/master';
import { TaskState, silentLogger } from '@mesocosm/protocol';
import { BenchError, withDeadline } from '../errors.js';
import { SimulatedAgents } from '../simulated-agents.js';
import { percentile } from '../stats.js';
import type { BenchContext, Figure, Scenario } from '../types.js';
import { BareLauncher } from './marathon-bare.js';

const NAME = 'ops-feed';
const DEADLINE_MS = 300_000;
const CPUS = 0.1;
const MEM = 32;
const CHURN_PREFIX = 'bench-churn';

/** One GET: wall time to the last byte, and the body. */
async function timedGet(url: string): Promise<{ ms: number; body: Buffer }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new BenchError(`GET ${url} answered ${res.status}: ${body.toString('utf8', 0, 200)}`);
  return { ms, body };
}

/** p50 of `n` sequential GETs after one warm-up; the last body. */
async function getP50(url: string, n: number): Promise<{ p50: number; body: Buffer }> {
  let last = await timedGet(url);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    last = await timedGet(url);
    times.push(last.ms);
  }
  return { p50: percentile(times, 50), body: last.body };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The limit of a GET: a bare server stringifying `doc` on every request. */
async function bareJsonP50(doc: unknown, n: number): Promise<number> {
  const server = createServer((_req, res) => {
    const text = JSON.stringify(doc);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  const port = await listen(server);
  try {
    return (await getP50(`http://127.0.0.1:${port}/`, n)).p50;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Time from opening a WebSocket to its first whole message, and that message. */
function firstMessage(url: string): Promise<{ ms: number; data: Buffer; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ws = new WebSocket(url);
    ws.once('message', (data: Buffer) => resolve({ ms: performance.now() - t0, data, ws }));
    ws.once('error', reject);
  });
}

/** p50 of `n` connects to the master's feed until its SNAPSHOT; the last SNAPSHOT's size. */
async function snapshotP50(httpUrl: string, n: number): Promise<{ p50: number; bytes: number }> {
  const url = `${httpUrl.replace(/^http/, 'ws')}/api/v1/feed`;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= n; i++) {
    const { ms, data, ws } = await firstMessage(url);
    ws.close();
    if (!data.toString('utf8', 0, 30).includes('"SNAPSHOT"'))
      throw new BenchError('the feed did not start with a SNAPSHOT');
    if (i > 0) times.push(ms); // the first one warms up
    bytes = data.length;
  }
  return { p50: percentile(times, 50), bytes };
}

/** The limit of the SNAPSHOT: a bare ws server sending `bytes` bytes of text on connect. */
async function bareWsP50(bytes: number, n: number): Promise<number> {
  const text = `{"type":"SNAPSHOT","pad":"${'x'.repeat(Math.max(0, bytes - 30))}"}`;
  const server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.send(text));
  const port = await listen(server);
  try {
    const times: number[] = [];
    for (let i = 0; i <= n; i++) {
      const { ms, ws } = await firstMessage(`ws://127.0.0.1:${port}/`);
      ws.close();
      if (i > 0) times.push(ms);
    }
    return percentile(times, 50);
  } finally {
    for (const c of wss.clients) c.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** `count` tasks of a new framework that start and finish at once; ms until every TASK_FINISHED is acknowledged. */
async function churn(master: Master, agents: SimulatedAgents, run: number, count: number): Promise<number> {
  const launcher = await BareLauncher.start(master.grpcAddress, `${CHURN_PREFIX}-${run}`);
  try {
    const before = agents.acknowledgedCount(TaskState.TASK_FINISHED);
    const t0 = performance.now();
    launcher.launch(
      Array.from({ length: count }, (_, i) => ({
        taskId: `churn-${run}-${i}`,
        resources: `cpus:${CPUS};mem:${MEM}`,
        command: { value: 'true' },
      })),
    );
    await agents.acknowledgedAtLeast(TaskState.TASK_FINISHED, before + count, DEADLINE_MS);
    return performance.now() - t0;
  } finally {
    await launcher.teardown();
  }
}

/** A feed client counting the bytes and messages of everything after its SNAPSHOT. */
async function feedWatcher(httpUrl: string): Promise<{ bytes: () => number; messages: () => number; close(): void }> {
  const { ws } = await firstMessage(`${httpUrl.replace(/^http/, 'ws')}/api/v1/feed`);
  let bytes = 0;
  let messages = 0;
  ws.on('message', (data: Buffer) => {
    bytes += data.length;
    messages++;
  });
  return { bytes: () => bytes, messages: () => messages, close: () => ws.close() };
}

const KiB = (bytes: number): number => bytes / 1024;

export const opsFeedScenario: Scenario = {
  name: NAME,
  description: 'operator endpoints and the live feed at 1,000 agents and 10,000 tasks vs a bare server sending as much',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const agentCount = ctx.quick ? 100 : 1000;
    const taskCount = ctx.quick ? 1000 : 10_000;
    const churnCount = ctx.quick ? 300 : 2000;
    const samples = ctx.quick ? 3 : 10;
    const scale = `${agentCount.toLocaleString('en-US')} agents, ${taskCount.toLocaleString('en-US')} tasks`;
    const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    let agents: SimulatedAgents | undefined;
    try {
      ctx.progress(`${agentCount} simulated agents`);
      agents = await SimulatedAgents.start({
        master: master.grpcAddress,
        count: agentCount,
        finishes: (_task, fw) => (fw.name ?? '').startsWith(CHURN_PREFIX),
        registerTimeoutMs: 120_000,
      });
      ctx.progress(`${taskCount} tasks`);
      const launcher = await BareLauncher.start(master.grpcAddress, 'bench-ops');
      launcher.launch(
        Array.from({ length: taskCount }, (_, i) => ({
          taskId: `ops-${String(i).padStart(5, '0')}`,
          resources: `cpus:${CPUS};mem:${MEM}`,
          command: { value: 'sleep 3600' },
        })),
      );
      await withDeadline(
        agents.acknowledgedAtLeast(TaskState.TASK_RUNNING, taskCount, DEADLINE_MS),
        DEADLINE_MS,
        `${taskCount} tasks RUNNING`,
      );

      const figures: Figure[] = [];
      const endpoint = async (path: string, label: string): Promise<void> => {
        ctx.progress(`GET ${path}`);
        const got = await getP50(`${master.httpUrl}${path}`, samples);
        const limit = await bareJsonP50(JSON.parse(got.body.toString('utf8')), samples);
        figures.push(
          {
            scenario: NAME,
            figure: `GET ${path} p50, ${scale}`,
            unit: 'ms',
            value: got.p50,
            better: 'lower',
            limit,
            limitLabel: `a bare node:http server stringifying the same ${label} (plain object) per request, p50`,
          },
          { scenario: NAME, figure: `GET ${path} size`, unit: 'KiB', value: KiB(got.body.length), better: 'lower' },
        );
      };
      await endpoint('/master/state', 'state');
      const stateBytes = figures.at(-1)?.value ?? 0;
      await endpoint('/master/state-summary', 'summary');
      await endpoint('/master/tasks?limit=100', 'page of 100 tasks');

      ctx.progress('feed SNAPSHOT');
      const snap = await snapshotP50(master.httpUrl, samples);
      figures.push(
        {
          scenario: NAME,
          figure: `feed SNAPSHOT, connect to whole message p50, ${scale}`,
          unit: 'ms',
          value: snap.p50,
          better: 'lower',
          limit: await bareWsP50(snap.bytes, samples),
          limitLabel: 'a bare ws server sending a text of the same size on connect, p50',
        },
        { scenario: NAME, figure: 'feed SNAPSHOT size', unit: 'KiB', value: KiB(snap.bytes), better: 'lower' },
      );

      ctx.progress(`churn: ${churnCount} tasks start and finish, without then with a feed client`);
      const bare = await churn(master, agents, 1, churnCount);
      const watcher = await feedWatcher(master.httpUrl);
      let watched: number;
      try {
        watched = await churn(master, agents, 2, churnCount);
        // The last batch of deltas is at most 250 ms behind.
        await new Promise((r) => setTimeout(r, 600));
      } finally {
        watcher.close();
      }
      const seconds = watched / 1000;
      const changes = churnCount * 4; // STAGING, STARTING, RUNNING, FINISHED
      figures.push(
        {
          scenario: NAME,
          figure: `${churnCount} tasks start->finish with a feed client, ${scale}`,
          unit: 'ms',
          value: watched,
          better: 'lower',
          limit: bare,
          limitLabel: 'the same churn with no feed client',
        },
        {
          scenario: NAME,
          figure: `feed deltas during that churn (${changes.toLocaleString('en-US')} task changes)`,
          unit: 'KiB/s',
          value: KiB(watcher.bytes()) / seconds,
          better: 'lower',
        },
        {
          scenario: NAME,
          figure: 'feed messages during that churn',
          unit: 'msgs/s',
          value: watcher.messages() / seconds,
          better: 'lower',
        },
        {
          scenario: NAME,
          figure: 'polling /master/state 4 times a second instead (reference)',
          unit: 'KiB/s',
          value: stateBytes * 4,
          better: 'lower',
        },
      );
      return figures;
    } finally {
      await agents?.stop();
      await master.stop();
    }
  },
};
