// The executor API over TLS, on a LocalCluster with `tls: true` (a throwaway
// CA, the agent's certificate for 127.0.0.1/localhost): a custom executor, a
// real process on the SDK's ExecutorDriver, connects with the CA and the token
// the agent put in its environment; raw grpc-js clients in plaintext, over TLS
// without a token, and over TLS with the executor's token claiming another
// executor are refused; the executor works on.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { SchedulerDriver, silentLogger, taskStateName, type MessageEvent } from '@mesocosm/framework-sdk';
import {
  ExecutorCallType,
  ExecutorService,
  grpcChannelCredentials,
  loadTls,
  type ExecutorEvent,
  type TlsMaterial,
} from '@mesocosm/protocol';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import { echoExecutorScript } from './echo-executor.js';

/** The environment a process was started with. */
async function environOf(pid: number): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const entry of (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** A raw Executor.Subscribe stream: SUBSCRIBE as `executorId`, then the status it ends with. */
function rawSubscribe(
  address: string,
  tls: TlsMaterial | undefined,
  authorization: string | undefined,
  frameworkId: string,
  executorId: string,
): Promise<{ status: grpc.StatusObject; events: ExecutorEvent[] }> {
  const client = new grpc.Client(address, grpcChannelCredentials(tls));
  const metadata = new grpc.Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  const m = ExecutorService.subscribe;
  const call = client.makeBidiStreamRequest(m.path, m.serialize, m.deserialize, metadata, {
    deadline: Date.now() + 10_000,
  });
  const events: ExecutorEvent[] = [];
  return new Promise((resolve) => {
    call.on('data', (e: ExecutorEvent) => void events.push(e));
    call.on('error', () => undefined);
    call.on('status', (status: grpc.StatusObject) => {
      client.close();
      resolve({ status, events });
    });
    call.write({
      type: ExecutorCallType.SUBSCRIBE,
      frameworkId: { value: frameworkId },
      executorId: { value: executorId },
      subscribe: {},
    });
  });
}

describe('the executor API over TLS on a LocalCluster', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  before(async () => {
    cluster = await LocalCluster.start({ agents: 1, tls: true });
  });
  after(() => cluster?.stop());

  it('serves executors over TLS with their token and refuses plaintext, tokenless and misused-token clients', async () => {
    const tlsFiles = cluster.tls!;
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'tls-executor', user: userInfo().username },
      tls: { ca: tlsFiles.caFile },
      logger: silentLogger,
    });
    const messages: MessageEvent[] = [];
    const states: string[] = [];
    let launched = false;
    driver.on('offers', ({ offers }) => {
      for (const offer of offers ?? []) {
        if (launched) {
          driver.decline([offer.id?.value ?? ''], { refuseSeconds: 3600 });
          continue;
        }
        launched = true;
        driver.launch(offer.id?.value ?? '', [
          {
            name: 'tls-task',
            taskId: { value: 'tls-task' },
            agentId: offer.agentId,
            resources: [
              { name: 'cpus', type: 0, scalar: { value: 0.1 } },
              { name: 'mem', type: 0, scalar: { value: 128 } },
            ],
            executor: {
              executorId: { value: 'tls-executor' },
              command: {
                value: process.execPath,
                arguments: ['node', '--input-type=module', '-e', echoExecutorScript()],
              },
            },
          },
        ]);
      }
    });
    driver.on('update', ({ status }) => void states.push(taskStateName(status?.state)));
    driver.on('message', (m) => void messages.push(m));
    const { frameworkId } = await driver.start();
    try {
      await waitFor(() => states.includes('TASK_RUNNING'), { timeoutMs: 20_000, message: 'tls-task RUNNING' });
      const agent = cluster.agents[0]!;
      expect(agent.httpUrl).to.match(/^https:/);
      const state = await fetchJson<{ tasks: { id: string; pid: number | null }[] }>(`${agent.httpUrl}/state`);
      const pid = state.tasks.find((t) => t.id === 'tls-task')?.pid;
      expect(pid, 'the executor pid in /state').to.be.a('number');
      const env = await environOf(pid!);
      const endpoint = env['MESOCOSM_AGENT_ENDPOINT']!;
      const token = env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN']!;
      const caFile = env['MESOCOSM_EXECUTOR_TLS_CA']!;
      expect(endpoint).to.match(/^127\.0\.0\.1:\d+$/);
      expect(token).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(env['MESOS_EXECUTOR_TLS_CA']).to.equal(caFile);
      // The bundle holds the cluster's CA (and the agent's certificate).
      expect(await readFile(caFile, 'utf8')).to.contain(tlsFiles.ca.trim());
      const tls = loadTls({ ca: caFile });

      const plaintext = await rawSubscribe(endpoint, undefined, `Bearer ${token}`, frameworkId, 'tls-executor');
      expect(grpc.status[plaintext.status.code]).to.equal('UNAVAILABLE');
      const tokenless = await rawSubscribe(endpoint, tls, undefined, frameworkId, 'tls-executor');
      expect(grpc.status[tokenless.status.code]).to.equal('UNAUTHENTICATED');
      expect(tokenless.status.details).to.contain('MESOS_EXECUTOR_AUTHENTICATION_TOKEN');
      const misused = await rawSubscribe(endpoint, tls, `Bearer ${token}`, frameworkId, 'another-executor');
      expect(grpc.status[misused.status.code]).to.equal('PERMISSION_DENIED');
      expect(misused.status.details).to.contain("issued to executor 'tls-executor'");
      expect([...plaintext.events, ...tokenless.events, ...misused.events]).to.deep.equal([]);

      // The real executor, over TLS with its token, carries on.
      driver.message(agent.agentId, 'tls-executor', Buffer.from('ping 1'));
      await waitFor(() => messages.length > 0, { timeoutMs: 10_000, message: 'a pong' });
      expect(Buffer.from(messages[0]!.data ?? []).toString()).to.equal('pong 1');
      driver.message(agent.agentId, 'tls-executor', Buffer.from('stop'));
      await waitFor(() => states.includes('TASK_FINISHED'), { timeoutMs: 10_000, message: 'tls-task FINISHED' });
    } finally {
      await driver.teardown();
    }
  });
});
