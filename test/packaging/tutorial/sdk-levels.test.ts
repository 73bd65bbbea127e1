// Runs the low-level driver, the custom executor and the HA instance of
// docs/sdk.md against a LocalCluster.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Scheduler, SchedulerDriver, silentLogger, taskStateName, type ITaskStatus } from '@mesocosm/framework-sdk';
import { LocalCluster, waitFor } from '@mesocosm/testing';
import { startInstance } from './ha-framework.js';
import { runCommands } from './low-level.js';
import { shoutTasks } from './shout-tasks.js';

const execFileAsync = promisify(execFile);
const EXECUTOR = fileURLToPath(new URL('./shout-executor.js', import.meta.url));
const MAIN = fileURLToPath(new URL('./render-main.js', import.meta.url));

describe('docs/sdk.md: the low-level driver, the executor driver, HA', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  before(async () => {
    // Racks, for the render farm's GROUP_BY rack constraint.
    cluster = await LocalCluster.start({
      agents: [
        { hostname: 'a1', attributes: 'rack:r1' },
        { hostname: 'b1', attributes: 'rack:r2' },
      ],
    });
  });
  after(() => cluster?.stop());

  it("the tutorial's program renders the frames it is asked for and exits 0", async () => {
    // Not spawnSync: the cluster runs in this process and must keep serving.
    const run = await execFileAsync(process.execPath, [MAIN, '3'], {
      env: { ...process.env, MESOCOSM_MASTER: cluster.masterUrl, MESOCOSM_LOG: 'error' },
      timeout: 30_000,
    }); // rejects on a non-zero exit
    expect(run.stdout.trim().split('\n')).to.have.length(3);
    expect(run.stdout).to.match(/^frame 0: TASK_FINISHED on \S+ after 1 attempt\(s\)$/m);
  });

  it('the low-level driver runs commands and reports how each ended', async () => {
    const ended = await runCommands(cluster.masterUrl, ['true', 'exit 1'], silentLogger);
    expect(Object.fromEntries(ended)).to.deep.equal({ 'cmd-0': 'TASK_FINISHED', 'cmd-1': 'TASK_FAILED' });
  });

  it('a custom executor runs the tasks and returns their results in the updates', async () => {
    const driver = new SchedulerDriver({
      master: cluster.masterUrl,
      framework: { name: 'shout', user: 'nobody' },
      logger: silentLogger,
    });
    const finished = new Map<string, ITaskStatus>();
    const scheduler = new Scheduler(driver, {
      logger: silentLogger,
      onUpdate: (s) => void (taskStateName(s.state) === 'TASK_FINISHED' && finished.set(s.taskId?.value ?? '', s)),
    });
    scheduler.want('words', shoutTasks(['hello', 'world'], EXECUTOR));
    await scheduler.start();
    await waitFor(() => finished.size === 2, { timeoutMs: 30_000, message: 'both shout tasks FINISHED' });
    const data = (id: string): string => Buffer.from(finished.get(id)?.data ?? []).toString();
    expect([data('shout-0'), data('shout-1')]).to.deep.equal(['HELLO', 'WORLD']);
    await driver.teardown();
  });

  it('HA: a restarted instance resumes the framework ID it stored', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'mesocosm-docs-ha-'));
    try {
      const first = startInstance({ master: cluster.masterUrl, stateDir, instanceId: 'one', logger: silentLogger });
      const id = (await first.leading).frameworkId;
      await first.close(); // deposed: its driver stops; the master keeps the framework (failoverTimeout)
      const second = startInstance({ master: cluster.masterUrl, stateDir, instanceId: 'two', logger: silentLogger });
      const driver = await second.leading;
      expect(driver.frameworkId).to.equal(id);
      await driver.teardown();
      await second.close();
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
