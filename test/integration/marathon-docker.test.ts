// Marathon's Docker apps on a real cluster (LocalCluster: a master and two
// agents in this process) and a real Docker engine, driven only through
// Marathon's HTTP API: a BRIDGE app with a dynamic host port and an agent-side
// HTTP health check (busybox httpd in the test image) becomes healthy, answers
// on its host ports, runs as labelled containers, and leaves no container
// once deleted; an app whose check path 404s has its tasks killed and
// relaunched (counted from /v2/events).
import { expect } from 'chai';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { silentLogger } from '@mesocosm/framework-sdk';
import { Marathon } from '@mesocosm/marathon';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import type { DockerEngineHandle } from '../../packages/agent/test/docker/engine.js';
import { repoRoot, requireInfra } from '../helpers/index.js';

type EngineModule = typeof import('../../packages/agent/test/docker/engine.js');

interface AppTask {
  id: string;
  host: string;
  state: string;
  ports: number[];
  healthCheckResults?: { alive: boolean }[];
}

interface AppView {
  tasksRunning: number;
  tasksHealthy: number;
  tasksUnhealthy: number;
}

interface SseEvent {
  eventType: string;
  taskId?: string;
  taskStatus?: string;
  appId?: string;
  message?: string;
  alive?: boolean;
}

/** The agents' Docker engine helper, compiled with the agent's tests (its path differs from this file's). */
function engineModule(): Promise<EngineModule> {
  const path = join(repoRoot, 'packages', 'agent', 'lib', 'test', 'docker', 'engine.js');
  return import(pathToFileURL(path).href) as Promise<EngineModule>;
}

/** A Marathon Docker app of busybox httpd on container port 8080, BRIDGE networking, a host port from the offer. */
function webApp(id: string, instances: number, checkPath: string): Record<string, unknown> {
  return {
    id,
    instances,
    cpus: 0.1,
    mem: 32,
    backoffSeconds: 1,
    container: {
      type: 'DOCKER',
      docker: { image: 'mesocosm-busybox:latest' },
      portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
    },
    networks: [{ mode: 'container/bridge' }],
    cmd: 'mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www',
    healthChecks: [
      {
        protocol: 'MESOS_HTTP',
        path: checkPath,
        portIndex: 0,
        // Marathon's MESOS_* default waits 15 s before the first check.
        delaySeconds: 1,
        gracePeriodSeconds: 10,
        // Our model (as Marathon) wants timeoutSeconds < intervalSeconds.
        intervalSeconds: 2,
        timeoutSeconds: 1,
        maxConsecutiveFailures: 3,
      },
    ],
  };
}

/** Reads Marathon's server-sent events into `events` until `close()`. */
function subscribe(url: string): { events: SseEvent[]; ready: Promise<void>; close(): void } {
  const events: SseEvent[] = [];
  const abort = new AbortController();
  let opened: () => void = () => {};
  const ready = new Promise<void>((resolve) => (opened = resolve));
  void (async () => {
    const res = await fetch(`${url}/v2/events`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`GET /v2/events answered ${res.status}`);
    opened();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('\n');
        if (data !== '') events.push(JSON.parse(data) as SseEvent);
      }
    }
  })().catch(() => {});
  return { events, ready, close: () => abort.abort() };
}

describe('Marathon Docker apps on a LocalCluster (HTTP API)', function () {
  this.timeout(300_000);
  let engines: EngineModule | undefined;
  let engine: DockerEngineHandle;
  let cluster: LocalCluster | undefined;
  let marathon: Marathon | undefined;
  let url: string;
  let frameworkId: string;
  const savedDockerHost = process.env['DOCKER_HOST'];

  before(async function () {
    this.timeout(600_000);
    // Finds an engine, else starts ours (installing docker.io and busybox-static when missing, as root).
    engines = await engineModule();
    const found = await engines.ensureDockerEngine();
    // In-process agents find the engine through DOCKER_HOST.
    if (!('missing' in found) && savedDockerHost === undefined)
      process.env['DOCKER_HOST'] = `unix://${found.socketPath}`;
    requireInfra(this, 'docker');
    if ('missing' in found) throw new Error(`the Docker engine is not usable: ${found.missing}`);
    engine = found;
    cluster = await LocalCluster.start({ agents: [{ hostname: 'md-a' }, { hostname: 'md-b' }] });
    await cluster.waitForAgents(2);
    marathon = await Marathon.start({
      master: cluster.masterGrpc,
      hostname: '127.0.0.1',
      httpHost: '127.0.0.1',
      httpPort: 0,
      frameworkName: 'marathon-docker-it',
      minReviveIntervalMs: 500,
      logger: silentLogger,
    });
    const m = marathon;
    frameworkId = await waitFor(() => m.isLeader && m.frameworkId, {
      timeoutMs: 30_000,
      message: 'marathon subscribed',
    });
    url = m.url;
  });

  after(async () => {
    await marathon?.stop();
    await cluster?.stop();
    if (savedDockerHost === undefined) delete process.env['DOCKER_HOST'];
    await engines?.releaseDockerEngine();
  });

  /** Our framework's containers on the engine (`docker ps [-a] --filter label=mesocosm.framework_id=...`). */
  async function containers(all: boolean): Promise<{ id: string; state: string; labels: Record<string, string> }[]> {
    const list = await engine.docker.listContainers({
      all,
      filters: { label: [`mesocosm.framework_id=${frameworkId}`] },
    });
    return list.map((c) => ({ id: c.Id, state: c.State, labels: c.Labels }));
  }

  async function post(path: string, body: unknown): Promise<Response> {
    return fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function tasksOf(appId: string): Promise<AppTask[]> {
    return (await fetchJson<{ tasks: AppTask[] }>(`${url}/v2/apps${appId}/tasks`)).tasks;
  }

  async function deleteApp(appId: string, force: boolean): Promise<void> {
    const res = await fetch(`${url}/v2/apps${appId}${force ? '?force=true' : ''}`, { method: 'DELETE' });
    expect(res.status, await res.text()).to.equal(200);
    await waitFor(
      async () => (await containers(true)).length === 0 && (await tasksOf(appId).catch(() => [])).length === 0,
      {
        timeoutMs: 60_000,
        message: `${appId}'s tasks and containers gone`,
      },
    );
  }

  it('runs a BRIDGE app with an HTTP health check: 2 healthy tasks answer on their host ports, then are removed', async () => {
    const t0 = Date.now();
    const res = await post('/v2/apps', webApp('/web', 2, '/'));
    expect(res.status, await res.text()).to.equal(201);
    let firstRunning = 0;
    await waitFor(
      async () => {
        const { app } = await fetchJson<{ app: AppView }>(`${url}/v2/apps/web`);
        if (firstRunning === 0 && app.tasksRunning > 0) firstRunning = Date.now() - t0;
        return app.tasksHealthy === 2 && app.tasksRunning === 2;
      },
      { timeoutMs: 120_000, intervalMs: 100, message: '/web with 2 healthy tasks' },
    );
    console.log(`      POST -> first task running: ${firstRunning} ms, -> 2 healthy: ${Date.now() - t0} ms`);

    const tasks = await tasksOf('/web');
    expect(tasks).to.have.length(2);
    for (const t of tasks) {
      expect(t.state).to.equal('TASK_RUNNING');
      expect(t.healthCheckResults?.[0]?.alive).to.equal(true);
      expect(t.ports).to.have.length(1);
      const port = t.ports[0]!;
      expect(port).to.be.within(31000, 31199);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).to.equal(200);
      expect((await page.text()).trim()).to.equal('hello');
    }

    const running = await containers(false);
    expect(running.map((c) => c.labels['mesocosm.task_id']).sort()).to.deep.equal(tasks.map((t) => t.id).sort());
    for (const c of running) {
      expect(c.state).to.equal('running');
      expect(c.labels['mesocosm.executor_id']).to.equal(c.labels['mesocosm.task_id']);
      expect(c.labels['mesocosm.agent_id']).to.be.a('string').and.not.equal('');
    }
    // The engine publishes each task's host port on the container's 8080.
    for (const t of tasks) {
      const c = running.find((r) => r.labels['mesocosm.task_id'] === t.id)!;
      const info = await engine.docker.getContainer(c.id).inspect();
      expect(info.Config.Image).to.equal('mesocosm-busybox:latest');
      expect(info.HostConfig.NetworkMode).to.equal('bridge');
      expect(info.NetworkSettings.Ports['8080/tcp']?.map((b) => Number(b.HostPort))).to.include(t.ports[0]);
    }

    const t1 = Date.now();
    await deleteApp('/web', false);
    console.log(`      DELETE -> containers gone: ${Date.now() - t1} ms`);
    const gone = await fetch(`${url}/v2/apps/web`);
    expect(gone.status).to.equal(404);
  });

  it('kills and relaunches the tasks of a Docker app whose health check path 404s', async () => {
    const sse = subscribe(url);
    try {
      await sse.ready;
      const t0 = Date.now();
      const res = await post('/v2/apps', webApp('/sick', 1, '/missing'));
      expect(res.status, await res.text()).to.equal(201);
      const seen = new Set<string>();
      const killed = await waitFor(
        async () => {
          for (const t of await tasksOf('/sick')) seen.add(t.id);
          const kills = sse.events.filter(
            (e) => e.eventType === 'unhealthy_instance_kill_event' && e.appId === '/sick',
          );
          return seen.size >= 3 && kills.length >= 2 && kills;
        },
        { timeoutMs: 180_000, intervalMs: 200, message: '/sick: 2 unhealthy kills and 3 distinct tasks' },
      );
      console.log(
        `      unhealthy app: ${killed.length} kills, ${seen.size} distinct tasks after ${Date.now() - t0} ms`,
      );
      const events = sse.events.filter((e) => e.appId === '/sick');
      // Each killed task was first reported unhealthy, and ended KILLED.
      for (const k of killed) {
        const id = k.taskId!;
        const failed = events.filter((e) => e.eventType === 'failed_health_check_event' && e.taskId === id);
        // The agent's GET reached httpd through the mapped host port, which answered 404.
        expect(failed.map((e) => e.message)).to.satisfy((ms: string[]) => ms.some((m) => /HTTP 404/.test(m)));
        await waitFor(
          () =>
            sse.events.some(
              (e) => e.eventType === 'status_update_event' && e.taskId === id && e.taskStatus === 'TASK_KILLED',
            ),
          { timeoutMs: 30_000, message: `${id} ends TASK_KILLED` },
        );
      }
      // Never healthy: the 404 counts as a failure.
      expect(events.some((e) => e.eventType === 'health_status_changed_event' && e.alive)).to.equal(false);
      const { app } = await fetchJson<{ app: AppView }>(`${url}/v2/apps/sick`);
      expect(app.tasksHealthy).to.equal(0);
      await deleteApp('/sick', true);
    } finally {
      sse.close();
    }
  });
});
