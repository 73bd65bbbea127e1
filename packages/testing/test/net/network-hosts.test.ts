import { expect } from 'chai';
import { once } from 'node:events';
import { connect } from 'node:net';
import { execFileSync } from 'node:child_process';
import { NetworkHosts, NetworkHostsError, waitFor } from '../../src/index.js';
import { echoServer, echoServerIn, probe, requireNetworkHosts } from './net-helpers.js';

const netnsList = (): string => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
const links = (): string => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });

describe('NetworkHosts', function () {
  this.timeout(60_000);
  let hosts: NetworkHosts | undefined;
  beforeEach(async function () {
    await requireNetworkHosts(this);
  });
  afterEach(async () => {
    await hosts?.cleanup();
    hosts = undefined;
  });

  it('makes hosts that reach each other, the root namespace and are reached from it, by IP', async () => {
    hosts = await NetworkHosts.create();
    const a = await hosts.add('a');
    const b = await hosts.add('b');
    expect(hosts.subnet).to.match(/^10\.213\.\d+\.0\/24$/);
    const base = hosts.subnet.replace('.0/24', '');
    expect([hosts.gateway.ip, a.ip, b.ip]).to.deep.equal([`${base}.1`, `${base}.2`, `${base}.3`]);
    expect(a.netns).to.equal(`mc-${hosts.prefix}-a`);
    expect(netnsList()).to.include(a.netns).and.include(b.netns);

    await echoServerIn(a, 7000);
    expect(await probe(b, a.ip, 7000)).to.equal('echo hi');
    // Each host has its own loopback: a's server is not on b's 127.0.0.1.
    expect(await probe(b, '127.0.0.1', 7000)).to.equal('ECONNREFUSED');

    // The root namespace reaches a host through the bridge...
    const socket = connect(7000, a.ip);
    await once(socket, 'connect');
    socket.destroy();
    // ...and a server of the root namespace on the gateway address serves the hosts.
    const echo = await echoServer(hosts.gateway.ip);
    try {
      expect(await probe(b, hosts.gateway.ip, echo.port)).to.equal('echo hi');
    } finally {
      echo.server.close();
    }
  });

  it('cut() partitions a host (connects time out, open connections stall); heal() restores', async () => {
    hosts = await NetworkHosts.create();
    const a = await hosts.add('a');
    const b = await hosts.add('b');
    await echoServerIn(a, 7001);
    expect(await probe(b, a.ip, 7001)).to.equal('echo hi');

    // An open connection from the root namespace, to see it survive the partition.
    const open = connect(7001, a.ip);
    await once(open, 'connect');
    const received: string[] = [];
    open.on('data', (d: Buffer) => received.push(d.toString()));
    open.on('error', () => undefined);

    await a.cut();
    expect(a.isCut).to.equal(true);
    open.write('during');
    expect(await probe(b, a.ip, 7001, 2_000)).to.equal('timeout');
    expect(received).to.deep.equal([]); // two seconds later, the echo has not come back

    await a.heal();
    expect(a.isCut).to.equal(false);
    expect(await probe(b, a.ip, 7001)).to.equal('echo hi');
    // No reset: TCP retransmits what was sent during the cut, and the echo arrives.
    await waitFor(() => received.join('') === 'during', { timeoutMs: 20_000, message: 'the echo after heal' });
    open.destroy();
  });

  it('cleanup() removes every namespace and link it made, and is idempotent', async () => {
    const made = await NetworkHosts.create();
    const a = await made.add('a');
    await made.add('b');
    await echoServerIn(a, 7002); // a process left in a namespace does not keep it
    expect(links()).to.include(made.bridge).and.include(a.veth);
    await made.cleanup();
    await made.cleanup();
    expect(netnsList()).to.not.include(`mc-${made.prefix}-`);
    expect(links()).to.not.include(made.bridge).and.not.include(a.veth);
    const err = await made.add('c').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(NetworkHostsError);
  });

  it('create() removes what a crashed run with the same prefix left', async () => {
    const prefix = `t${process.pid}`;
    const crashed = await NetworkHosts.create({ prefix });
    const old = await crashed.add('a');
    // No cleanup: as if the process had died. The next run with the prefix sweeps.
    hosts = await NetworkHosts.create({ prefix });
    expect(netnsList()).to.not.include(old.netns);
    expect(links()).to.not.include(old.veth);
    const again = await hosts.add('a');
    expect(again.netns).to.equal(old.netns);
    expect(netnsList()).to.include(again.netns);
    await crashed.cleanup(); // sweeps the same prefix: the new run's too
    expect(netnsList()).to.not.include(again.netns);
  });

  it('refuses bad names, duplicate hosts and unknown hosts with errors that say so', async () => {
    await NetworkHosts.create({ prefix: 'Bad-Prefix' }).then(
      () => expect.fail('created'),
      (e: unknown) => expect(String(e)).to.match(/prefix 'Bad-Prefix' must be 1-16 lowercase/),
    );
    hosts = await NetworkHosts.create();
    await hosts.add('a');
    expect(String(await hosts.add('a').catch((e: unknown) => e))).to.match(/host 'a' already exists/);
    expect(String(await hosts.add('A_b').catch((e: unknown) => e))).to.match(/host name 'A_b' must be/);
    expect(() => hosts?.host('zz')).to.throw(/there is no host 'zz' \(hosts: a\)/);
  });
});
