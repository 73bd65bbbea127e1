// An agent whose Docker engine does not answer: Docker tasks fail with a
// reason that says so; command tasks are not affected.
import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskStatusReason } from '@mesocosm/protocol';
import { startFixture, stopFixture, type Fixture } from '../helpers/agent-fixture.js';
import { runShellTask } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { runDockerTask } from './docker-tasks.js';

describe('agent: Docker tasks without a Docker engine', () => {
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  it('fails them with REASON_CONTAINER_LAUNCH_FAILED naming the socket, and runs command tasks', async () => {
    f = await startFixture({ docker: { socketPath: '/nonexistent/docker.sock' } });
    f.master.send(runDockerTask('d', 'true'));
    f.master.send(runShellTask('c', 'true'));
    const failed = await waitFor('FAILED', () => f!.master.updates('d').find((u) => u.state === 'TASK_FAILED'));
    expect(failed.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED);
    expect(failed.status.message)
      .to.include('Docker is not available on this agent')
      .and.include('/nonexistent/docker.sock');
    expect(f.master.states('d')).to.deep.equal(['TASK_STARTING', 'TASK_FAILED']);
    await waitFor('the command task FINISHED', () => f!.master.states('c').includes('TASK_FINISHED'));
    expect(await readdir(join(f.workDir, 'sandboxes', 'fw-1', 'tasks'))).to.deep.equal(['c']);
  });
});
