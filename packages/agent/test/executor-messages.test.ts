// Executor -> framework messages on the agent: a real agent, a fake master
// over real gRPC, and the test executor (test/fixtures/test-executor.ts) as a
// real process whose MESSAGE calls the agent sends on as AgentCall MESSAGE.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentCallType, MAX_MESSAGE_DATA_BYTES, type AgentCall } from '@mesocosm/protocol';
import { startFixture, stopFixture, type Fixture } from './helpers/agent-fixture.js';
import { executorInfo, executorMessage, runExecutorTask } from './helpers/executor-tasks.js';
import { FRAMEWORK_ID } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

describe('agent: executor messages to the framework', function () {
  this.timeout(30_000);
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  /** The MESSAGE calls the fake master received, in order. */
  function messages(): AgentCall[] {
    return f!.master.calls.filter((c) => c.call.type === AgentCallType.MESSAGE).map((c) => c.call);
  }

  async function runningExecutor(executorId: string): Promise<Fixture> {
    const fixture = await startFixture();
    fixture.master.send(runExecutorTask('listener', executorInfo(executorId), 'run'));
    await waitFor('listener RUNNING', () => fixture.master.states('listener').includes('TASK_RUNNING'));
    return fixture;
  }

  it("sends an executor's MESSAGE to the master with the agent, framework and executor IDs", async () => {
    f = await runningExecutor('exec-reply');
    f.master.send(executorMessage('exec-reply', 'reply:ping'));
    const [call] = await waitFor('a MESSAGE call', () => (messages().length > 0 ? messages() : undefined));
    expect(call!.agentId?.value).to.equal(f.agentId);
    expect(call!.message?.frameworkId?.value).to.equal(FRAMEWORK_ID);
    expect(call!.message?.executorId?.value).to.equal('exec-reply');
    expect(Buffer.from(call!.message?.data ?? []).toString()).to.equal('reply from exec-reply: ping');
  });

  it('sends a message of the largest size, and refuses a larger one with an ERROR event to the executor', async () => {
    f = await runningExecutor('exec-big');
    f.master.send(executorMessage('exec-big', `big:${MAX_MESSAGE_DATA_BYTES}`));
    f.master.send(executorMessage('exec-big', `big:${MAX_MESSAGE_DATA_BYTES + 1}`));
    // Each `big:` is followed by `after big`: the stream stays open after a refusal.
    await waitFor('both `after big` messages', () => (messages().length >= 3 ? true : undefined));
    expect(messages().map((m) => m.message?.data?.length)).to.deep.equal([MAX_MESSAGE_DATA_BYTES, 9, 9]);
    const sandbox = join(f.workDir, 'sandboxes', FRAMEWORK_ID, 'executors', 'exec-big', 'run-1');
    const stderr = await waitFor('the ERROR in the executor log', async () => {
      const text = await readFile(join(sandbox, 'stderr'), 'utf8');
      return text.includes('error: ') ? text : undefined;
    });
    expect(stderr).to.contain(
      `error: MESSAGE of ${MAX_MESSAGE_DATA_BYTES + 1} bytes not sent: a message to the framework holds at most ${MAX_MESSAGE_DATA_BYTES} bytes of data`,
    );
    // The executor's tasks go on.
    f.master.send(executorMessage('exec-big', 'still there?'));
    await waitFor('the executor still answering', () =>
      f!.master.updates('listener').some((u) => u.status.message === 'got: still there?'),
    );
  });
});
