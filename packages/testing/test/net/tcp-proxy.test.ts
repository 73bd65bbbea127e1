import { expect } from 'chai';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { TcpProxy, ProxyError, waitFor } from '../../src/index.js';
import { echoServer } from './net-helpers.js';

/** A client connection that records what it receives and how it ended. */
async function client(address: string): Promise<{ socket: Socket; received: () => string; error: () => string }> {
  const [host = '', port = ''] = address.split(':');
  const socket = connect(Number(port), host);
  let data = '';
  let error = '';
  socket.on('data', (d: Buffer) => (data += d.toString()));
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  await once(socket, 'connect');
  return { socket, received: () => data, error: () => error };
}

describe('TcpProxy', function () {
  this.timeout(30_000);
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function setup(): Promise<{ proxy: TcpProxy; echo: Awaited<ReturnType<typeof echoServer>> }> {
    const echo = await echoServer();
    const proxy = await TcpProxy.start({ target: `127.0.0.1:${echo.port}` });
    cleanups.push(
      () => proxy.close(),
      () => new Promise((r) => echo.server.close(r)),
      () => echo.sockets.forEach((s) => s.destroy()),
    );
    return { proxy, echo };
  }

  it('forwards both ways and counts the bytes', async () => {
    const { proxy } = await setup();
    expect(proxy.address).to.equal(`127.0.0.1:${proxy.port}`);
    const c = await client(proxy.address);
    c.socket.write('hello');
    await waitFor(() => c.received() === 'hello', { message: 'the echo through the proxy' });
    expect(proxy.stats()).to.deep.equal({ toTarget: 5, toClient: 5, dropped: 0, accepted: 1, open: 1 });
    c.socket.end();
    await waitFor(() => proxy.stats().open === 0, { message: 'the connection closed' });
  });

  it('blackhole() passes nothing and drops (not buffers) what is sent; restore() forwards again', async () => {
    const { proxy, echo } = await setup();
    const c = await client(proxy.address);
    c.socket.write('a');
    await waitFor(() => c.received() === 'a', { message: 'the first echo' });

    proxy.blackhole();
    expect(proxy.blackholed).to.equal(true);
    c.socket.write('lost');
    await waitFor(() => proxy.stats().dropped === 4, { message: 'the proxy to read and drop 4 bytes' });
    // New connections are accepted and held, and the target never hears of them.
    const held = await client(proxy.address);
    held.socket.write('held');
    await waitFor(() => proxy.stats().dropped === 8, { message: 'the held connection to be read and dropped' });
    expect(echo.sockets).to.have.length(1);
    expect(c.received()).to.equal('a');
    expect(c.error() + held.error()).to.equal(''); // nothing closed or reset

    proxy.restore();
    c.socket.write('b');
    held.socket.write('c');
    await waitFor(() => c.received() === 'ab' && held.received() === 'c', { message: 'echoes after restore' });
    expect(echo.sockets).to.have.length(2); // the held connection dialled the target on restore
    expect(proxy.stats()).to.include({ toTarget: 3, toClient: 3, dropped: 8, accepted: 2, open: 2 });
  });

  it('cut() resets every connection on both sides and keeps accepting new ones', async () => {
    const { proxy, echo } = await setup();
    const c = await client(proxy.address);
    c.socket.write('x');
    await waitFor(() => c.received() === 'x', { message: 'the echo' });
    const targetSide = echo.sockets[0]!;
    const targetError = new Promise<string>((resolve) =>
      targetSide.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')),
    );
    proxy.cut();
    await waitFor(() => c.error() === 'ECONNRESET', { message: 'the client reset' });
    expect(await targetError).to.equal('ECONNRESET');
    expect(proxy.stats().open).to.equal(0);

    const again = await client(proxy.address);
    again.socket.write('y');
    await waitFor(() => again.received() === 'y', { message: 'a new connection after the cut' });
    again.socket.destroy();
  });

  it('refuses a target that is not host:port', async () => {
    const err = await TcpProxy.start({ target: 'nowhere' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProxyError);
    expect(String(err)).to.match(/proxy target 'nowhere' is not host:port/);
  });
});
