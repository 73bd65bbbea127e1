// `mesocosm local --tls` as a real process: the master, the agent, Marathon
// and Chronos serve HTTPS verified by the throwaway CA it prints; a client
// without that CA and a plaintext client are refused; the CLI hint it prints
// works. Then the operator's own files (--tls-cert/--tls-key/--tls-ca), and
// the errors for incomplete or bad ones.
import { expect } from 'chai';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterState } from '@mesocosm/master';
import { generateTlsMaterial, parseReadyLine, type ReadyLine, type TlsFiles } from '@mesocosm/testing';
import { cliMain, runProcess, startProcess, stopAllProcesses, type RunningProcess } from '../helpers/index.js';
import { httpsRequest, refusal } from './https-client.js';

const freePorts = ['--port', '0', '--grpc_port', '0', '--marathon_port', '0', '--chronos_port', '0'];

/** Starts `mesocosm local` with `args` (no example, one agent) and resolves with its ready line. */
async function startLocal(args: readonly string[]): Promise<{ local: RunningProcess; ready: ReadyLine }> {
  const local = startProcess(process.execPath, [
    cliMain,
    'local',
    ...freePorts,
    '--agents',
    '1',
    '--no-examples',
    ...args,
  ]);
  const ready = parseReadyLine(await local.waitForLine(/^\{"event":"ready"/, 60_000));
  if (!ready) throw new Error('no ready line');
  return { local, ready };
}

/** `https://h:p` → `http://h:p`. */
const plain = (url: string): string => url.replace(/^https:/, 'http:');

describe('mesocosm local --tls (process)', function () {
  this.timeout(90_000);
  let scratch: string;
  let own: TlsFiles;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mesocosm-local-tls-'));
    own = await generateTlsMaterial(join(scratch, 'own'), { caName: 'operator-ca' });
  });
  after(async () => {
    await stopAllProcesses();
    await rm(scratch, { recursive: true, force: true });
  });

  it('serves the master, agent, Marathon and Chronos over HTTPS with the CA it prints, and refuses others', async () => {
    const { local, ready } = await startLocal(['--tls', '--work_dir', join(scratch, 'work')]);
    const caFile = ready['tlsCa'] as string;
    expect(caFile).to.equal(join(scratch, 'work', 'tls', 'ca.pem'));
    const ca = await readFile(caFile, 'utf8');
    const marathon = ready['marathon'] as string;
    const chronos = ready['chronos'] as string;
    const agent = (ready['agents'] as { http: string }[])[0]!.http;
    for (const url of [ready.http, marathon, chronos, agent]) expect(url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    // What it prints tells a user where the CA is and how curl and the CLI use it.
    expect(local.lines).to.include.members([
      `  TLS CA       ${caFile}   (throwaway, made for this run; every URL above is https)`,
      `    curl       curl --cacert ${caFile} ${ready.http}/master/state`,
    ]);

    const state = JSON.parse((await httpsRequest(`${ready.http}/master/state`, { ca })).text) as MasterState;
    expect(state.slaves.filter((a) => a.active)).to.have.length(1);
    expect((await httpsRequest(`${marathon}/ping`, { ca })).text.trim()).to.equal('pong');
    const info = await httpsRequest(`${marathon}/v2/info`, { ca });
    expect(info.status, info.text).to.equal(200);
    const jobs = await httpsRequest(`${chronos}/v1/scheduler/jobs`, { ca });
    expect([jobs.status, JSON.parse(jobs.text)]).to.deep.equal([200, []]);
    expect((await httpsRequest(`${agent}/state`, { ca })).status).to.equal(200);

    // Without the CA, the handshake fails; plaintext HTTP gets no answer from any of them.
    for (const url of [ready.http, marathon, chronos]) {
      expect((await refusal(httpsRequest(`${url}/ping`))).message).to.match(/certificate/);
      await refusal(fetch(`${plain(url)}/ping`));
    }

    // The CLI hint: MESOCOSM_MASTER and MESOCOSM_TLS_CA, then the operator verbs.
    const agents = await runProcess(process.execPath, [cliMain, 'agents', '--json'], {
      env: { ...process.env, MESOCOSM_MASTER: ready.http, MESOCOSM_TLS_CA: caFile },
      timeoutMs: 20_000,
    });
    expect(agents.code, agents.stderr).to.equal(0);
    expect(agents.stdout).to.include(state.slaves[0]!.id);

    const exit = await local.kill('SIGTERM');
    expect(exit.code, exit.stderr).to.equal(0);
  });

  it("uses the operator's own --tls-cert, --tls-key and --tls-ca", async () => {
    const { local, ready } = await startLocal([
      '--tls-cert',
      own.certFile,
      '--tls-key',
      own.keyFile,
      '--tls-ca',
      own.caFile,
      '--no-chronos',
    ]);
    expect(ready['tlsCa']).to.equal(own.caFile);
    expect(local.lines.some((l) => l.includes(`${own.caFile}   (given with --tls-ca`))).to.equal(true);
    const state = await httpsRequest(`${ready.http}/master/state`, { ca: own.ca });
    expect(state.status).to.equal(200);
    expect((await httpsRequest(`${ready['marathon'] as string}/ping`, { ca: own.ca })).text.trim()).to.equal('pong');
    const exit = await local.kill('SIGTERM');
    expect(exit.code, exit.stderr).to.equal(0);
  });

  it('refuses incomplete or unusable TLS files before starting anything, naming the flag (status 2)', async () => {
    const run = (...args: string[]) =>
      runProcess(process.execPath, [cliMain, 'local', ...freePorts, '--no-examples', ...args], { timeoutMs: 20_000 });
    const onlyCert = await run('--tls-cert', own.certFile, '--tls-key', own.keyFile);
    expect(onlyCert.code).to.equal(2);
    expect(onlyCert.stderr).to.include('error: --tls-ca: is required with --tls-cert and --tls-key');
    const missing = join(scratch, 'nope.pem');
    const gone = await run('--tls-cert', missing, '--tls-key', own.keyFile, '--tls-ca', own.caFile);
    expect(gone.code).to.equal(2);
    expect(gone.stderr).to.include(`--tls-cert: ${missing} does not exist`);
    const clientCert = await run(
      '--tls-cert',
      own.clientCertFile,
      '--tls-key',
      own.clientKeyFile,
      '--tls-ca',
      own.caFile,
    );
    expect(clientCert.code).to.equal(2);
    expect(clientCert.stderr).to.include(`--tls-cert: ${own.clientCertFile} is not valid for 127.0.0.1`);
    for (const r of [onlyCert, gone, clientCert]) expect(r.stdout).to.not.include('mesocosm local:');
  });
});
