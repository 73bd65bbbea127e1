// Registration, checkpointing, restart, HTTP confinement and option errors.
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, v1 } from '@mesocosm/protocol';
import { Agent, AgentOptionError } from '../src/index.js';
import { FakeMaster } from './helpers/fake-master.js';
import { getJson, startFixture, stateTask, stopFixture, type Fixture } from './helpers/agent-fixture.js';
import { runShellTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

describe('agent: registration and lifecycle', function () {
  this.timeout(30_000);
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  it('registers with its AgentInfo and checkpoints the ID', async () => {
    f = await startFixture({ hostname: 'node-a', attributes: 'rack:r1;zone:a' });
    const register = f.master.callsOfType(v1.AgentCall.Type.REGISTER)[0]!;
    const info = register.register!.agentInfo!;
    expect(info.hostname).to.equal('node-a');
    expect(info.ip).to.equal('127.0.0.1');
    expect(`http://127.0.0.1:${info.port}`).to.equal(f.agent.httpUrl);
    expect(info.attributes!.map((a) => [a.name, a.text?.value])).to.deep.equal([
      ['rack', 'r1'],
      ['zone', 'a'],
    ]);
    const names = info.resources!.map((r) => r.name).sort();
    expect(names).to.deep.equal(['cpus', 'disk', 'mem', 'ports']);
    expect(f.agent.agentId).to.equal(f.agentId);
    expect((await readFile(join(f.workDir, 'meta', 'agent.id'), 'utf8')).trim()).to.equal(f.agentId);
    const health = await getJson(`${f.agent.httpUrl}/health`);
    expect(health.status).to.equal(200);
    const state = await getJson<{ id: string; attributes: Record<string, string> }>(`${f.agent.httpUrl}/state`);
    expect(state.body.id).to.equal(f.agentId);
    expect(state.body.attributes).to.deep.equal({ rack: 'r1', zone: 'a' });
  });

  it('re-registers with the checkpointed ID after a restart', async () => {
    f = await startFixture({ killTasksOnExit: false });
    const firstId = f.agentId;
    await f.agent.stop();
    const again = await Agent.start({
      master: f.master.address,
      workDir: f.workDir,
      ip: '127.0.0.1',
      port: 0,
      resources: 'cpus:1;mem:256',
      logger: silentLogger,
    });
    f.agent = again;
    expect(await again.registered()).to.equal(firstId);
    const rereg = f.master.callsOfType(v1.AgentCall.Type.REREGISTER);
    expect(rereg).to.have.length(1);
    expect(rereg[0]!.agentId?.value).to.equal(firstId);
    expect(rereg[0]!.register?.agentInfo?.id?.value).to.equal(firstId);
  });

  it('keeps trying to reach a master that is not up yet, and registers once it is', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'agent-test-'));
    const probe = await FakeMaster.start();
    const port = Number(probe.address.split(':')[1]);
    await probe.stop();
    const agent = await Agent.start({
      master: probe.address,
      workDir,
      ip: '127.0.0.1',
      port: 0,
      resources: 'cpus:1;mem:256',
      registrationBackoffMs: 20,
      logger: silentLogger,
    });
    let master: FakeMaster | undefined;
    try {
      const state = await getJson<{ connected: boolean; id: string | null }>(`${agent.httpUrl}/state`);
      expect(state.body).to.include({ connected: false, id: null });
      master = await FakeMaster.start(port);
      const id = await agent.registered();
      expect(id).to.match(/^agent-/);
      expect(master.callsOfType(v1.AgentCall.Type.REGISTER)).to.have.length(1);
    } finally {
      await agent.stop();
      await master?.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it('refuses (403) file paths outside the sandboxes, .. and symlinks included', async () => {
    f = await startFixture();
    f.master.send(runShellTask('files', 'ln -s /etc/passwd leak; ln -s / root; echo ok'));
    await waitFor('FINISHED', () => f!.master.states('files').includes('TASK_FINISHED'));
    const dir = (await stateTask(f.agent, 'files'))!.directory!;
    const sandboxes = join(f.workDir, 'sandboxes');
    for (const path of [
      '/etc/passwd',
      join(f.workDir, 'meta', 'agent.id'),
      `${sandboxes}/../meta/agent.id`,
      '../meta/agent.id',
      join(dir, 'leak'),
      join(dir, 'root', 'etc', 'passwd'),
      join(dir, 'root'),
    ]) {
      for (const endpoint of ['read', 'download', 'browse']) {
        const res = await fetch(`${f.agent.httpUrl}/files/${endpoint}?path=${encodeURIComponent(path)}&offset=0`);
        expect(res.status, `${endpoint} ${path}`).to.equal(403);
      }
    }
    const missing = await fetch(`${f.agent.httpUrl}/files/read?path=${encodeURIComponent(join(dir, 'nope'))}`);
    expect(missing.status).to.equal(404);
    const ok = await getJson<{ data: string }>(
      `${f.agent.httpUrl}/files/read?path=${encodeURIComponent(join(dir, 'stdout'))}&offset=0`,
    );
    expect(ok.body.data).to.equal('ok\n');
  });

  it('fails to start with a clear error on a bad --resources or --attributes string', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'agent-test-'));
    try {
      for (const [options, flag] of [
        [{ resources: 'cpus:lots' }, '--resources'],
        [{ resources: 'mem:[1-2]' }, '--resources'],
        [{ attributes: 'rack' }, '--attributes'],
        [{ master: 'nowhere' }, '--master'],
        [{ master: 'zk://z1:2181' }, '--master'],
      ] as const) {
        const err = await Agent.start({
          master: '127.0.0.1:1',
          workDir,
          port: 0,
          logger: silentLogger,
          ...options,
        }).then(
          async (a) => {
            await a.stop();
            return undefined;
          },
          (e: unknown) => e,
        );
        expect(err, flag).to.be.instanceOf(AgentOptionError);
        expect((err as Error).message.startsWith(`${flag}: `), (err as Error).message).to.equal(true);
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
