// Tasks run as their user (`--switch_user`, on by default) on a real agent
// running as root: a command task, a custom executor and a Docker task that
// ask for `nobody` run as nobody's uid; with `--switch_user=false` they run
// as root; a user the host does not know fails the task, saying so.
import { expect } from 'chai';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskStatusReason, v1, type IAgentEvent, type IExecutorInfo } from '@mesocosm/protocol';
import { containerSpec } from '../src/docker/container-spec.js';
import { resolveOptions } from '../src/options.js';
import { lookupUser, requestedExecutorUser, switchedUser, type UserAccount } from '../src/executors/run-as-user.js';
import { containersOfTask, runDockerTask, t } from './docker/docker-tasks.js';
import { releaseDockerEngine, requireDockerEngine, type DockerEngineHandle } from './docker/engine.js';
import { startFixture, stateTask, stopFixture, type Fixture } from './helpers/agent-fixture.js';
import { executorInfo, runExecutorTask } from './helpers/executor-tasks.js';
import { killTask, runShellTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

// A root hook: once every test file of the run is done, stop the dockerd this run started.
after(releaseDockerEngine);

const UNKNOWN = 'mesocosm-no-such-user';
const TERMINAL = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST'];

/** `event` (a RUN_TASK) with its FrameworkInfo.user set to `user`. */
function asFrameworkUser(event: IAgentEvent, user: string): IAgentEvent {
  const runTask = event.runTask!;
  return { ...event, runTask: { ...runTask, framework: { ...runTask.framework, user } } };
}

/** The test executor with its CommandInfo.user set to `user`. */
function executorAs(executorId: string, user: string): IExecutorInfo {
  const info = executorInfo(executorId);
  return { ...info, command: { ...info.command, user } };
}

/** The real uid of a process, from /proc. */
async function uidOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const line = status.split('\n').find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

describe('switching users: the decisions', () => {
  it('is on by default, and false stays false', () => {
    const base = { master: '127.0.0.1:5050', workDir: '/tmp/w' };
    expect(resolveOptions(base).switchUser).to.equal(true);
    expect(resolveOptions({ ...base, switchUser: false }).switchUser).to.equal(false);
  });

  it('switches to the requested user only when on, as root, and not to root', () => {
    expect(switchedUser(true, 0, 'nobody')).to.equal('nobody');
    expect(switchedUser(false, 0, 'nobody')).to.equal(undefined);
    expect(switchedUser(true, 1000, 'nobody'), 'an agent that is not root').to.equal(undefined);
    expect(switchedUser(true, undefined, 'nobody'), 'no uids (not POSIX)').to.equal(undefined);
    expect(switchedUser(true, 0, 'root')).to.equal(undefined);
    expect(switchedUser(true, 0, undefined)).to.equal(undefined);
  });

  it("takes an executor's command user, else the framework user", () => {
    expect(requestedExecutorUser({ command: { user: 'www' } }, { user: 'nobody' })).to.equal('www');
    expect(requestedExecutorUser({ command: { value: 'x' } }, { user: 'nobody' })).to.equal('nobody');
    expect(requestedExecutorUser({}, { user: '' })).to.equal(undefined);
  });

  it("gives a Docker container the user's uid:gid, and the image's user without one", () => {
    const input = {
      task: {
        taskId: { value: 't' },
        container: { type: v1.ContainerInfo.Type.DOCKER, docker: { image: 'busybox' } },
      },
      framework: { id: { value: 'fw' }, name: 'fw', user: 'nobody' },
      frameworkId: 'fw',
      agentId: 'a',
      workDir: '/w',
      sandbox: '/w/sandboxes/fw/t/run-1',
      run: 'run-1',
      host: '10.0.0.5',
    };
    expect(containerSpec({ ...input, user: { uid: 65534, gid: 65533 } }).User).to.equal('65534:65533');
    expect(containerSpec(input)).not.to.have.property('User');
  });
});

describe('agent: tasks run as their user (--switch_user)', function () {
  this.timeout(60_000);
  let f: Fixture | undefined;
  let nobody: UserAccount;

  before(async function () {
    if (process.getuid?.() !== 0) {
      if (process.env['CI'] === 'true') throw new Error('switching users needs the tests to run as root with CI=true');
      console.warn('    skipping: switching users needs an agent running as root');
      this.skip();
    }
    const account = await lookupUser('nobody');
    if (!account) throw new Error("the host has no user 'nobody'");
    nobody = account;
  });

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  const terminal = (taskId: string) =>
    waitFor(`a terminal update of ${taskId}`, () => f!.master.updates(taskId).find((u) => TERMINAL.includes(u.state)));

  /** Runs `id -u` (and `id -g`) as a command task of a framework whose user is `user`; returns the terminal update and the sandbox. */
  async function commandTask(taskId: string, user: string) {
    f!.master.send(asFrameworkUser(runShellTask(taskId, 'id -u > uid && id -g > gid && id -u'), user));
    const update = await terminal(taskId);
    const sandbox = (await stateTask(f!.agent, taskId))?.directory ?? '';
    return { update, sandbox };
  }

  describe('command tasks', () => {
    it('run as the framework user by default: uid, gid, sandbox and stdout are its', async () => {
      f = await startFixture();
      const { update, sandbox } = await commandTask('cmd-nobody', 'nobody');
      expect(update.state, update.status.message ?? '').to.equal('TASK_FINISHED');
      expect((await readFile(join(sandbox, 'uid'), 'utf8')).trim()).to.equal(String(nobody.uid));
      expect((await readFile(join(sandbox, 'gid'), 'utf8')).trim()).to.equal(String(nobody.gid));
      expect((await readFile(join(sandbox, 'stdout'), 'utf8')).trim()).to.equal(String(nobody.uid));
      expect((await stat(sandbox)).uid).to.equal(nobody.uid);
    });

    it("run their COMMAND health checks as the task's user too", async () => {
      f = await startFixture();
      const check = {
        type: v1.HealthCheck.Type.COMMAND,
        command: { shell: true, value: 'id -u > check-uid' },
        delaySeconds: 0,
        intervalSeconds: 0.2,
        timeoutSeconds: 5,
      };
      f.master.send(
        asFrameworkUser(runShellTask('cmd-check', 'exec sleep 60', undefined, { healthCheck: check }), 'nobody'),
      );
      await waitFor('a healthy update', () =>
        f!.master.updates('cmd-check').find((u) => u.state === 'TASK_RUNNING' && u.status.healthy === true),
      );
      const sandbox = (await stateTask(f.agent, 'cmd-check'))?.directory ?? '';
      expect((await readFile(join(sandbox, 'check-uid'), 'utf8')).trim()).to.equal(String(nobody.uid));
      f.master.send(killTask('cmd-check'));
      await terminal('cmd-check');
    });

    it('take CommandInfo.user over FrameworkInfo.user', async () => {
      f = await startFixture();
      const event = runShellTask('cmd-own-user', 'id -u > uid');
      event.runTask!.task!.command!.user = 'nobody';
      f.master.send(asFrameworkUser(event, 'root'));
      expect((await terminal('cmd-own-user')).state).to.equal('TASK_FINISHED');
      const sandbox = (await stateTask(f.agent, 'cmd-own-user'))?.directory ?? '';
      expect((await readFile(join(sandbox, 'uid'), 'utf8')).trim()).to.equal(String(nobody.uid));
    });

    it('run as root with --switch_user=false', async () => {
      f = await startFixture({ switchUser: false });
      const { update, sandbox } = await commandTask('cmd-root', 'nobody');
      expect(update.state).to.equal('TASK_FINISHED');
      expect((await readFile(join(sandbox, 'uid'), 'utf8')).trim()).to.equal('0');
    });

    it('fail with TASK_FAILED naming a user the host does not know', async () => {
      f = await startFixture();
      const { update } = await commandTask('cmd-unknown', UNKNOWN);
      expect(update.state).to.equal('TASK_FAILED');
      expect(update.status.message).to.equal(
        `Failed to launch the command: user '${UNKNOWN}' does not exist on this agent (getent passwd)`,
      );
    });
  });

  describe('custom executors', () => {
    /** Starts a task (that runs until killed) of the test executor, as `user` when given; returns the executor's pid once RUNNING. */
    async function runningExecutor(taskId: string, info: IExecutorInfo, frameworkUser = 'root'): Promise<number> {
      f!.master.send(asFrameworkUser(runExecutorTask(taskId, info, 'run'), frameworkUser));
      await waitFor(`${taskId} RUNNING`, () => f!.master.states(taskId).includes('TASK_RUNNING') || undefined);
      return waitFor(`the pid of ${taskId}`, async () => (await stateTask(f!.agent, taskId))?.pid ?? undefined);
    }

    it("run as their command's user: the executor process is nobody's and it subscribes", async () => {
      f = await startFixture();
      const pid = await runningExecutor('ce-nobody', executorAs('exec-nobody', 'nobody'));
      expect(await uidOf(pid)).to.equal(nobody.uid);
      const sandbox = (await stateTask(f.agent, 'ce-nobody'))?.directory ?? '';
      expect((await stat(sandbox)).uid).to.equal(nobody.uid);
      f.master.send(killTask('ce-nobody'));
      expect((await terminal('ce-nobody')).state).to.equal('TASK_KILLED');
    });

    it('run as the framework user when the executor names none', async () => {
      f = await startFixture();
      const pid = await runningExecutor('ce-fw', executorInfo('exec-fw'), 'nobody');
      expect(await uidOf(pid)).to.equal(nobody.uid);
      const sandbox = (await stateTask(f.agent, 'ce-fw'))?.directory ?? '';
      expect((await stat(sandbox)).uid).to.equal(nobody.uid);
      f.master.send(killTask('ce-fw'));
      expect((await terminal('ce-fw')).state).to.equal('TASK_KILLED');
    });

    it('run as root with --switch_user=false', async () => {
      f = await startFixture({ switchUser: false });
      const pid = await runningExecutor('ce-root', executorAs('exec-root', 'nobody'));
      expect(await uidOf(pid)).to.equal(0);
      f.master.send(killTask('ce-root'));
      expect((await terminal('ce-root')).state).to.equal('TASK_KILLED');
    });

    it('fail their tasks naming a user the host does not know', async () => {
      f = await startFixture();
      f.master.send(runExecutorTask('ce-unknown', executorAs('exec-unknown', UNKNOWN), 'finish'));
      const update = await terminal('ce-unknown');
      expect(update.state).to.equal('TASK_FAILED');
      expect(update.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED);
      expect(update.status.message).to.equal(
        `Cannot launch the executor: user '${UNKNOWN}' does not exist on this agent (getent passwd)`,
      );
    });
  });

  describe('Docker tasks', () => {
    let engine: DockerEngineHandle;

    before(async function () {
      this.timeout(600_000);
      engine = await requireDockerEngine(this);
    });

    const start = (options: Parameters<typeof startFixture>[0] = {}) =>
      startFixture({ docker: { socketPath: engine.socketPath }, ...options });

    /** A Docker task of a framework whose user is `user`, writing its uid and gid to the sandbox and stdout. */
    async function dockerTask(taskId: string, user: string) {
      const shell = 'busybox id -u > uid && busybox id -g > gid && busybox id -u';
      f!.master.send(asFrameworkUser(runDockerTask(taskId, shell), user));
      const update = await waitFor(
        `a terminal update of ${taskId}`,
        () => f!.master.updates(taskId).find((u) => TERMINAL.includes(u.state)),
        30_000,
      );
      const sandbox = (await stateTask(f!.agent, taskId))?.directory ?? '';
      return { update, sandbox };
    }

    it("run as the user's uid:gid, in a sandbox it owns", async () => {
      f = await start();
      const { update, sandbox } = await dockerTask(t('dk-nobody'), 'nobody');
      expect(update.state, update.status.message ?? '').to.equal('TASK_FINISHED');
      expect((await readFile(join(sandbox, 'uid'), 'utf8')).trim()).to.equal(String(nobody.uid));
      expect((await readFile(join(sandbox, 'gid'), 'utf8')).trim()).to.equal(String(nobody.gid));
      expect((await readFile(join(sandbox, 'stdout'), 'utf8')).trim()).to.equal(String(nobody.uid));
      expect((await stat(sandbox)).uid).to.equal(nobody.uid);
      await waitFor(
        'the container removed',
        async () => (await containersOfTask(engine.docker, t('dk-nobody'))).length === 0,
      );
    });

    it("run as the image's user with --switch_user=false", async () => {
      f = await start({ switchUser: false });
      const { update, sandbox } = await dockerTask(t('dk-root'), 'nobody');
      expect(update.state, update.status.message ?? '').to.equal('TASK_FINISHED');
      expect((await readFile(join(sandbox, 'uid'), 'utf8')).trim()).to.equal('0');
    });

    it('fail naming a user the host does not know, creating no container', async () => {
      f = await start();
      const { update } = await dockerTask(t('dk-unknown'), UNKNOWN);
      expect(update.state).to.equal('TASK_FAILED');
      expect(update.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED);
      expect(update.status.message).to.equal(
        `Failed to launch the container: user '${UNKNOWN}' does not exist on this agent (getent passwd)`,
      );
      expect(await containersOfTask(engine.docker, t('dk-unknown'))).to.deep.equal([]);
    });
  });
});
