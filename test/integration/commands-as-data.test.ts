// Commands are data (issue 8): what a user gives as arguments or environment
// reaches the task's process as it is, never spliced into a shell string by
// us. A real task in argv form with shell metacharacters in its arguments
// and environment prints them back verbatim and runs nothing they spell out;
// and Chronos' manual-run arguments (the one place we append to a shell
// command) are quoted so that /bin/sh hands them to the program unchanged,
// for any string (fast-check, seeded).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseJob, taskCommand } from '@mesocosm/chronos';
import { TaskState } from '@mesocosm/protocol';
import { LocalCluster } from '@mesocosm/testing';
import { RawScheduler } from '../fuzz/support/raw-scheduler.js';

const SEED = 8_2026;

function sh(script: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('/bin/sh', ['-c', script], { encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('commands are data, never shell strings of ours', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  let sched: RawScheduler;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cmd-data-'));
    cluster = await LocalCluster.start({ agents: 1 });
    await cluster.waitForAgents(1);
    sched = new RawScheduler(cluster.masterGrpc);
    await sched.subscribe({ name: 'cmd-data', user: userInfo().username });
  });

  after(async () => {
    sched?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function stdoutOf(taskId: string): Promise<string> {
    const tasks = (await (await fetch(`${cluster.masterHttp}/master/tasks?name=${taskId}`)).json()) as {
      tasks: { sandbox: string }[];
    };
    const path = `${tasks.tasks[0]?.sandbox ?? ''}/run-1/stdout`;
    const read = await fetch(`${cluster.agents[0]!.httpUrl}/files/read?path=${encodeURIComponent(path)}&offset=0`);
    return ((await read.json()) as { data: string }).data;
  }

  it('passes argv-form arguments and environment values to the process verbatim', async () => {
    const marker = join(dir, 'pwned');
    const hostile = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `; touch ${marker}`,
      `&& touch ${marker}`,
      `| touch ${marker}`,
      `'"\\ $HOME *`,
      'line\nbreak',
    ];
    const status = await sched.runTask('argv', 'cpus:0.1;mem:32', {
      shell: false,
      value: '/usr/bin/printf',
      arguments: ['printf', '%s\\0', ...hostile],
      environment: { variables: [{ name: 'HOSTILE', value: `$(touch ${marker})` }] },
    });
    expect(status.state, status.message ?? '').to.equal(TaskState.TASK_FINISHED);
    expect((await stdoutOf('argv')).split('\0').slice(0, -1)).to.deep.equal(hostile);

    const env = await sched.runTask('env', 'cpus:0.1;mem:32', {
      shell: false,
      value: '/usr/bin/env',
      arguments: ['env'],
      environment: { variables: [{ name: 'HOSTILE', value: `$(touch ${marker}); \`id\`` }] },
    });
    expect(env.state, env.message ?? '').to.equal(TaskState.TASK_FINISHED);
    expect(await stdoutOf('env')).to.include(`HOSTILE=$(touch ${marker}); \`id\`\n`);
    expect(await exists(marker), 'a metacharacter was run by a shell').to.equal(false);
  });

  it("quotes Chronos' manual-run arguments so that the shell passes any string through unchanged", async () => {
    const job = parseJob(
      { name: 'quoting', command: "printf '%s\\0'", schedule: 'R/2030-01-01T00:00:00Z/PT1H' },
      { now: Date.parse('2026-01-01T00:00:00Z') },
    );
    const arg = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { minLength: 1, maxLength: 5 }), async (args) => {
        const command = taskCommand(job, { runId: 'r', taskId: 't', attempt: 1, scheduledTime: 0, args });
        expect(command.shell).to.equal(true);
        const out = await sh(command.value ?? '');
        expect(out.split('\0').slice(0, -1)).to.deep.equal(args);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
