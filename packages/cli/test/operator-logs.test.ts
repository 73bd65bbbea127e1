// `mesocosm logs` through runCli against a fake master serving a sandbox:
// which file it reads, --tail, --stderr, --follow, and a missing sandbox.
import { expect } from 'chai';
import { cli, FakeMaster, sandboxRoutes, taskRow, type FakeRequest } from './fake-master.js';

describe('mesocosm logs against a fake master', () => {
  let master: FakeMaster;
  beforeEach(async () => {
    master = await FakeMaster.start();
  });
  afterEach(async () => master.stop());

  it("logs: the task's stdout (or stderr) of its latest run, whole or its last lines", async () => {
    master.routes['/master/tasks'] = () => ({
      json: { tasks: [taskRow({ id: 'job-1' })], total: 1, offset: 0, limit: 1000 },
    });
    Object.assign(
      master.routes,
      sandboxRoutes({
        'f1/tasks/job-1/run-1/stdout': () => 'old run\n',
        'f1/tasks/job-1/run-2/stdout': () => 'one\ntwo\nthree ü\n',
        'f1/tasks/job-1/run-2/stderr': () => 'oops\n',
      }),
    );
    const out = await cli(['logs', 'job-1', '--master', master.url]);
    expect(out.code, out.err).to.equal(0);
    expect(out.out).to.equal('one\ntwo\nthree ü\n');
    expect(master.to('/master/tasks')[0]!.query.get('name')).to.equal('job-1');
    expect((await cli(['logs', 'job', '--master', master.url, '--stderr'])).out).to.equal('oops\n');
    expect((await cli(['logs', 'job-1', '--master', master.url, '--tail', '2'])).out).to.equal('two\nthree ü\n');
    expect((await cli(['logs', 'job-1', '--master', master.url, '--tail', '0'])).out).to.equal('');
  });

  it('logs: a task without a sandbox yet is a clear error', async () => {
    master.routes['/master/tasks'] = () => ({
      json: { tasks: [taskRow({ id: 'new', state: 'TASK_STAGING' })], total: 1, offset: 0, limit: 1000 },
    });
    Object.assign(master.routes, sandboxRoutes({}));
    const r = await cli(['logs', 'new', '--master', master.url]);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/task new \(TASK_STAGING\) has no sandbox on agent host-1 yet.*--follow/);
  });

  it('logs --follow: prints what is appended, and stops once the task ended and the file stopped growing', async () => {
    let content = 'first\n';
    let state = 'TASK_RUNNING';
    let reads = 0;
    master.routes['/master/tasks'] = () => ({
      json: { tasks: [taskRow({ id: 'job', state })], total: 1, offset: 0, limit: 1000 },
    });
    const files = sandboxRoutes({ 'f1/tasks/job/run-1/stdout': () => content });
    master.routes['/master/agents/a1/files/browse'] = files['/master/agents/a1/files/browse']!;
    master.routes['/master/agents/a1/files/read'] = (req: FakeRequest) => {
      reads++;
      if (reads === 4) content += 'second\n';
      if (reads === 8) {
        content += 'last words\n';
        state = 'TASK_FINISHED';
      }
      return files['/master/agents/a1/files/read']!(req);
    };
    const r = await cli(['logs', 'job', '--follow', '--master', master.url, '--interval', '10ms']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.equal('first\nsecond\nlast words\n');
  });
});
