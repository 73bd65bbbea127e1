// Sandbox files cannot leave the sandboxes (issue 8): a real task on a real
// agent makes symlinks inside its sandbox that point outside (a file, the
// root directory, a relative climb), then every way out is tried on the
// agent's /files/* and through the master's proxy: `..` (plain, relative,
// percent-encoded), absolute paths, the symlinks, NUL. Each is 403 or 404,
// and no answer carries a byte of the outside file. Symlinks into another
// framework's sandbox are refused too: the master authorises a path by the
// framework it names, so a link must not lead elsewhere.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskState } from '@mesocosm/protocol';
import { LocalCluster } from '@mesocosm/testing';
import { RawScheduler } from '../fuzz/support/raw-scheduler.js';

const SECRET = 'outside-secret-7f3a';
const OTHER_SECRET = 'other-framework-secret-91c2';

/** The sandbox of the task named `name`, relative to the agent's sandboxes, as the master lists it. */
async function sandboxOf(masterHttp: string, name: string): Promise<string> {
  const res = await fetch(`${masterHttp}/master/tasks?name=${name}`);
  const { tasks } = (await res.json()) as { tasks: { sandbox: string }[] };
  const sandbox = tasks[0]?.sandbox ?? '';
  expect(sandbox, `sandbox of ${name}`).to.not.equal('');
  return sandbox;
}

describe('sandbox files: no way out of the sandboxes', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  let sched: RawScheduler;
  let outside: string;
  let run: string;
  let relativeRun: string;

  before(async () => {
    outside = await mkdtemp(join(tmpdir(), 'escape-'));
    await writeFile(join(outside, 'secret'), `${SECRET}\n`);
    cluster = await LocalCluster.start({ agents: 1 });
    await cluster.waitForAgents(1);
    // Another framework's task, whose sandbox the first one links into.
    const other = new RawScheduler(cluster.masterGrpc);
    await other.subscribe({ name: 'escape-other', user: 'nobody' });
    const written = await other.runTask('neighbour', 'cpus:0.1;mem:32', {
      shell: true,
      value: `echo ${OTHER_SECRET} > own`,
    });
    expect(written.state, written.message ?? '').to.equal(TaskState.TASK_FINISHED);
    other.close(); // gone: its offers go to the next framework, its sandbox stays
    const otherRun = join(
      cluster.agents[0]!.workDir,
      'sandboxes',
      await sandboxOf(cluster.masterHttp, 'neighbour'),
      'run-1',
    );
    sched = new RawScheduler(cluster.masterGrpc);
    await sched.subscribe({ name: 'escape', user: 'nobody' });
    const command = [
      `ln -s ${otherRun}/own cross`,
      `ln -s ${otherRun} crossdir`,
      'echo inside > own',
      `ln -s ${outside}/secret leak`,
      `ln -s ${outside} outdir`,
      'ln -s / rootdir',
      'mkdir sub && ln -s ../../../../../../../../.. sub/up',
      'ln -s own inner',
    ].join(' && ');
    const status = await sched.runTask('escape', 'cpus:0.1;mem:32', { shell: true, value: command });
    expect(status.state, status.message ?? '').to.equal(TaskState.TASK_FINISHED);
    // The sandbox as the master lists it is relative to the agent's sandboxes; the agent takes both forms.
    const sandbox = await sandboxOf(cluster.masterHttp, 'escape');
    relativeRun = `${sandbox}/run-1`;
    run = join(cluster.agents[0]!.workDir, 'sandboxes', sandbox, 'run-1');
  });

  after(async () => {
    sched?.close();
    await cluster?.stop();
    await rm(outside, { recursive: true, force: true });
  });

  /** Every way out, as the raw (already encoded) value of `path=`. */
  const escapes = (): [string, string][] => {
    const e = encodeURIComponent;
    return [
      ['a symlink to a file outside', e(`${run}/leak`)],
      ['a path through a symlink to a directory outside', e(`${run}/outdir/secret`)],
      ['a path through a symlink to /', e(`${run}/rootdir/etc/passwd`)],
      ['a path through a relative symlink climbing out', e(`${run}/sub/up/etc/passwd`)],
      ['.. out of the run directory', e(`${run}/../../../../../../../../..${outside}/secret`)],
      ['a relative ..', e(`../../../../../../../../..${outside}/secret`)],
      ['.. out of a relative sandbox path', e(`${relativeRun}/../../../../../../../../../..${outside}/secret`)],
      ['a relative path through a symlink', e(`${relativeRun}/leak`)],
      ["a symlink to a file in another framework's sandbox", e(`${run}/cross`)],
      ["a path through a symlink to another framework's sandbox", e(`${relativeRun}/crossdir/own`)],
      [
        'percent-encoded ..',
        `${e(run)}%2F%2e%2e%2F%2e%2e%2F%2e%2e%2F%2e%2e%2F%2e%2e%2F%2e%2e%2F%2e%2e%2F%2e%2e%2F%2e%2e${e(`${outside}/secret`)}`,
      ],
      ['double-encoded ..', `${e(run)}%2F%252e%252e%2F%252e%252e${e(`${outside}/secret`)}`],
      ['an absolute path outside', e(`${outside}/secret`)],
      ['/etc/passwd', e('/etc/passwd')],
      ['a NUL byte', `${e(run)}%2Fown%00${e(`/../../../..${outside}/secret`)}`],
    ];
  };

  for (const via of ['agent', 'master'] as const) {
    const base = (verb: string): string =>
      via === 'agent'
        ? `${cluster.agents[0]!.httpUrl}/files/${verb}`
        : `${cluster.masterHttp}/master/agents/${encodeURIComponent(cluster.agents[0]!.agentId)}/files/${verb}`;

    it(`serves the sandbox itself through the ${via}, symlinks inside it included`, async () => {
      const own = await fetch(`${base('read')}?path=${encodeURIComponent(`${run}/inner`)}&offset=0`);
      expect(own.status).to.equal(200);
      expect(((await own.json()) as { data: string }).data).to.equal('inside\n');
    });

    it(`refuses every way out through the ${via} with 403 or 404, leaking nothing`, async () => {
      for (const verb of ['read', 'download', 'browse']) {
        for (const [what, path] of escapes()) {
          const res = await fetch(`${base(verb)}?path=${path}&offset=0`);
          const body = await res.text();
          expect([403, 404], `${via} ${verb} ${what}: ${res.status} ${body}`).to.include(res.status);
          expect(body, `${via} ${verb} ${what}`).to.not.include(SECRET);
          expect(body, `${via} ${verb} ${what}`).to.not.include(OTHER_SECRET);
          expect(body, `${via} ${verb} ${what}`).to.not.include('root:');
        }
      }
    });
  }

  it('refuses encoded path tricks in the master route itself', async () => {
    for (const agent of ['..%2F..%2Fetc', '%2e%2e', '..']) {
      const res = await fetch(`${cluster.masterHttp}/master/agents/${agent}/files/read?path=x&offset=0`);
      expect([403, 404], agent).to.include(res.status);
      expect(await res.text()).to.not.include('root:');
    }
  });
});
