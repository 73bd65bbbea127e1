// TLS end to end, with a throwaway CA made by openssl: an SDK framework over
// TLS runs a task to FINISHED on a real master and agent; HTTPS on the
// master, the agent's sandbox files (directly and through the master),
// Marathon and Chronos; a plaintext client and a client with the wrong CA
// are refused with a clear reason.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '@mesocosm/agent';
import { Chronos } from '@mesocosm/chronos';
import {
  SchedulerDriver,
  TaskState,
  silentLogger,
  taskStateName,
  type SubscribeRefusedError,
} from '@mesocosm/framework-sdk';
import { Marathon } from '@mesocosm/marathon';
import { capturingLogger } from '@mesocosm/protocol';
import type { MasterState } from '@mesocosm/master';
import { LocalCluster, fetchJson, generateTlsMaterial, waitFor, type TlsFiles } from '@mesocosm/testing';
import { cliMain, runProcess, type ProcessResult } from '../helpers/index.js';

/** Launches one `command` task on the first offer; resolves with the driver and the task's final status. */
async function runOneTask(
  driver: SchedulerDriver,
  taskId: string,
  command: string,
): Promise<{ state: string; agentId: string }> {
  let launched = false;
  const done = new Promise<{ state: string; agentId: string }>((resolve) => {
    driver.on('update', ({ status }) => {
      if (status?.taskId?.value !== taskId) return;
      if (status.state === TaskState.TASK_FINISHED || status.state === TaskState.TASK_FAILED)
        resolve({ state: taskStateName(status.state), agentId: status.agentId?.value ?? '' });
    });
  });
  driver.on('offers', ({ offers }) => {
    const ids = (offers ?? []).map((o) => o.id?.value ?? '');
    const first = offers?.[0];
    if (launched || !first) {
      driver.decline(ids);
      return;
    }
    launched = true;
    driver.launch(first.id?.value ?? '', [
      {
        name: taskId,
        taskId: { value: taskId },
        agentId: first.agentId,
        resources: [
          { name: 'cpus', type: 0, scalar: { value: 0.1 } },
          { name: 'mem', type: 0, scalar: { value: 32 } },
        ],
        command: { value: command },
      },
    ]);
    driver.decline(ids.slice(1));
  });
  await driver.start();
  return done;
}

describe('TLS end to end (throwaway CA)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let tls: TlsFiles;
  let otherCa: TlsFiles;
  let scratch: string;

  before(async () => {
    cluster = await LocalCluster.start({ agents: 1, tls: true });
    tls = cluster.tls!;
    scratch = await mkdtemp(join(tmpdir(), 'mesocosm-tls-'));
    otherCa = await generateTlsMaterial(join(scratch, 'other'), { caName: 'someone-else' });
  });
  after(async () => {
    await cluster?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('advertises https URLs and serves /master/state over HTTPS', async () => {
    expect(cluster.masterHttp).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
    expect(state.slaves).to.have.length(1);
    expect(state.slaves[0]?.url ?? '').to.match(/^https:\/\//);
    expect(cluster.agents[0]?.httpUrl ?? '').to.match(/^https:\/\//);
    // Plain HTTP to the TLS port gets no answer it can use.
    const plain = cluster.masterHttp.replace('https:', 'http:');
    const err = await fetch(`${plain}/master/state`).then(
      (r) => new Error(`answered ${r.status}`),
      (e: unknown) => e as Error,
    );
    expect(String(err)).to.not.match(/answered 200/);
  });

  it('runs a task to FINISHED for an SDK framework over TLS, and serves its sandbox over HTTPS', async () => {
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'tls-framework', user: 'nobody' },
      logger: silentLogger,
      tls: { ca: tls.caFile },
    });
    try {
      const result = await runOneTask(driver, 'tls-task', 'echo over-tls');
      expect(result.state).to.equal('TASK_FINISHED');
      // The task's stdout, through the master's proxy (master -> agent over HTTPS, verified with --tls-ca).
      const { tasks } = await fetchJson<{ tasks: { sandbox: string }[] }>(
        `${cluster.masterHttp}/master/tasks?name=tls-task`,
      );
      const path = encodeURIComponent(`${tasks[0]?.sandbox ?? ''}/run-1/stdout`);
      const proxied = await fetchJson<{ data: string }>(
        `${cluster.masterHttp}/master/agents/${result.agentId}/files/read?path=${path}&offset=0`,
      );
      expect(proxied.data).to.equal('over-tls\n');
      // And straight from the agent's HTTPS API.
      const direct = await fetchJson<{ data: string }>(
        `${cluster.agents[0]!.httpUrl}/files/read?path=${path}&offset=0`,
      );
      expect(direct.data).to.equal('over-tls\n');
    } finally {
      await driver.teardown().catch(() => undefined);
    }
  });

  it('tells a plaintext client of a TLS master to use TLS', async () => {
    const log = capturingLogger();
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'plaintext', user: 'nobody' },
      logger: log,
      reconnectBackoffMs: 50,
    });
    void driver.start().catch(() => undefined);
    try {
      await waitFor(() => log.lines.some((l) => /cannot subscribe/.test(l)), {
        timeoutMs: 15_000,
        message: 'a failed subscription logged',
      });
      const line = log.lines.find((l) => /cannot subscribe/.test(l)) ?? '';
      expect(line).to.match(/if the master serves TLS, connect with TLS/);
      expect(driver.isSubscribed).to.equal(false);
    } finally {
      await driver.stop();
    }
  });

  it('refuses a client that trusts another CA, saying why', async () => {
    const log = capturingLogger();
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'wrong-ca', user: 'nobody' },
      logger: log,
      reconnectBackoffMs: 50,
      tls: { ca: otherCa.caFile },
    });
    void driver.start().catch(() => undefined);
    try {
      await waitFor(() => log.lines.some((l) => /cannot subscribe/.test(l)), {
        timeoutMs: 15_000,
        message: 'a failed subscription logged',
      });
      const line = log.lines.find((l) => /cannot subscribe/.test(l)) ?? '';
      expect(line).to.match(/certificate/);
      expect(line).to.match(/TLS handshake with the master failed/);
      expect(driver.isSubscribed).to.equal(false);
    } finally {
      await driver.stop();
    }
  });

  it('serves Marathon /v2/info and Chronos /v1/scheduler/jobs over HTTPS, both subscribed over TLS', async () => {
    const files = { cert: tls.certFile, key: tls.keyFile, ca: tls.caFile };
    const common = { master: cluster.masterGrpc, httpPort: 0, httpHost: '127.0.0.1', hostname: '127.0.0.1' };
    const marathon = await Marathon.start({ ...common, logger: silentLogger, tls: files });
    const chronos = await Chronos.start({ ...common, logger: silentLogger, tls: files });
    try {
      expect(marathon.url).to.match(/^https:\/\//);
      expect(chronos.url).to.match(/^https:\/\//);
      const info = await fetchJson<{ name: string }>(`${marathon.url}/v2/info`);
      expect(info.name).to.equal('marathon');
      const jobs = await fetchJson<unknown[]>(`${chronos.url}/v1/scheduler/jobs`);
      expect(jobs).to.deep.equal([]);
      await waitFor(
        async () => {
          const s = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
          const names = s.frameworks.filter((f) => f.active).map((f) => f.name);
          return names.includes('marathon') && names.includes('chronos');
        },
        { timeoutMs: 30_000, message: 'Marathon and Chronos subscribed over TLS' },
      );
    } finally {
      await Promise.all([marathon.stop(), chronos.stop()]);
    }
  });

  it('reports a driver given a missing CA file at construction, naming the option and the file', () => {
    const missing = join(scratch, 'no-such-ca.pem');
    let caught: unknown;
    try {
      new SchedulerDriver({
        master: cluster.masterGrpc,
        framework: { name: 'x', user: 'nobody' },
        tls: { ca: missing },
      });
    } catch (err) {
      caught = err;
    }
    expect(String(caught)).to.include('tls.ca').and.to.include(missing).and.to.include('does not exist');
    expect((caught as SubscribeRefusedError & { problem?: string }).problem).to.equal('missing');
  });
});

describe('mutual TLS (--tls-require-client-cert)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let tls: TlsFiles;
  let scratch: string;

  before(async () => {
    // The cluster's agent has the cluster's certificate: it registers.
    cluster = await LocalCluster.start({ agents: 1, tls: { requireClientCert: true } });
    tls = cluster.tls!;
    scratch = await mkdtemp(join(tmpdir(), 'mesocosm-mtls-'));
  });
  after(async () => {
    await cluster?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('registers an agent with a client certificate and refuses one without', async () => {
    await cluster.waitForAgents(1);
    const log = capturingLogger();
    const agent = await Agent.start({
      master: cluster.masterGrpc,
      workDir: join(scratch, 'no-cert-agent'),
      ip: '127.0.0.1',
      port: 0,
      resources: 'cpus:1;mem:256;disk:256;ports:[33000-33010]',
      registrationBackoffMs: 50,
      tls: { ca: tls.caFile },
      logger: log,
    });
    try {
      await waitFor(() => log.lines.some((l) => /disconnected from the master/.test(l)), {
        timeoutMs: 15_000,
        message: 'the agent without a certificate refused',
      });
      const line = log.lines.find((l) => /disconnected from the master/.test(l)) ?? '';
      expect(line).to.match(/certificate required/);
      expect(line).to.match(/a certificate and key are given/);
      const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
      expect(state.slaves).to.have.length(1);
      expect(agent.agentId).to.equal(undefined);
    } finally {
      await agent.stop();
    }
  });

  it('subscribes a framework with a client certificate and refuses one without', async () => {
    const withCert = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'mtls-with-cert', user: 'nobody' },
      logger: silentLogger,
      tls: { ca: tls.caFile, cert: tls.clientCertFile, key: tls.clientKeyFile },
    });
    const log = capturingLogger();
    const without = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'mtls-without-cert', user: 'nobody' },
      logger: log,
      reconnectBackoffMs: 50,
      tls: { ca: tls.caFile },
    });
    try {
      const { frameworkId } = await withCert.start();
      expect(frameworkId).to.be.a('string').and.not.equal('');
      void without.start().catch(() => undefined);
      await waitFor(() => log.lines.some((l) => /cannot subscribe/.test(l)), {
        timeoutMs: 15_000,
        message: 'the framework without a certificate refused',
      });
      expect(log.lines.find((l) => /cannot subscribe/.test(l))).to.match(/certificate required/);
      expect(without.isSubscribed).to.equal(false);
    } finally {
      await withCert.teardown().catch(() => undefined);
      await without.stop();
    }
  });
});

describe('TLS flags of the mesocosm command', function () {
  this.timeout(120_000);
  let tls: TlsFiles;
  let scratch: string;
  let cluster: LocalCluster | undefined;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mesocosm-tls-cli-'));
    tls = await generateTlsMaterial(join(scratch, 'tls'));
    await writeFile(join(scratch, 'not-pem.txt'), 'hello\n');
  });
  after(async () => {
    await cluster?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const master = (...tlsArgs: string[]): Promise<ProcessResult> =>
    runProcess(
      process.execPath,
      [cliMain, 'master', '--ip', '127.0.0.1', '--port', '0', '--grpc_port', '0', ...tlsArgs],
      { timeoutMs: 20_000 },
    );

  it('refuses to start with a missing certificate, naming the flag and the file', async () => {
    const missing = join(scratch, 'missing.pem');
    const r = await master('--tls-cert', missing, '--tls-key', tls.keyFile);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`--tls-cert: ${missing} does not exist`);
  });

  it('refuses a file that is not PEM, and a key that does not match the certificate', async () => {
    const notPem = join(scratch, 'not-pem.txt');
    const a = await master('--tls-cert', notPem, '--tls-key', tls.keyFile);
    expect(a.code).to.equal(2);
    expect(a.stderr).to.include(`--tls-cert: ${notPem} is not a PEM certificate`);
    const b = await master('--tls-cert', tls.certFile, '--tls-key', tls.clientKeyFile);
    expect(b.code).to.equal(2);
    expect(b.stderr).to.include(`--tls-key: ${tls.clientKeyFile} is not the private key of the certificate`);
    const c = await master('--tls-cert', tls.certFile);
    expect(c.code).to.equal(2);
    expect(c.stderr).to.include('--tls-key: is required with --tls-cert');
  });

  it("refuses an agent's missing --tls-ca", async () => {
    const missing = join(scratch, 'missing-ca.pem');
    const r = await runProcess(
      process.execPath,
      [cliMain, 'agent', '--master', '127.0.0.1:1', '--work_dir', join(scratch, 'agent'), '--tls-ca', missing],
      { timeoutMs: 20_000 },
    );
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`--tls-ca: ${missing} does not exist`);
  });

  it('lets the operator verbs reach an HTTPS master with --tls-ca or MESOCOSM_TLS_CA, and says why without', async () => {
    cluster = await LocalCluster.start({ mode: 'processes', agents: 1, tls: true, workDir: join(scratch, 'cluster') });
    expect(cluster.masterHttp).to.match(/^https:/);
    const caFile = cluster.tls!.caFile;
    const agentId = cluster.agents[0]!.agentId;
    const withFlag = await runProcess(
      process.execPath,
      [cliMain, 'agents', '--master', cluster.masterHttp, '--tls-ca', caFile],
      { timeoutMs: 20_000 },
    );
    expect(withFlag.code, withFlag.stderr).to.equal(0);
    expect(withFlag.stdout).to.include(agentId);
    const withEnv = await runProcess(process.execPath, [cliMain, 'agents', '--master', cluster.masterHttp, '--json'], {
      timeoutMs: 20_000,
      env: { ...process.env, MESOCOSM_TLS_CA: caFile },
    });
    expect(withEnv.code, withEnv.stderr).to.equal(0);
    expect(withEnv.stdout).to.include(agentId);
    const without = await runProcess(process.execPath, [cliMain, 'agents', '--master', cluster.masterHttp], {
      timeoutMs: 20_000,
    });
    expect(without.code).to.not.equal(0);
    expect(without.stderr).to.match(/cannot reach the master at https:/);
    expect(without.stderr).to.match(/TLS handshake with the master failed/);
  });
});
