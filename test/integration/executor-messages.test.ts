// Framework <-> executor messages on a real cluster (LocalCluster: a master and
// an agent in this process, the executor a real process on the SDK's
// ExecutorDriver): SchedulerDriver.message reaches the executor, and
// ExecutorDriver.sendMessage comes back as the driver's `message` event with
// the agent and executor IDs; a message over the limit is refused on the way.
import { expect } from 'chai';
import { userInfo } from 'node:os';
import { SchedulerDriver, silentLogger, taskStateName, type MessageEvent } from '@mesocosm/framework-sdk';
import { LocalCluster, waitFor } from '@mesocosm/testing';
import { echoExecutorScript } from './echo-executor.js';

describe('executor messages on a LocalCluster', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  before(async () => {
    cluster = await LocalCluster.start({ agents: 1 });
  });
  after(() => cluster?.stop());

  it('carries framework -> executor and executor -> framework messages, with the agent and executor IDs', async () => {
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'echo', user: userInfo().username },
      logger: silentLogger,
    });
    const messages: MessageEvent[] = [];
    const states: string[] = [];
    let launched = false;
    driver.on('offers', ({ offers }) => {
      const [offer, ...rest] = offers ?? [];
      if (rest.length > 0)
        driver.decline(
          rest.map((o) => o.id?.value ?? ''),
          { refuseSeconds: 3600 },
        );
      if (!offer) return;
      if (launched) return void driver.decline([offer.id?.value ?? ''], { refuseSeconds: 3600 });
      launched = true;
      driver.launch(offer.id?.value ?? '', [
        {
          name: 'echo',
          taskId: { value: 'echo-1' },
          agentId: offer.agentId,
          resources: [
            { name: 'cpus', type: 0, scalar: { value: 0.1 } },
            { name: 'mem', type: 0, scalar: { value: 128 } },
          ],
          executor: {
            executorId: { value: 'echo-executor' },
            command: {
              value: process.execPath,
              arguments: ['node', '--input-type=module', '-e', echoExecutorScript()],
            },
          },
        },
      ]);
    });
    driver.on('update', ({ status }) => void states.push(taskStateName(status?.state)));
    driver.on('message', (m) => void messages.push(m));
    await driver.start();
    try {
      await waitFor(() => states.includes('TASK_RUNNING'), { timeoutMs: 20_000, message: 'echo-1 RUNNING' });
      const agentId = cluster.agents[0]!.agentId;
      driver.message(agentId, 'echo-executor', Buffer.from('ping 1'));
      const [pong] = await waitFor(() => messages.length > 0 && messages, { timeoutMs: 10_000, message: 'a pong' });
      expect(pong!.agentId?.value).to.equal(agentId);
      expect(pong!.executorId?.value).to.equal('echo-executor');
      expect(Buffer.from(pong!.data ?? []).toString()).to.equal('pong 1');

      // The agent refuses the message over the limit; the one after it goes through.
      driver.message(agentId, 'echo-executor', Buffer.from('big'));
      await waitFor(() => messages.length > 1, { timeoutMs: 10_000, message: 'the message after the big one' });
      expect(messages.map((m) => Buffer.from(m.data ?? []).toString())).to.deep.equal(['pong 1', 'after big']);

      driver.message(agentId, 'echo-executor', Buffer.from('stop'));
      await waitFor(() => states.includes('TASK_FINISHED'), { timeoutMs: 10_000, message: 'echo-1 FINISHED' });
    } finally {
      await driver.teardown();
    }
  });
});
