// The fetcher in a real agent: URIs fetched into the sandbox before the task
// starts and used by it; a fake master over real gRPC, real processes, a real
// HTTP server and real archives made with tar (and zip when it is installed).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TaskStatusReason, type mesocosm } from '@mesocosm/protocol';
import { startFixture, stateTask, stopFixture, type Fixture } from '../helpers/agent-fixture.js';
import { executorInfo, runExecutorTask } from '../helpers/executor-tasks.js';
import { runShellTask } from '../helpers/tasks.js';
import { waitFor } from '../helpers/wait-for.js';
import { freePort } from '../health/free-port.js';
import { serveFiles, type FileServer } from './serve-files.js';

const run = promisify(execFile);
type IURI = mesocosm.v1.CommandInfo.IURI;

async function hasProgram(name: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${name}`]).then(
    () => true,
    () => false,
  );
}

describe('agent: fetching URIs into sandboxes', function () {
  this.timeout(30_000);
  let f: Fixture | undefined;
  let server: FileServer | undefined;
  let scratch: string;

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'fetch-test-'));
  });

  afterEach(async () => {
    await stopFixture(f);
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
    f = undefined;
    server = undefined;
  });

  const withUris = (taskId: string, shell: string, uris: IURI[]) =>
    runShellTask(taskId, shell, 'cpus:0.1;mem:64', { command: { shell: true, value: shell, uris } });

  const ended = (taskId: string) =>
    waitFor(`${taskId} to end`, () =>
      f!.master.updates(taskId).find((u) => ['TASK_FINISHED', 'TASK_FAILED', 'TASK_ERROR'].includes(u.state)),
    );

  const stdout = async (taskId: string) => {
    const t = await waitFor('the task in /state', () => stateTask(f!.agent, taskId));
    return readFile(join(t.directory ?? '', 'stdout'), 'utf8');
  };

  it('fetches an http file and a file:// tar.gz that it extracts; the task uses both; executable honoured', async () => {
    server = await serveFiles({ '/tool.sh': '#!/bin/sh\necho "tool says $1"\n', '/notes.txt': 'plain notes\n' });
    await mkdir(join(scratch, 'pkg', 'conf'), { recursive: true });
    await writeFile(join(scratch, 'pkg', 'conf', 'app.conf'), 'answer=42\n');
    const archive = join(scratch, 'bundle.tar.gz');
    await run('tar', ['-czf', archive, '-C', join(scratch, 'pkg'), '.']);
    f = await startFixture();
    f.master.send(
      withUris(
        'uses',
        './tool.sh hi && cat conf/app.conf && cat notes.txt && test ! -x notes.txt && ls bundle.tar.gz',
        [
          { value: `${server.url}/tool.sh`, executable: true },
          { value: `file://${archive}`, extract: true },
          { value: `${server.url}/redirect/notes.txt` },
        ],
      ),
    );
    const end = await ended('uses');
    expect(end.state, end.status.message ?? '').to.equal('TASK_FINISHED');
    expect(f.master.states('uses')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    expect(await stdout('uses')).to.equal('tool says hi\nanswer=42\nplain notes\nbundle.tar.gz\n');
    const dir = (await stateTask(f.agent, 'uses'))?.directory ?? '';
    expect((await stat(join(dir, 'tool.sh'))).mode & 0o777).to.equal(0o755);
    // Redirects are followed; the file is named after the URI.
    expect(server.hits.get('/notes.txt')).to.equal(1);
  });

  it('honours output_file (in a subdirectory) and extracts a zip with unzip', async function () {
    if (!(await hasProgram('zip')) || !(await hasProgram('unzip'))) this.skip();
    await writeFile(join(scratch, 'inside.txt'), 'from the zip\n');
    await run('zip', ['-q', join(scratch, 'a.zip'), 'inside.txt'], { cwd: scratch });
    server = await serveFiles({ '/download': await readFile(join(scratch, 'a.zip')) });
    f = await startFixture();
    f.master.send(
      withUris('zipped', 'cat inside.txt && ls lib', [
        { value: `${server.url}/download`, outputFile: 'lib/pkg.zip', extract: true },
      ]),
    );
    const end = await ended('zipped');
    expect(end.state, end.status.message ?? '').to.equal('TASK_FINISHED');
    expect(await stdout('zipped')).to.equal('from the zip\npkg.zip\n');
  });

  it('caches a URI with cache set: the second task gets it without a request; without cache it is fetched again', async () => {
    server = await serveFiles({ '/data.txt': 'cached data\n' });
    f = await startFixture();
    const uri = { value: `${server.url}/data.txt`, cache: true };
    f.master.send(withUris('c1', 'cat data.txt', [uri]));
    expect((await ended('c1')).state).to.equal('TASK_FINISHED');
    f.master.send(withUris('c2', 'cat data.txt', [uri]));
    expect((await ended('c2')).state).to.equal('TASK_FINISHED');
    expect(await stdout('c1')).to.equal('cached data\n');
    expect(await stdout('c2')).to.equal('cached data\n');
    expect(server.hits.get('/data.txt')).to.equal(1);
    expect(await readdir(join(f.workDir, 'fetcher-cache'))).to.have.length(1);
    f.master.send(withUris('c3', 'cat data.txt', [{ value: uri.value }]));
    expect((await ended('c3')).state).to.equal('TASK_FINISHED');
    expect(server.hits.get('/data.txt')).to.equal(2);
  });

  it('fails the task with REASON_FETCHER_FAILED naming the URI and the cause (404, missing file, too large)', async () => {
    server = await serveFiles({ '/big.bin': Buffer.alloc(4096, 1) });
    f = await startFixture({ fetcherMaxBytes: 1024 });
    const cases: [string, IURI, string][] = [
      ['nf', { value: `${server.url}/missing.tgz`, extract: true }, 'HTTP 404'],
      ['nofile', { value: `file://${scratch}/absent.txt` }, 'does not exist on this agent'],
      ['big', { value: `${server.url}/big.bin` }, 'larger than'],
      ['refused', { value: `http://127.0.0.1:${await freePort()}/x` }, 'ECONNREFUSED'],
    ];
    for (const [id, uri] of cases) f.master.send(withUris(id, 'echo should-not-run', [uri]));
    for (const [id, uri, words] of cases) {
      const end = await ended(id);
      expect(end.state).to.equal('TASK_FAILED');
      expect(end.status.reason).to.equal(TaskStatusReason.REASON_FETCHER_FAILED);
      expect(end.status.message).to.include(`Failed to fetch '${uri.value}'`).and.include(words);
      expect(f.master.states(id)).to.deep.equal(['TASK_STARTING', 'TASK_FAILED']);
      // The task never ran, and nothing half-fetched is left in its sandbox.
      const dir = (await stateTask(f.agent, id))?.directory ?? '';
      expect(await readdir(dir)).to.deep.equal([]);
    }
  });

  it('refuses an unsupported scheme, a relative path and an escaping output_file with TASK_ERROR, leaving no sandbox', async () => {
    f = await startFixture();
    const cases: [string, IURI, string][] = [
      ['ftp', { value: 'ftp://example.com/x.tgz' }, "has the unsupported scheme 'ftp'"],
      ['rel', { value: 'some/file.txt' }, 'is a relative path'],
      ['esc', { value: 'http://example.com/x', outputFile: '../../x' }, 'escapes the sandbox'],
    ];
    for (const [id, uri] of cases) f.master.send(withUris(id, 'true', [uri]));
    for (const [id, uri, words] of cases) {
      const end = await ended(id);
      expect(end.state).to.equal('TASK_ERROR');
      expect(end.status.reason).to.equal(TaskStatusReason.REASON_TASK_INVALID);
      expect(end.status.message).to.include(`URI '${uri.value}'`).and.include(words);
      expect(f.master.states(id)).to.deep.equal(['TASK_ERROR']);
    }
    expect(await readdir(join(f.workDir, 'sandboxes'))).to.deep.equal([]);
  });

  it("fetches a custom executor's URIs into its sandbox; a failure fails its task with REASON_FETCHER_FAILED", async () => {
    server = await serveFiles({});
    f = await startFixture();
    const info = executorInfo('fetching-exec');
    info.command = { ...info.command, uris: [{ value: `${server.url}/executor.tgz`, extract: true }] };
    f.master.send(runExecutorTask('ex-task', info, 'finish'));
    const end = await ended('ex-task');
    expect(end.state).to.equal('TASK_FAILED');
    expect(end.status.reason).to.equal(TaskStatusReason.REASON_FETCHER_FAILED);
    expect(end.status.message).to.include(`Failed to fetch '${server.url}/executor.tgz'`).and.include('HTTP 404');
  });
});
