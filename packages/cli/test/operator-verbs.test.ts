// The operator verbs through runCli against a fake master (a real HTTP server
// answering the contract's shapes): the requests they send, what they print,
// their waits and their errors.
import { expect } from 'chai';
import { createServer } from 'node:net';
import { agentRow, cli, FakeMaster, frameworkRow, taskRow, type Handler } from './fake-master.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('operator verbs against a fake master', () => {
  let master: FakeMaster;
  beforeEach(async () => {
    master = await FakeMaster.start({
      '/master/slaves': () => ({ json: { slaves: [agentRow({ id: 'a1', hostname: 'h1', task_count: 1 })] } }),
      '/master/frameworks': () => ({
        json: {
          frameworks: [frameworkRow({ id: 'f1', name: 'web', counts: { TASK_RUNNING: 2 } })],
          completed_frameworks: [frameworkRow({ id: 'f0', name: 'old', active: false, connected: false })],
        },
      }),
      '/api/v1': () => ({ json: {} }),
    });
  });
  afterEach(async () => master.stop());

  it('agents: a table by default, the endpoint JSON with --json', async () => {
    const table = await cli(['agents', '--master', master.url]);
    expect(table.code, table.err).to.equal(0);
    expect(table.out).to.match(/^ID\s+HOSTNAME/);
    expect(table.out).to.match(/\na1\s+h1\s+0\/2\s+0 MB\/2 GB\s+0 MB\/4 GB\s+1\s+connected\s+-\n$/);
    const json = await cli(['agents', '--master', master.url, '--json']);
    expect(JSON.parse(json.out)).to.deep.equal({ slaves: [agentRow({ id: 'a1', hostname: 'h1', task_count: 1 })] });
  });

  it('MESOCOSM_MASTER names the master when --master is not given', async () => {
    const r = await cli(['agents'], { env: { MESOCOSM_MASTER: master.url.replace('http://', '') } });
    expect(r.code, r.err).to.equal(0);
    expect(master.to('/master/slaves')).to.have.length(1);
  });

  it('frameworks: registered ones, and completed ones with --completed', async () => {
    const r = await cli(['frameworks', '--master', master.url]);
    expect(r.out).to.match(/\nf1\s+web\s+\*\s+ops\s+yes\s+yes\s+0%\s+2 running\n$/);
    expect(r.out).to.not.include('old');
    const all = await cli(['frameworks', '--master', master.url, '--completed']);
    expect(all.out).to.match(/\nf0\s+old\s+\*\s+ops\s+completed\s+no/);
  });

  it('tasks: filters become the query (framework and agent by name), states in any spelling', async () => {
    master.routes['/master/tasks'] = () => ({
      json: { tasks: [taskRow({ id: 't1' }), taskRow({ id: 't2' })], total: 7, offset: 0, limit: 2 },
    });
    const r = await cli([
      'tasks',
      '--master',
      master.url,
      '--state',
      'running',
      '--state',
      'Task_Staging,KILLED',
      '--framework',
      'web',
      '--agent',
      'h1',
      '--name',
      'x',
      '--limit',
      '2',
    ]);
    expect(r.code, r.err).to.equal(0);
    const q = master.to('/master/tasks')[0]!.query;
    expect(Object.fromEntries(q)).to.deep.equal({
      framework_id: 'f1',
      agent_id: 'a1',
      state: 'TASK_RUNNING,TASK_STAGING,TASK_KILLED',
      name: 'x',
      offset: '0',
      limit: '2',
    });
    expect(r.out.trimEnd().split('\n')).to.have.length(3);
    expect(r.err).to.equal('2 of 7 tasks shown: --limit N or --all for more\n');
  });

  it('tasks --all: page after page of at most 1000', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => taskRow({ id: `t${String(i).padStart(4, '0')}` }));
    master.routes['/master/tasks'] = (req) => {
      const offset = Number(req.query.get('offset'));
      const limit = Number(req.query.get('limit'));
      return { json: { tasks: all.slice(offset, offset + limit), total: all.length, offset, limit } };
    };
    const r = await cli(['tasks', '--master', master.url, '--all', '--json']);
    expect(r.code, r.err).to.equal(0);
    expect((JSON.parse(r.out) as { tasks: unknown[] }).tasks).to.have.length(2500);
    expect(master.to('/master/tasks').map((q) => [q.query.get('offset'), q.query.get('limit')])).to.deep.equal([
      ['0', '1000'],
      ['1000', '1000'],
      ['2000', '1000'],
    ]);
    const limited = await cli(['tasks', '--master', master.url, '--limit', '1500']);
    expect(limited.out.trimEnd().split('\n')).to.have.length(1501);
  });

  it('bad arguments exit 2 with a clear message and send nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['tasks', '--state', 'runing'], /'runing' is not a task state: use one of staging, starting, running/],
      [['tasks', '--limit', '0'], /--limit.*at least 1/],
      [['tasks', '--wait', '2', '--wait-running', '2'], /--wait-running: give either --wait N or --wait-running N/],
      [['tasks', '--wait-running', '2', '--state', 'staging'], /--wait-running: waits for running tasks/],
      [['drain', 'a1', '--max-grace-period', '30'], /--max-grace-period.*30secs/],
      [['logs'], /missing required argument 'task'/],
      [['agents', '--master', 'ftp://x'], /not the master's HTTP address/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli([...argv, ...(argv.includes('--master') ? [] : ['--master', master.url])]);
      expect(r.code, argv.join(' ')).to.equal(2);
      expect(r.err, argv.join(' ')).to.match(message);
      expect(r.out).to.equal('');
    }
    expect(master.requests).to.deep.equal([]);
  });

  it('unknown and ambiguous names: exit 1 and 2, listing what there is', async () => {
    const unknown = await cli(['drain', 'nope', '--master', master.url]);
    expect(unknown.code).to.equal(1);
    expect(unknown.err).to.match(/no agent has ID or hostname 'nope'; known: a1 \(h1\)/);
    master.routes['/master/tasks'] = () => ({
      json: { tasks: [taskRow({ id: 'web.1' }), taskRow({ id: 'web.2' })], total: 2, offset: 0, limit: 1000 },
    });
    const ambiguous = await cli(['logs', 'web', '--master', master.url]);
    expect(ambiguous.code).to.equal(2);
    expect(ambiguous.err).to.match(/TASK: 2 tasks have an ID or name containing 'web': web\.1 .*web\.2/);
    expect(master.to('/api/v1')).to.deep.equal([]);
  });

  it('tasks --wait-running N: progress lines until N run, then the table', async () => {
    let total = 0;
    master.routes['/master/tasks'] = (req) => {
      const limit = Number(req.query.get('limit'));
      if (limit === 1) total++;
      const tasks = Array.from({ length: Math.min(total, limit) }, (_, i) => taskRow({ id: `t${i}` }));
      return { json: { tasks, total, offset: 0, limit } };
    };
    const r = await cli(['tasks', '--master', master.url, '--wait-running', '3', '--interval', '10ms']);
    expect(r.code, r.err).to.equal(0);
    expect(master.to('/master/tasks')[0]!.query.get('state')).to.equal('TASK_RUNNING');
    expect(r.err).to.match(/^\[\d+s\] 1\/3 tasks running\n\[\d+s\] 2\/3 tasks running\n3 tasks running: done\n$/);
    expect(r.out).to.match(/^ID\s+NAME/);
  });

  it('a wait that does not end gives up after --timeout, saying how far it got', async () => {
    master.routes['/master/tasks'] = () => ({ json: { tasks: [], total: 1, offset: 0, limit: 1 } });
    const r = await cli(['tasks', '--master', master.url, '--wait', '2', '--timeout', '200ms', '--interval', '20ms']);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(
      /error: gave up after 200ms waiting for 2 tasks \(last: 1\/2 tasks\); wait longer with --timeout/,
    );
  });

  it('Ctrl-C ends a wait with status 130', async () => {
    master.routes['/master/tasks'] = () => ({ json: { tasks: [], total: 0, offset: 0, limit: 1 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 100);
    const r = await cli(['tasks', '--master', master.url, '--wait', '1', '--interval', '20ms'], {
      interrupts: () => ({ signal: controller.signal, dispose: () => undefined }),
    });
    expect(r.code).to.equal(130);
    expect(r.err).to.match(/interrupted \(SIGINT\)\n$/);
  });

  it('drain: the DRAIN_AGENT call; --wait shows the tasks left until DRAINED', async () => {
    let polls = 0;
    master.routes['/master/slaves'] = () => {
      polls++;
      const row =
        polls === 1
          ? agentRow({ id: 'a1', hostname: 'h1', task_count: 2 })
          : polls < 4
            ? agentRow({ id: 'a1', hostname: 'h1', task_count: 2, drain: 'DRAINING' })
            : polls < 6
              ? agentRow({ id: 'a1', hostname: 'h1', task_count: 1, drain: 'DRAINING' })
              : agentRow({ id: 'a1', hostname: 'h1', drain: 'DRAINED' });
      return { json: { slaves: [row] } };
    };
    const r = await cli(
      ['drain', 'h1', '--master', master.url, '--max-grace-period', '30secs', '--mark-gone', '--wait'].concat([
        '--interval',
        '10ms',
      ]),
    );
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(master.to('/api/v1')[0]!.body)).to.deep.equal({
      type: 'DRAIN_AGENT',
      drain_agent: {
        agent_id: { value: 'a1' },
        max_grace_period: { nanoseconds: 30e9 },
        mark_gone: true,
        leave_tasks_running: false,
      },
    });
    expect(r.out).to.equal('agent a1 (h1): draining\nagent a1 (h1): DRAINED\n');
    expect(r.err).to.match(/^\[\d+s\] DRAINING h1: 2 tasks left\n\[\d+s\] DRAINING h1: 1 task left\n$/);
  });

  it('undrain: the REACTIVATE_AGENT call', async () => {
    const r = await cli(['undrain', 'a1', '--master', master.url]);
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(master.to('/api/v1')[0]!.body)).to.deep.equal({
      type: 'REACTIVATE_AGENT',
      reactivate_agent: { agent_id: { value: 'a1' } },
    });
    expect(r.out).to.equal('agent a1 (h1): reactivated\n');
  });

  it('teardown: needs --yes without a terminal; asks on one; then the TEARDOWN call', async () => {
    const refused = await cli(['teardown', 'web', '--master', master.url]);
    expect(refused.code).to.equal(2);
    expect(refused.err).to.match(/--yes: tearing down framework f1 \(web\) kills its 2 live tasks; confirm with --yes/);
    const questions: string[] = [];
    const no = await cli(['teardown', 'web', '--master', master.url], {
      stdinIsTty: true,
      confirm: async (q) => (questions.push(q), false),
    });
    expect(no.code).to.equal(0);
    expect(questions[0]).to.match(
      /^Tear down framework f1 \(web\), role \*, and kill its tasks \(2 running\)\? \[y\/N\] $/,
    );
    expect(master.to('/api/v1')).to.deep.equal([]);
    const yes = await cli(['teardown', 'f1', '--master', master.url, '--yes']);
    expect(yes.code, yes.err).to.equal(0);
    expect(JSON.parse(master.to('/api/v1')[0]!.body)).to.deep.equal({
      type: 'TEARDOWN',
      teardown: { framework_id: { value: 'f1' } },
    });
    expect(yes.out).to.equal('framework f1 (web): torn down, 2 tasks killed\n');
    const again = await cli(['teardown', 'f0', '--master', master.url, '--yes']);
    expect(again.code).to.equal(1);
    expect(again.err).to.match(/framework f0 \(old\) is already torn down/);
  });

  it("the master's own error message is passed on", async () => {
    master.routes['/api/v1'] = () => ({
      status: 400,
      json: { error: "agent_id: agent 'a1' is not deactivated, draining or drained", code: 'INVALID_ARGUMENT' },
    });
    const r = await cli(['undrain', 'a1', '--master', master.url]);
    expect(r.code).to.equal(2);
    expect(r.err).to.equal(
      "error: the master answered 400 to POST /api/v1: agent_id: agent 'a1' is not deactivated, draining or drained\n",
    );
  });

  it('a master without the endpoint: 404 with a hint', async () => {
    delete master.routes['/master/slaves'];
    const r = await cli(['agents', '--master', master.url]);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/answered 404 to GET \/master\/slaves: no such endpoint.*older than this mesocosm command/);
  });

  it('no master at the address: a clear error, exit 1', async () => {
    const r = await cli(['agents', '--master', `127.0.0.1:${await closedPort()}`]);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(
      /^error: cannot reach the master at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): is it running\?/,
    );
  });

  it('a standby redirects (307) to the leader; the verb follows it, then talks to the leader', async () => {
    const standby = await FakeMaster.start();
    try {
      const redirect: Handler = (req) => ({
        status: 307,
        headers: { location: `${master.url}${req.path}?${req.query.toString()}` },
      });
      standby.routes['/master/slaves'] = redirect;
      standby.routes['/api/v1'] = redirect;
      const r = await cli(['drain', 'a1', '--master', standby.url]);
      expect(r.code, r.err).to.equal(0);
      expect(standby.requests.map((q) => q.path)).to.deep.equal(['/master/slaves']);
      expect(master.requests.map((q) => `${q.method} ${q.path}`)).to.deep.equal(['GET /master/slaves', 'POST /api/v1']);
      expect(JSON.parse(master.to('/api/v1')[0]!.body)).to.have.property('type', 'DRAIN_AGENT');
    } finally {
      await standby.stop();
    }
  });

  it('a POST redirected by a standby keeps its method and body', async () => {
    const standby = await FakeMaster.start({
      '/api/v1': () => ({ status: 307, headers: { location: `${master.url}/api/v1` } }),
      '/master/slaves': () => ({ json: { slaves: [agentRow({ id: 'a1' })] } }),
    });
    try {
      const r = await cli(['undrain', 'a1', '--master', standby.url]);
      expect(r.code, r.err).to.equal(0);
      expect(master.to('/api/v1').map((q) => [q.method, JSON.parse(q.body).type as string])).to.deep.equal([
        ['POST', 'REACTIVATE_AGENT'],
      ]);
    } finally {
      await standby.stop();
    }
  });
});
