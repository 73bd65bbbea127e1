// The operator pages (state-summary, slaves/agents, frameworks, tasks with
// filters and paging, offers, maintenance), teardown and /metrics, against
// a real master with two fake agents and four tasks.
import { expect } from 'chai';
import { AgentEventType } from '@mesocosm/protocol';
import type {
  AgentsPage,
  FrameworksPage,
  MaintenancePage,
  OffersPage,
  StateSummary,
  TasksPage,
} from '../../src/views/feed-types.js';
import { RawScheduler } from '../helpers/raw-scheduler.js';
import { waitFor } from '../helpers/wait-for.js';
import { getJson, launch, startOpsFixture, TaskState, update, type OpsFixture } from './ops-fixture.js';

describe('operator pages of the master', function () {
  this.timeout(20_000);
  let f: OpsFixture;
  let url: string;
  const tasks = (query: string): Promise<{ status: number; body: TasksPage & { error?: string } }> =>
    getJson<TasksPage & { error?: string }>(`${url}/master/tasks${query}`);

  before(async () => {
    f = await startOpsFixture();
    url = f.master.httpUrl;
    const a = f.agents['host-a']!;
    const b = f.agents['host-b']!;
    launch(f, a, ['web-1', 'web-2', 'web-3']);
    launch(f, b, ['db-1']);
    await a.take(AgentEventType.RUN_TASK, (e) => e.runTask?.task?.taskId?.value === 'web-3');
    await b.take(AgentEventType.RUN_TASK);
    update(f, a, 'web-1', TaskState.TASK_RUNNING, true);
    update(f, a, 'web-2', TaskState.TASK_RUNNING);
    update(f, a, 'web-3', TaskState.TASK_FINISHED);
    update(f, b, 'db-1', TaskState.TASK_RUNNING, false);
    for (const id of ['web-1', 'web-2', 'db-1']) await f.sched.update(id, TaskState.TASK_RUNNING);
    await f.sched.update('web-3', TaskState.TASK_FINISHED);
  });

  after(async () => {
    await f.close();
  });

  it('GET /master/state-summary gives totals, counts and the masters', async () => {
    const { status, body, headers } = await getJson<StateSummary>(`${url}/master/state-summary`);
    expect(status).to.equal(200);
    expect(headers.get('access-control-allow-origin')).to.equal('*');
    expect(body).to.include({ id: f.master.info.id, hostname: 'm1', elected: true, leader_url: url });
    expect(body.masters).to.deep.equal([url]);
    // What web-3 gave back when it finished may be offered again (meanwhile, too).
    const offered = await waitFor(async () => {
      const now = await getJson<StateSummary>(`${url}/master/state-summary`);
      const offers = f.master.state().offers;
      const cpus = offers.reduce((sum, o) => sum + Number(o.resources['cpus'] ?? 0), 0);
      return now.body.offers === offers.length && now.body.cluster.cpus.offered === cpus && now.body;
    }, 'the summary counting the outstanding offers');
    expect(offered.cluster.cpus).to.include({ total: 6, used: 1.5 });
    expect(body.cluster.mem).to.include({ total: 6144, used: 384 });
    expect(body.cluster.gpus).to.deep.equal({ total: 0, used: 0, offered: 0 });
    expect(body.agents).to.deep.equal({ active: 2, deactivated: 0, draining: 0, unreachable: 0 });
    expect(body.frameworks).to.deep.equal({ active: 1, inactive: 0, completed: 0 });
    expect(body.tasks).to.deep.equal({ TASK_RUNNING: 3, TASK_FINISHED: 1 });
    expect(body.uptime_secs).to.be.at.least(0);
    expect(body.start_time).to.be.closeTo(Date.now() / 1000, 60);
  });

  it('GET /master/slaves and /master/agents list agent rows without task lists', async () => {
    const slaves = await getJson<AgentsPage>(`${url}/master/slaves`);
    const agents = await getJson<AgentsPage>(`${url}/master/agents`);
    expect(slaves.status).to.equal(200);
    expect(agents.body).to.deep.equal(slaves.body);
    const a = slaves.body.slaves.find((s) => s.hostname === 'host-a');
    expect(a).to.include({ id: f.agents['host-a']!.agentId, task_count: 2, active: true, deactivated: false });
    expect(a?.resources).to.deep.equal({ cpus: 4, mem: 4096, disk: 1000 });
    expect(a?.used_resources).to.deep.equal({ cpus: 1, mem: 256 });
    expect(a?.attributes).to.deep.equal({ zone: 'a' });
    expect(a).to.not.have.property('tasks');
  });

  it('GET /master/frameworks lists framework rows with task counts', async () => {
    const { status } = await getJson<FrameworksPage>(`${url}/master/frameworks`);
    expect(status).to.equal(200);
    const body = await waitFor(async () => {
      const page = (await getJson<FrameworksPage>(`${url}/master/frameworks`)).body;
      return page.frameworks[0]?.offer_count === f.master.state().offers.length && page;
    }, 'the framework row counting its offers');
    expect(body.completed_frameworks).to.deep.equal([]);
    const fw = body.frameworks[0];
    expect(fw).to.include({ id: f.sched.frameworkId, name: 'web', role: 'web', active: true, connected: true });
    expect(fw?.task_counts).to.deep.equal({ TASK_RUNNING: 3, TASK_FINISHED: 1 });
    expect(fw?.used_resources).to.deep.equal({ cpus: 1.5, mem: 384 });
    expect(fw?.dominant_share).to.be.at.least(0.25); // 1.5 of 6 cpus, and what it is offered
    expect(fw).to.not.have.property('tasks');
    expect(fw).to.not.have.property('offers');
  });

  it('GET /master/tasks pages tasks by ID with their sandbox, names and health', async () => {
    const all = await tasks('');
    expect(all.status).to.equal(200);
    expect(all.body).to.include({ total: 4, offset: 0, limit: 100 });
    expect(all.body.tasks.map((t) => t.id)).to.deep.equal(['db-1', 'web-1', 'web-2', 'web-3']);
    const web1 = all.body.tasks[1];
    expect(web1).to.include({
      framework_name: 'web',
      agent_hostname: 'host-a',
      state: 'TASK_RUNNING',
      sandbox: `${f.sched.frameworkId}/tasks/web-1`,
      healthy: true,
    });
    expect(all.body.tasks[0]?.healthy).to.equal(false);
    expect(all.body.tasks[2]).to.not.have.property('healthy');
    expect(web1?.statuses.map((s) => s.state)).to.deep.equal(['TASK_RUNNING']);

    const page2 = await tasks('?limit=2&offset=2');
    expect(page2.body).to.include({ total: 4, offset: 2, limit: 2 });
    expect(page2.body.tasks.map((t) => t.id)).to.deep.equal(['web-2', 'web-3']);
    const desc = await tasks('?order=desc&limit=1');
    expect(desc.body.tasks.map((t) => t.id)).to.deep.equal(['web-3']);
    const past = await tasks('?offset=10');
    expect(past.body).to.include({ total: 4 });
    expect(past.body.tasks).to.deep.equal([]);
  });

  it('GET /master/tasks filters by state, agent, framework and name', async () => {
    const ids = async (query: string): Promise<string[]> => (await tasks(query)).body.tasks.map((t) => t.id);
    expect(await ids('?state=TASK_FINISHED')).to.deep.equal(['web-3']);
    expect(await ids('?state=running')).to.deep.equal(['db-1', 'web-1', 'web-2']);
    expect(await ids('?state=finished,TASK_RUNNING')).to.have.length(4);
    expect(await ids('?state=finished&state=killed')).to.deep.equal(['web-3']);
    expect(await ids(`?agent_id=${encodeURIComponent(f.agents['host-b']!.agentId)}`)).to.deep.equal(['db-1']);
    expect(await ids(`?framework_id=${encodeURIComponent(f.sched.frameworkId)}&name=WEB-`)).to.deep.equal([
      'web-1',
      'web-2',
      'web-3',
    ]);
    expect(await ids('?framework_id=nope')).to.deep.equal([]);
    expect(await ids('?name=db&state=running')).to.deep.equal(['db-1']);
    const counted = await tasks('?state=running&limit=1');
    expect(counted.body.total).to.equal(3);
  });

  it('GET /master/tasks refuses bad parameters with 400 naming them', async () => {
    const bad: [string, RegExp][] = [
      ['?limit=0', /^limit: must be between 1 and 1000/],
      ['?limit=1001', /^limit: must be between 1 and 1000/],
      ['?limit=ten', /^limit: must be a whole number/],
      ['?offset=-1', /^offset: must be a whole number/],
      ['?order=up', /^order: must be asc or desc/],
      ['?state=TASK_SLEEPING', /^state: 'TASK_SLEEPING' is not a task state/],
      ['?limit=1&limit=2', /^limit: may be given once/],
      ['?stat=running', /^stat: is not a parameter of \/master\/tasks/],
    ];
    for (const [query, message] of bad) {
      const { status, body } = await tasks(query);
      expect(status, query).to.equal(400);
      expect(body.error, query).to.match(message);
    }
    // Nothing was lost: the same endpoint still answers.
    expect((await tasks('?limit=1')).body.total).to.equal(4);
  });

  it('GET /master/offers lists outstanding offers with names and age', async () => {
    const other = new RawScheduler(f.master.grpcAddress);
    try {
      await other.subscribe({ name: 'idle', user: 'ops' });
      await other.offer();
      const { status, body } = await getJson<OffersPage>(`${url}/master/offers`);
      expect(status).to.equal(200);
      const offer = body.offers.find((o) => o.framework_id === other.frameworkId);
      expect(offer).to.include({ framework_id: other.frameworkId, framework_name: 'idle' });
      expect(['host-a', 'host-b']).to.include(offer?.agent_hostname);
      expect(offer?.age_secs).to.be.at.least(0).and.below(60);
      const summary = await getJson<StateSummary>(`${url}/master/state-summary`);
      expect(summary.body.offers).to.equal(body.offers.length);
      expect(summary.body.cluster.cpus.offered).to.be.above(0);
    } finally {
      other.close();
    }
  });

  it('GET /master/maintenance shows drained and deactivated agents', async () => {
    expect((await getJson<MaintenancePage>(`${url}/master/maintenance`)).body).to.deep.equal({ agents: [] });
    const b = f.agents['host-b']!;
    const call = (body: unknown): Promise<Response> =>
      fetch(`${url}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const drained = await call({
      type: 'DRAIN_AGENT',
      drain_agent: { agent_id: { value: b.agentId }, leave_tasks_running: true },
    });
    expect(drained.status).to.equal(200);
    const { status, body } = await getJson<MaintenancePage>(`${url}/master/maintenance`);
    expect(status).to.equal(200);
    expect(body.agents).to.have.length(1);
    expect(body.agents[0]).to.deep.include({
      id: b.agentId,
      hostname: 'host-b',
      status: 'connected',
      deactivated: true,
    });
    expect(body.agents[0]?.drain_info).to.deep.equal({
      state: 'DRAINING',
      config: { mark_gone: false, leave_tasks_running: true },
    });
    const summary = await getJson<StateSummary>(`${url}/master/state-summary`);
    expect(summary.body.agents).to.deep.equal({ active: 1, deactivated: 0, draining: 1, unreachable: 0 });
    expect(
      (await call({ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: b.agentId } } })).status,
    ).to.equal(200);
    expect((await getJson<MaintenancePage>(`${url}/master/maintenance`)).body.agents).to.deep.equal([]);
  });

  it('serves /metrics in Prometheus text with the snapshot figures and process metrics', async () => {
    const res = await fetch(`${url}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const values = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/i.exec(line);
      expect(m, `not a Prometheus sample line: ${line}`).to.not.equal(null);
      if (m?.[1] && !m[2]) values.set(m[1], Number(m[3]));
    }
    expect(values.get('mesocosm_master_elected')).to.equal(1);
    expect(values.get('mesocosm_master_tasks_running')).to.equal(3);
    expect(values.get('mesocosm_master_tasks_finished')).to.equal(1);
    expect(values.get('mesocosm_master_cpus_total')).to.equal(6);
    expect(values.get('mesocosm_master_cpus_used')).to.equal(1.5);
    expect(values.get('mesocosm_master_cpus_percent')).to.equal(0.25);
    expect(values.get('mesocosm_master_slaves_active')).to.equal(2);
    expect(values.get('mesocosm_system_cpus_total')).to.be.above(0);
    expect(values.get('process_cpu_user_seconds_total')).to.be.above(0);
    expect(values.has('nodejs_heap_size_used_bytes')).to.equal(true);
    expect(text).to.include('# TYPE mesocosm_master_tasks_running gauge');

    const snapshot = (await getJson<Record<string, number>>(`${url}/metrics/snapshot`)).body;
    expect(snapshot).to.include({ 'master/elected': 1, 'master/tasks_running': 3, 'master/cpus_percent': 0.25 });
    expect(snapshot['master/uptime_secs']).to.be.at.least(0);
    expect(snapshot['system/cpus_total']).to.be.above(0);
    expect(snapshot['system/mem_total_bytes']).to.be.above(0);
  });

  it('POST /master/teardown tears a framework down from a form or JSON; bad ones get 400/404', async () => {
    const post = (body: string, type: string): Promise<Response> =>
      fetch(`${url}/master/teardown`, { method: 'POST', headers: { 'content-type': type }, body });
    const missing = await post('', 'application/x-www-form-urlencoded');
    expect(missing.status).to.equal(400);
    expect(((await missing.json()) as { error: string }).error).to.match(/^framework_id: is required/);
    const notJson = await post('{', 'application/json');
    expect(notJson.status).to.equal(400);
    expect(((await notJson.json()) as { error: string }).error).to.match(/^body: is not JSON/);
    const unknown = await post('framework_id=nope', 'application/x-www-form-urlencoded');
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as { error: string }).error).to.match(/no framework 'nope'/);
    const wrongType = await post('x', 'text/plain');
    expect(wrongType.status).to.equal(400);
    expect((await fetch(`${url}/master/teardown`)).status).to.equal(405);

    const idle = new RawScheduler(f.master.grpcAddress);
    await idle.subscribe({ name: 'idle-2', user: 'ops' });
    const byJson = await post(JSON.stringify({ framework_id: idle.frameworkId }), 'application/json');
    expect(byJson.status).to.equal(200);
    await idle.error('FRAMEWORK_REMOVED');
    idle.close();

    const ok = await post(
      `framework_id=${encodeURIComponent(f.sched.frameworkId)}`,
      'application/x-www-form-urlencoded',
    );
    expect(ok.status).to.equal(200);
    await f.agents['host-a']!.take(AgentEventType.KILL_TASK);
    const { body } = await getJson<FrameworksPage>(`${url}/master/frameworks`);
    expect(body.frameworks.map((fw) => fw.id)).to.not.include(f.sched.frameworkId);
    const gone = body.completed_frameworks.find((fw) => fw.id === f.sched.frameworkId);
    expect(gone).to.include({ active: false, name: 'web' });
    expect(gone?.task_counts).to.deep.equal({ TASK_KILLED: 3, TASK_FINISHED: 1 });
    await waitFor(async () => (await tasks('?state=killed')).body.total === 3, 'killed tasks listed');
  });

  it('answers 405 to a POST on a page', async () => {
    const res = await fetch(`${url}/master/tasks`, { method: 'POST', body: '' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('GET, HEAD');
  });
});
