// Two `mesocosm marathon` processes with TLS on a real ZooKeeper, beside a
// TLS master: the leader's URL in ZooKeeper is https://, an app POSTed to the
// follower over HTTPS is proxied over HTTPS to the leader (verified with the
// CA) and appears in the leader's /v2/apps; clients without the CA, plaintext
// clients, and a follower that does not trust the leader's CA are refused.
// Chronos followers do not proxy but answer 307: to the leader's https:// URL.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  DaemonProcess,
  LocalCluster,
  generateTlsMaterial,
  sharedZooKeeper,
  waitFor,
  type TlsFiles,
} from '@mesocosm/testing';
import { cliMain, requireInfra } from '../helpers/index.js';
import { httpsRequest, refusal } from './https-client.js';

interface AppsJson {
  apps: { id: string }[];
}

/** Starts `mesocosm <command>` #`n` with `tls` under `zk`; resolves once it serves (HTTPS). */
async function startInstance(
  command: 'marathon' | 'chronos',
  n: number,
  options: { zk: string; master: string; tls: TlsFiles; daemons: DaemonProcess[] },
): Promise<DaemonProcess> {
  const { zk, master, tls } = options;
  const args = [cliMain, command, '--master', master, '--zk', zk, '--zk_session_timeout', '3secs'];
  args.push('--http_port', '0', '--http_address', '127.0.0.1', '--hostname', '127.0.0.1');
  args.push('--framework_name', `${command}-ha-tls`, '--tls-cert', tls.certFile, '--tls-key', tls.keyFile);
  args.push('--tls-ca', tls.caFile);
  const d = await DaemonProcess.start(process.execPath, args, { name: `${command} ${n}`, readyTimeoutMs: 30_000 });
  options.daemons.push(d);
  expect(d.ready.http).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
  return d;
}

/** The `{leader: "host:port"}` an instance names (Marathon /v2/leader, Chronos /leader), trusting `ca`. */
async function leaderNamedBy(d: DaemonProcess, path: string, ca: string): Promise<string> {
  const answer = await httpsRequest(`${d.ready.http}${path}`, { ca });
  return answer.status === 200 ? (JSON.parse(answer.text) as { leader: string }).leader : '';
}

describe('mesocosm marathon HA over TLS: the follower proxies to the leader over HTTPS', function () {
  this.timeout(120_000);
  let cluster: LocalCluster | undefined;
  let scratch: string | undefined;
  const daemons: DaemonProcess[] = [];

  before(async function () {
    requireInfra(this, 'zookeeper');
  });

  after(async () => {
    for (const d of daemons) await d.kill('SIGKILL');
    await cluster?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('POST /v2/apps to the follower lands on the leader; no CA, plaintext or a distrusted leader: refused', async () => {
    const { connectString } = await sharedZooKeeper();
    cluster = await LocalCluster.start({ agents: 1, tls: true });
    const tls = cluster.tls!;
    const ca = tls.ca;
    const zk = `zk://${connectString}/marathon-ha-tls-${randomUUID().slice(0, 8)}`;
    const start = (n: number, material: TlsFiles): Promise<DaemonProcess> =>
      startInstance('marathon', n, { zk, master: cluster!.masterGrpc, tls: material, daemons });
    const first = await start(1, tls);
    const second = await start(2, tls);
    const leaderOf = (d: DaemonProcess, trusting = ca): Promise<string> => leaderNamedBy(d, '/v2/leader', trusting);
    const leaderName = await waitFor(async () => (await leaderOf(second)) || undefined, {
      timeoutMs: 30_000,
      message: 'a leader known to marathon 2',
    });
    const leader = [first, second].find((d) => new URL(d.ready.http).host === leaderName)!;
    const follower = leader === first ? second : first;
    expect(leader, `leader ${leaderName}`).to.not.equal(undefined);
    // The leader's own API answers once it has loaded its state.
    await waitFor(async () => (await httpsRequest(`${leader.ready.http}/v2/apps`, { ca })).status === 200, {
      timeoutMs: 30_000,
      message: 'the leader serves /v2/apps',
    });

    const app = { id: '/tls/proxied', cmd: 'sleep 600', instances: 0, cpus: 0.05, mem: 16 };
    const created = await httpsRequest(`${follower.ready.http}/v2/apps`, { ca, method: 'POST', json: app });
    expect(created.status, created.text).to.equal(201);
    expect(created.headers['x-marathon-leader']).to.equal(leader.ready.http);
    expect(created.headers['x-marathon-via']).to.equal(`1.1 ${new URL(follower.ready.http).host}`);
    const onLeader = JSON.parse((await httpsRequest(`${leader.ready.http}/v2/apps`, { ca })).text) as AppsJson;
    expect(onLeader.apps.map((a) => a.id)).to.include(app.id);
    // A read through the follower is proxied too.
    const viaFollower = JSON.parse((await httpsRequest(`${follower.ready.http}/v2/apps`, { ca })).text) as AppsJson;
    expect(viaFollower.apps.map((a) => a.id)).to.deep.equal(onLeader.apps.map((a) => a.id));

    // A client without the CA fails the handshake; a plaintext one gets no answer.
    const noCa = await refusal(httpsRequest(`${follower.ready.http}/v2/apps`, { method: 'POST', json: app }));
    expect(noCa.message).to.match(/certificate/);
    await refusal(fetch(`${follower.ready.http.replace(/^https:/, 'http:')}/v2/apps`));

    // A follower whose CA is another one does not trust the leader: 502, and nothing reaches the leader.
    scratch = await mkdtemp(join(tmpdir(), 'mesocosm-marathon-tls-'));
    const other = await generateTlsMaterial(join(scratch, 'other'), { caName: 'someone-else' });
    const stranger = await start(3, other);
    await waitFor(async () => (await leaderOf(stranger, other.ca)) === leaderName, {
      timeoutMs: 30_000,
      message: 'marathon 3 knows the leader',
    });
    const refused = await httpsRequest(`${stranger.ready.http}/v2/apps`, {
      ca: other.ca,
      method: 'POST',
      json: { ...app, id: '/tls/not-proxied' },
    });
    expect(refused.status, refused.text).to.equal(502);
    expect(refused.text).to.include(`The leader at ${leader.ready.http} could not be reached`);
    expect(refused.text).to.match(/certificate/);
    const after = JSON.parse((await httpsRequest(`${leader.ready.http}/v2/apps`, { ca })).text) as AppsJson;
    expect(after.apps.map((a) => a.id)).to.deep.equal([app.id]);
  });
});

describe('mesocosm chronos HA over TLS: the follower redirects to the https leader', function () {
  this.timeout(120_000);
  let cluster: LocalCluster | undefined;
  const daemons: DaemonProcess[] = [];

  before(async function () {
    requireInfra(this, 'zookeeper');
  });

  after(async () => {
    for (const d of daemons) await d.kill('SIGKILL');
    await cluster?.stop();
  });

  it("answers 307 to the leader's https:// URL, which a client with the CA follows; without the CA: refused", async () => {
    const { connectString } = await sharedZooKeeper();
    cluster = await LocalCluster.start({ agents: 1, tls: true });
    const tls = cluster.tls!;
    const ca = tls.ca;
    const zk = `zk://${connectString}/chronos-ha-tls-${randomUUID().slice(0, 8)}`;
    const options = { zk, master: cluster.masterGrpc, tls, daemons };
    const first = await startInstance('chronos', 1, options);
    const second = await startInstance('chronos', 2, options);
    const leaderName = await waitFor(async () => (await leaderNamedBy(second, '/leader', ca)) || undefined, {
      timeoutMs: 30_000,
      message: 'a leader known to chronos 2',
    });
    const leader = [first, second].find((d) => new URL(d.ready.http).host === leaderName)!;
    const follower = leader === first ? second : first;
    expect(leader, `leader ${leaderName}`).to.not.equal(undefined);
    await waitFor(async () => (await httpsRequest(`${leader.ready.http}/v1/scheduler/jobs`, { ca })).status === 200, {
      timeoutMs: 30_000,
      message: 'the leader serves /v1/scheduler/jobs',
    });

    const job = { name: 'tls-redirected', command: 'true', schedule: 'R/2030-01-01T00:00:00Z/PT1H' };
    const path = '/v1/scheduler/iso8601';
    const redirect = await httpsRequest(`${follower.ready.http}${path}`, { ca, method: 'POST', json: job });
    expect(redirect.status, redirect.text).to.equal(307);
    expect(redirect.headers['location']).to.equal(`${leader.ready.http}${path}`);
    const created = await httpsRequest(String(redirect.headers['location']), { ca, method: 'POST', json: job });
    expect(created.status, created.text).to.be.within(200, 204);
    const jobs = JSON.parse((await httpsRequest(`${leader.ready.http}/v1/scheduler/jobs`, { ca })).text) as {
      name: string;
    }[];
    expect(jobs.map((j) => j.name)).to.deep.equal([job.name]);

    expect(
      (await refusal(httpsRequest(`${follower.ready.http}${path}`, { method: 'POST', json: job }))).message,
    ).to.match(/certificate/);
    await refusal(fetch(`${follower.ready.http.replace(/^https:/, 'http:')}/v1/scheduler/jobs`));
  });
});
