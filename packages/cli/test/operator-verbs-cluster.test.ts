// The operator verbs as real `mesocosm` processes against a real LocalCluster
// (a master and two agents on loopback) running a framework's shell tasks:
// agents, frameworks, tasks (with --wait-running), logs (with --follow),
// drain --wait and undrain, teardown.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConstraints, Scheduler, SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import type { AgentsPage, FrameworksPage, TasksPage } from '../src/master-json.js';

const cliMain = fileURLToPath(new URL('../src/main.js', import.meta.url));

interface Cli {
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

const running = new Set<Cli>();

/** Starts `mesocosm args` (stdin closed: not a terminal). */
function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Cli {
  const child = spawn(process.execPath, [cliMain, ...args], {
    env: { ...process.env, MESOCOSM_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const cli: Cli = {
    stdout: () => stdout,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal }))),
    kill: (signal) => void child.kill(signal),
  };
  running.add(cli);
  void cli.exited.then(() => running.delete(cli));
  return cli;
}

/** Runs `mesocosm args` to its end. */
async function runCliProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = startCli(args, env);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('operator verbs on a LocalCluster (mesocosm processes)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let scheduler: Scheduler;
  let dir: string;
  let frameworkId: string;
  let master: string[];

  const pidOf = async (task: string): Promise<number> =>
    Number((await readFile(join(dir, `${task}.pid`), 'utf8')).trim());
  const tasksOf = async (): Promise<TasksPage> =>
    fetchJson<TasksPage>(`${cluster.masterHttp}/master/tasks?framework_id=${frameworkId}&limit=100`);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesocosm-cli-ops-'));
    cluster = await LocalCluster.start({ agents: [{ hostname: 'cli-a' }, { hostname: 'cli-b' }] });
    await cluster.waitForAgents(2);
    master = ['--master', cluster.masterHttp];
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'cli-ops', user: userInfo().username, roles: ['*'], failoverTimeout: 3600 },
      logger: silentLogger,
    });
    scheduler = new Scheduler(driver, { logger: silentLogger });
    const sleeper = (
      id: string,
    ): {
      taskId: string;
      resources: string;
      command: { value: string };
      constraints: ReturnType<typeof parseConstraints>;
    } => ({
      taskId: id,
      resources: 'cpus:0.1;mem:32',
      command: { value: `echo hello-from-${id}; echo to-stderr >&2; echo $$ > ${dir}/${id}.pid; exec sleep 600` },
      constraints: parseConstraints([['hostname', 'UNIQUE']]),
    });
    scheduler.want('/sleepers', [sleeper('sleeper-1'), sleeper('sleeper-2')]);
    scheduler.want('/follow', {
      taskId: 'follow-1',
      resources: 'cpus:0.1;mem:32',
      command: { value: `echo first-line; until [ -f ${dir}/go ]; do sleep 0.1; done; echo later-line` },
    });
    frameworkId = (await scheduler.start()).frameworkId;
  });

  after(async () => {
    for (const cli of running) cli.kill('SIGKILL');
    await scheduler?.stop().catch(() => undefined);
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('tasks --wait-running 3 waits with progress until the three tasks run, then lists them', async () => {
    const r = await runCliProcess([
      'tasks',
      ...master,
      '--framework',
      'cli-ops',
      '--wait-running',
      '3',
      '--timeout',
      '60secs',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/3 tasks running: done\n$/);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).to.match(/^ID\s+NAME\s+STATE\s+FRAMEWORK\s+AGENT\s+CPUS\s+MEM$/);
    expect(rows.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).to.deep.equal([
      ['follow-1', 'follow-1', 'TASK_RUNNING', 'cli-ops'],
      ['sleeper-1', 'sleeper-1', 'TASK_RUNNING', 'cli-ops'],
      ['sleeper-2', 'sleeper-2', 'TASK_RUNNING', 'cli-ops'],
    ]);
  });

  it('agents lists both agents with their resources and tasks; --json is the endpoint', async () => {
    const r = await runCliProcess(['agents'], { MESOCOSM_MASTER: cluster.masterHttp });
    expect(r.code, r.stderr).to.equal(0);
    for (const a of cluster.agents) {
      expect(r.stdout).to.match(
        new RegExp(
          `\\n${a.agentId}\\s+cli-[ab]\\s+0\\.[1-3]/2\\s+\\d+ MB/2 GB\\s+0 MB/4 GB\\s+[12]\\s+connected\\s+-\\n`,
        ),
      );
    }
    const json = await runCliProcess(['agents', ...master, '--json']);
    const page = JSON.parse(json.stdout) as AgentsPage;
    expect(page.slaves.map((a) => a.id).sort()).to.deep.equal(cluster.agents.map((a) => a.agentId).sort());
    expect(page.slaves.reduce((n, a) => n + a.task_count, 0)).to.equal(3);
  });

  it('frameworks shows the framework, its role, connection and tasks by state', async () => {
    const r = await runCliProcess(['frameworks', ...master]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(
      new RegExp(`\\n${frameworkId}\\s+cli-ops\\s+\\*\\s+-\\s+yes\\s+yes\\s+[\\d.]+%\\s+3 running\\n`),
    );
  });

  it('tasks --state takes running in any spelling; other states list no task', async () => {
    const r = await runCliProcess(['tasks', ...master, '--state', 'Running', '--name', 'sleeper']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/\nsleeper-1\s+sleeper-1\s+TASK_RUNNING\s+cli-ops\s+cli-[ab]\s+0\.1\s+32 MB\n/);
    expect(r.stdout).to.match(/\nsleeper-2\s+/);
    const none = await runCliProcess(['tasks', ...master, '--state', 'task_finished']);
    expect(none.stdout).to.equal('no tasks\n');
    const bad = await runCliProcess(['tasks', ...master, '--state', 'runing']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/'runing' is not a task state: use one of staging, starting, running/);
  });

  it("logs prints a task's stdout, or its stderr, from its sandbox through the master", async () => {
    const out = await runCliProcess(['logs', 'sleeper-1', ...master]);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.equal('hello-from-sleeper-1\n');
    const err = await runCliProcess(['logs', 'sleeper-2', ...master, '--stderr']);
    expect(err.stdout).to.equal('to-stderr\n');
    const unknown = await runCliProcess(['logs', 'no-such-task', ...master]);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/no task has an ID or name like 'no-such-task'/);
    const ambiguous = await runCliProcess(['logs', 'sleeper', ...master]);
    expect(ambiguous.code).to.equal(2);
    expect(ambiguous.stderr).to.match(/2 tasks have an ID or name containing 'sleeper': sleeper-1 .*sleeper-2/);
  });

  it('logs --follow sees a line written later, and ends by itself once the task has finished', async () => {
    const follow = startCli(['logs', 'follow-1', ...master, '--follow']);
    await waitFor(() => follow.stdout().includes('first-line\n'), { timeoutMs: 15_000, message: 'the first line' });
    expect(follow.stdout()).to.equal('first-line\n');
    await writeFile(join(dir, 'go'), '');
    expect(await follow.exited).to.deep.equal({ code: 0, signal: null });
    expect(follow.stdout()).to.equal('first-line\nlater-line\n');
    const rows = (await tasksOf()).tasks.filter((t) => t.id === 'follow-1');
    expect(rows.map((t) => t.state)).to.deep.equal(['TASK_FINISHED']);
  });

  it('logs --follow of a running task ends cleanly on Ctrl-C', async () => {
    const follow = startCli(['logs', 'sleeper-2', ...master, '-f']);
    await waitFor(() => follow.stdout() === 'hello-from-sleeper-2\n', { timeoutMs: 15_000, message: 'the output' });
    follow.kill('SIGINT');
    expect(await follow.exited).to.deep.equal({ code: 0, signal: null });
  });

  it('drain --wait kills the tasks of the agent and shows progress until DRAINED; undrain reactivates it', async () => {
    const sleeper1 = (await tasksOf()).tasks.find((t) => t.id === 'sleeper-1');
    const agent = cluster.agents.find((a) => a.agentId === sleeper1?.agent_id);
    expect(agent, 'the agent of sleeper-1').to.not.equal(undefined);
    const pid = await pidOf('sleeper-1');
    expect(alive(pid)).to.equal(true);
    const hostname = sleeper1?.agent_hostname ?? '';
    const r = await runCliProcess([
      'drain',
      hostname,
      ...master,
      '--max-grace-period',
      '1secs',
      '--wait',
      '--timeout',
      '60secs',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(
      `agent ${agent?.agentId} (${hostname}): draining\nagent ${agent?.agentId} (${hostname}): DRAINED\n`,
    );
    await waitFor(() => !alive(pid), { timeoutMs: 10_000, message: 'sleeper-1 killed' });
    expect((await tasksOf()).tasks.find((t) => t.id === 'sleeper-1')?.state).to.equal('TASK_KILLED');
    expect((await tasksOf()).tasks.find((t) => t.id === 'sleeper-2')?.state).to.equal('TASK_RUNNING');
    const agents = await runCliProcess(['agents', ...master]);
    expect(agents.stdout).to.match(new RegExp(`\\n${agent?.agentId}\\s+.*\\s+DRAINED\\n`));

    const undrain = await runCliProcess(['undrain', agent?.agentId ?? '', ...master]);
    expect(undrain.code, undrain.stderr).to.equal(0);
    const page = await fetchJson<AgentsPage>(`${cluster.masterHttp}/master/slaves`);
    expect(page.slaves.find((a) => a.id === agent?.agentId)).to.include({ deactivated: false });
  });

  it('teardown needs --yes without a terminal, then kills the framework tasks', async () => {
    const pid = await pidOf('sleeper-2');
    expect(alive(pid)).to.equal(true);
    const refused = await runCliProcess(['teardown', 'cli-ops', ...master]);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(
      /--yes: tearing down framework .* \(cli-ops\) kills its 1 live task; confirm with --yes/,
    );
    expect(alive(pid)).to.equal(true);

    const r = await runCliProcess(['teardown', 'cli-ops', ...master, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(`framework ${frameworkId} (cli-ops): torn down, 1 task killed\n`);
    await waitFor(() => !alive(pid), { timeoutMs: 15_000, message: 'sleeper-2 killed' });
    const page = await fetchJson<FrameworksPage>(`${cluster.masterHttp}/master/frameworks`);
    expect(page.frameworks.map((f) => f.id)).to.not.include(frameworkId);
    expect(page.completed_frameworks.map((f) => f.id)).to.include(frameworkId);
    const left = await runCliProcess(['tasks', ...master, '--framework', frameworkId, '--state', 'running']);
    expect(left.stdout).to.equal('no tasks\n');
  });
});
