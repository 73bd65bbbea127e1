// The batch-shell example as a real process against a master and two agents
// run through the CLI: every task FINISHED, its output in its sandbox (read
// over the agent's HTTP API), the master's state agreeing, both agents used.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterState } from '@mesocosm/master';
import { DaemonProcess, fetchJson, waitFor } from '@mesocosm/testing';
import { cliMain, exampleMain, runProcess, stopAllProcesses } from '../helpers/index.js';
import { agentTasks, masterTasks, readSandboxFile } from './state-views.js';

const node = process.execPath;
const TASKS = 6;

describe('example framework on a master and two agents (processes)', function () {
  this.timeout(120_000);
  const daemons: DaemonProcess[] = [];
  const dirs: string[] = [];
  let master: DaemonProcess;
  const agents: DaemonProcess[] = [];

  before(async () => {
    master = await DaemonProcess.start(
      node,
      [cliMain, 'master', '--port', '0', '--grpc_port', '0', '--ip', '127.0.0.1'],
      { name: 'master' },
    );
    daemons.push(master);
    for (let i = 0; i < 2; i++) {
      const dir = await mkdtemp(join(tmpdir(), `mesocosm-it-agent${i + 1}-`));
      dirs.push(dir);
      const agent = await DaemonProcess.start(
        node,
        [
          cliMain,
          'agent',
          '--master',
          master.ready.grpc ?? '',
          '--work_dir',
          dir,
          '--ip',
          '127.0.0.1',
          '--port',
          '0',
          '--resources',
          `cpus:2;mem:1024;disk:1024;ports:[${32000 + i * 100}-${32099 + i * 100}]`,
          '--kill_tasks_on_exit',
        ],
        { name: `agent ${i + 1}` },
      );
      daemons.push(agent);
      agents.push(agent);
    }
    await waitFor(async () => (await masterAgentCount(master.ready.http)) === 2, {
      timeoutMs: 15_000,
      message: 'two agents in the master state',
    });
  });

  after(async () => {
    await Promise.all(daemons.map((d) => d.kill('SIGTERM', 5000)));
    await stopAllProcesses();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it(`runs ${TASKS} shell tasks to TASK_FINISHED across both agents, with their output in the sandboxes`, async () => {
    const nonce = `m${process.pid}x${Date.now()}`;
    const r = await runProcess(
      node,
      [
        exampleMain,
        '--master',
        master.ready.grpc ?? '',
        '--tasks',
        String(TASKS),
        '--cmd',
        `echo ${nonce}-$MESOS_TASK_ID`,
        '--timeout',
        '90',
      ],
      { timeoutMs: 100_000 },
    );
    expect(r.code, `example stderr:\n${r.stderr}\nstdout:\n${r.stdout}`).to.equal(0);

    // The summary: one line per task, then the totals.
    const rows = [...r.stdout.matchAll(/^\s+(batch-shell-\d+)\s+(TASK_\w+)\s+agent=(\S+)$/gm)];
    expect(rows.map((m) => m[1])).to.have.members(Array.from({ length: TASKS }, (_, i) => `batch-shell-${i + 1}`));
    expect(
      rows.every((m) => m[2] === 'TASK_FINISHED'),
      r.stdout,
    ).to.equal(true);
    expect(r.stdout).to.match(
      new RegExp(`^batch-shell: ${TASKS} tasks, ${TASKS} finished, 0 not finished, on 2 agents`, 'm'),
    );

    // Tasks ran on both agents, and only on ours.
    const agentIds = agents.map((a) => a.ready.agentId);
    const usedAgents = new Set(rows.map((m) => m[3]));
    expect([...usedAgents].sort()).to.deep.equal([...agentIds].sort());

    // Every task's stdout, read through its agent's HTTP API, holds its marker.
    for (const agent of agents) {
      const tasks = await agentTasks(agent.ready.http);
      for (const row of rows.filter((m) => m[3] === agent.ready.agentId)) {
        const task = tasks.find((t) => t.taskId === row[1]);
        expect(task, `${row[1]} in ${agent.ready.http}/state`).to.not.equal(undefined);
        const stdout = await readSandboxFile(agent.ready.http, `${task!.directory}/stdout`);
        expect(stdout).to.include(`${nonce}-${row[1]}`);
      }
    }

    // The master lists every task FINISHED.
    const finished = await waitFor(
      async () => {
        const tasks = (await masterTasks(master.ready.http)).filter((t) => t.taskId.startsWith('batch-shell-'));
        return tasks.length === TASKS && tasks.every((t) => t.state === 'TASK_FINISHED') && tasks;
      },
      { timeoutMs: 10_000, message: `${TASKS} FINISHED tasks in /master/state` },
    );
    expect(new Set(finished.map((t) => t.agentId))).to.deep.equal(usedAgents);
  });
});

async function masterAgentCount(http: string): Promise<number> {
  const state = await fetchJson<MasterState>(`${http}/master/state`);
  return state.slaves.filter((a) => a.active).length;
}
