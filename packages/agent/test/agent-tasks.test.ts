// Real tests: a real agent, a fake master over real gRPC, real processes.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentEventType, TaskStatusReason, v1 } from '@mesocosm/protocol';
import { getJson, startFixture, stateTask, stopFixture, type Fixture } from './helpers/agent-fixture.js';
import { FRAMEWORK_ID, killTask, runShellTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

describe('agent: running shell tasks', function () {
  this.timeout(30_000);
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  it('runs a task: STARTING, RUNNING, FINISHED with distinct uuids; stdout and stderr in its sandbox and over HTTP', async () => {
    f = await startFixture();
    const { master, agent } = f;
    master.send(runShellTask('hello', 'echo hello-out; echo hello-err >&2'));
    await waitFor('TASK_FINISHED', () => master.states('hello').includes('TASK_FINISHED'));
    expect(master.states('hello')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    const uuids = master.updates('hello').map((u) => u.uuid);
    expect(new Set(uuids).size).to.equal(3);
    for (const u of master.updates('hello')) {
      expect(u.frameworkId).to.equal(FRAMEWORK_ID);
      expect(u.status.agentId?.value).to.equal(f.agentId);
      expect(u.uuid).to.have.length(32);
    }

    const task = await waitFor('the task in /state', () => stateTask(agent, 'hello'));
    const dir = task.directory ?? '';
    expect(dir).to.equal(join(f.workDir, 'sandboxes', FRAMEWORK_ID, 'tasks', 'hello', 'run-1'));
    expect(await readFile(join(dir, 'stdout'), 'utf8')).to.equal('hello-out\n');
    expect(await readFile(join(dir, 'stderr'), 'utf8')).to.equal('hello-err\n');

    const read = await getJson<{ data: string; offset: number }>(
      `${agent.httpUrl}/files/read?path=${encodeURIComponent(join(dir, 'stdout'))}&offset=0`,
    );
    expect(read).to.deep.equal({ status: 200, body: { data: 'hello-out\n', offset: 0 } });
    const size = await getJson(`${agent.httpUrl}/files/read?path=${encodeURIComponent(join(dir, 'stderr'))}`);
    expect(size.body).to.deep.equal({ data: '', offset: 10 });
    const browse = await getJson<{ path: string; size: number }[]>(
      `${agent.httpUrl}/files/browse?path=${encodeURIComponent(dir)}`,
    );
    expect(browse.body.map((e) => e.path)).to.deep.equal([join(dir, 'stderr'), join(dir, 'stdout')]);
    const download = await fetch(`${agent.httpUrl}/files/download?path=${encodeURIComponent(join(dir, 'stdout'))}`);
    expect(download.status).to.equal(200);
    expect(await download.text()).to.equal('hello-out\n');
  });

  it('resends an update until it is acknowledged, and sends the next only after the ack', async () => {
    f = await startFixture({ statusUpdateRetryMs: 100 });
    const { master } = f;
    master.autoAck = false;
    master.send(runShellTask('acks', 'true'));
    const first = await waitFor('STARTING sent three times', () => {
      const u = master.updates('acks');
      return u.length >= 3 ? u : undefined;
    });
    expect(first.map((u) => u.state)).to.deep.equal(['TASK_STARTING', 'TASK_STARTING', 'TASK_STARTING']);
    expect(new Set(first.map((u) => u.uuid)).size).to.equal(1);
    // Backoff doubles: the gap before the third send is larger than before the second.
    const [a, b, c] = first.map((u) => u.at) as [number, number, number];
    expect(c - b).to.be.greaterThan(b - a);

    master.ack(first[0]!);
    const running = await waitFor('RUNNING', () => master.updates('acks').find((u) => u.state === 'TASK_RUNNING'));
    expect(master.updates('acks').filter((u) => u.state === 'TASK_FINISHED')).to.have.length(0);
    master.ack(running);
    const finished = await waitFor('FINISHED', () => master.updates('acks').find((u) => u.state === 'TASK_FINISHED'));
    master.ack(finished);
    expect(master.states('acks')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    // Once acknowledged, the task is completed and no more updates come.
    await waitFor('the task completed in /state', async () => {
      const { body } = await getJson<{ completed_tasks: { id: string }[] }>(`${f!.agent.httpUrl}/state`);
      return body.completed_tasks.some((t) => t.id === 'acks');
    });
  });

  it('keeps unacknowledged updates across a reconnection and resends them after re-registering', async () => {
    f = await startFixture({ statusUpdateRetryMs: 60_000 });
    const { master } = f;
    master.autoAck = false;
    master.send(runShellTask('survivor', 'sleep 30'));
    const starting = await waitFor('STARTING', () => master.updates('survivor')[0]);
    master.dropConnection();
    await waitFor('a re-registration', () => master.callsOfType(v1.AgentCall.Type.REREGISTER).length === 1);
    const rereg = master.callsOfType(v1.AgentCall.Type.REREGISTER)[0]!;
    expect(rereg.agentId?.value).to.equal(f.agentId);
    expect(rereg.register?.tasks?.map((t) => t.task?.taskId?.value)).to.deep.equal(['survivor']);
    expect(rereg.register?.tasks?.map((t) => t.frameworkId?.value)).to.deep.equal([
      rereg.register?.frameworks?.[0]?.id?.value,
    ]);
    expect(rereg.register?.frameworks?.map((fw) => fw.id?.value)).to.deep.equal([FRAMEWORK_ID]);
    const resent = await waitFor('STARTING resent', () => master.updates('survivor')[1]);
    expect(resent.uuid).to.equal(starting.uuid);
    expect(resent.state).to.equal('TASK_STARTING');
  });

  it('reports a non-zero exit as TASK_FAILED with the exit code', async () => {
    f = await startFixture();
    f.master.send(runShellTask('fails', 'echo oops >&2; exit 3'));
    const failed = await waitFor('FAILED', () => f!.master.updates('fails').find((u) => u.state === 'TASK_FAILED'));
    expect(failed.status.message).to.equal('Command exited with status 3');
    expect(failed.status.reason).to.equal(TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED);
  });

  it('reports a program that cannot be started as TASK_FAILED (REASON_COMMAND_EXECUTOR_FAILED)', async () => {
    f = await startFixture();
    const event = runShellTask('nope', '');
    event.runTask!.task!.command = { shell: false, value: '/no/such/program', arguments: ['prog', 'x'] };
    f.master.send(event);
    await waitFor('FAILED', () => f!.master.states('nope').includes('TASK_FAILED'));
    const failed = f.master.updates('nope').find((u) => u.state === 'TASK_FAILED')!;
    expect(failed.status.reason).to.equal(TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED);
    expect(failed.status.message).to.include('/no/such/program');
    expect(f.master.states('nope')).to.deep.equal(['TASK_STARTING', 'TASK_FAILED']);
  });

  it('gives the task its environment: MESOS_* and MESOCOSM_* variables, ports and its own variables', async () => {
    f = await startFixture();
    const event = runShellTask(
      'env',
      'echo "$MESOS_TASK_ID|$MESOCOSM_FRAMEWORK_ID|$MESOS_AGENT_ID|$PORT0|$PORT1|$PORTS|$FOO|$(pwd)|$MESOS_SANDBOX"',
      'cpus:0.1;mem:32;ports:[31005-31006]',
    );
    event.runTask!.task!.command!.environment = { variables: [{ name: 'FOO', value: 'bar' }] };
    f.master.send(event);
    await waitFor('FINISHED', () => f!.master.states('env').includes('TASK_FINISHED'));
    const dir = (await stateTask(f.agent, 'env'))!.directory!;
    const out = (await readFile(join(dir, 'stdout'), 'utf8')).trim();
    expect(out).to.equal(`env|${FRAMEWORK_ID}|${f.agentId}|31005|31006|31005,31006|bar|${dir}|${dir}`);
  });

  it('runs the task in its own process group', async () => {
    f = await startFixture();
    f.master.send(runShellTask('pgrp', 'sleep 30'));
    await waitFor('RUNNING', () => f!.master.states('pgrp').includes('TASK_RUNNING'));
    const pid = (await stateTask(f.agent, 'pgrp'))!.pid!;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    expect(pgrp).to.equal(pid);
    expect(pgrp).to.not.equal(process.pid);
  });

  it('kills with SIGTERM, then SIGKILL after the grace period, ending TASK_KILLED', async () => {
    f = await startFixture();
    const { master, agent } = f;
    // One task ignores SIGTERM; the other notes it and carries on.
    // Each says `armed` once its trap is set: RUNNING comes at spawn, before the shell ran a line.
    master.send(runShellTask('stubborn', "trap '' TERM; echo armed; sleep 30"));
    master.send(runShellTask('noter', "trap 'echo got-TERM' TERM; echo armed; while :; do sleep 0.05; done"));
    await waitFor('both RUNNING', () => ['stubborn', 'noter'].every((t) => master.states(t).includes('TASK_RUNNING')));
    const tasks = await Promise.all(['stubborn', 'noter'].map(async (t) => (await stateTask(agent, t))!));
    const pids = tasks.map((t) => t.pid!);
    await waitFor('both traps armed', async () => {
      const outs = await Promise.all(tasks.map((t) => readFile(join(t.directory!, 'stdout'), 'utf8').catch(() => '')));
      return outs.every((o) => o.includes('armed')) || undefined;
    });
    const killedAt = Date.now();
    master.send(killTask('stubborn', 1));
    master.send(killTask('noter', 1));
    const killed = await waitFor('both KILLED', () => {
      const k = ['stubborn', 'noter'].map((t) => master.updates(t).find((u) => u.state === 'TASK_KILLED'));
      return k.every((u) => u !== undefined) ? k : undefined;
    });
    // Neither ends on SIGTERM: only the SIGKILL after the 1 s grace period ends them.
    for (const u of killed) expect(u!.at - killedAt).to.be.at.least(900);
    const noterDir = (await stateTask(agent, 'noter'))!.directory!;
    expect(await readFile(join(noterDir, 'stdout'), 'utf8')).to.include('got-TERM');
    for (const pid of pids) {
      const alive = await readFile(`/proc/${pid}/stat`, 'utf8').then(
        () => true,
        () => false,
      );
      expect(alive, `process ${pid} is gone`).to.equal(false);
    }
  });

  it('refuses a task ID that is already running (TASK_ERROR)', async () => {
    f = await startFixture();
    const { master } = f;
    master.send(runShellTask('dup', 'sleep 30'));
    await waitFor('RUNNING', () => master.states('dup').includes('TASK_RUNNING'));
    master.send(runShellTask('dup', 'echo again'));
    const error = await waitFor('TASK_ERROR', () => master.updates('dup').find((u) => u.state === 'TASK_ERROR'));
    expect(error.status.message).to.include('already running');
  });

  it('kills every task of a framework on SHUTDOWN_FRAMEWORK', async () => {
    f = await startFixture({ defaultKillGracePeriodMs: 100 });
    const { master } = f;
    master.send(runShellTask('s1', 'sleep 30'));
    master.send(runShellTask('s2', 'sleep 30'));
    await waitFor('RUNNING', () => ['s1', 's2'].every((t) => master.states(t).includes('TASK_RUNNING')));
    master.send({
      type: AgentEventType.SHUTDOWN_FRAMEWORK,
      shutdownFramework: { frameworkId: { value: FRAMEWORK_ID } },
    });
    await waitFor('KILLED', () => ['s1', 's2'].every((t) => master.states(t).includes('TASK_KILLED')));
  });

  it('answers PING with HEARTBEAT and ignores events from an older epoch', async () => {
    f = await startFixture();
    const { master } = f;
    master.epoch = 5;
    master.send({ type: AgentEventType.PING });
    await waitFor('HEARTBEAT', () => master.callsOfType(v1.AgentCall.Type.HEARTBEAT).length === 1);
    master.epoch = 4;
    master.send(runShellTask('stale', 'true'));
    master.epoch = 5;
    master.send(runShellTask('fresh', 'true'));
    await waitFor('fresh FINISHED', () => master.states('fresh').includes('TASK_FINISHED'));
    expect(master.updates('stale')).to.deep.equal([]);
  });
});
