// Helpers of the network fault tests: the skip-or-fail rule for network
// namespaces, a TCP echo server, and TCP probes run inside a host.
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { NetworkHosts, type NetworkHost } from '../../src/index.js';

/** The repository's rule: skip (saying why) when network hosts cannot be made here, fail when CI=true. */
export async function requireNetworkHosts(ctx: Mocha.Context): Promise<void> {
  const availability = await NetworkHosts.available();
  if (availability.ok) return;
  if (process.env['CI'] === 'true') throw new Error(`network hosts are required in CI: ${availability.reason}`);
  console.log(`      skipped: ${availability.reason}`);
  ctx.skip();
}

/** A TCP echo server in this process; `sockets` are its accepted connections. */
export async function echoServer(host = '127.0.0.1'): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.pipe(s);
  });
  server.listen(0, host);
  await once(server, 'listening');
  const a = server.address();
  return { server, port: typeof a === 'object' && a ? a.port : 0, sockets };
}

/** Starts a TCP echo server on 0.0.0.0:`port` inside `host`; resolves once it listens. */
export async function echoServerIn(host: NetworkHost, port: number): Promise<void> {
  const script = `require('net').createServer((s) => s.pipe(s)).listen(${port}, '0.0.0.0', () => console.log('listening'))`;
  const child = host.spawn([process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!line.toString().includes('listening'))
    throw new Error(`the echo server in ${host.name} said ${line.toString()}`);
}

/**
 * From inside `from`, connects to `ip:port` with a connect timeout, sends
 * `hi` and resolves with `echo hi`, `timeout`, or the socket error's code.
 */
export async function probe(from: NetworkHost, ip: string, port: number, timeoutMs = 2_000): Promise<string> {
  const script = [
    `const s = require('net').connect(${port}, '${ip}');`,
    `const t = setTimeout(() => { console.log('timeout'); process.exit(0); }, ${timeoutMs});`,
    `s.on('connect', () => { clearTimeout(t); s.write('hi'); });`,
    `s.on('data', (d) => { console.log('echo ' + d); process.exit(0); });`,
    `s.on('error', (e) => { console.log(e.code); process.exit(0); });`,
  ].join(' ');
  const r = await from.exec([process.execPath, '-e', script]);
  return r.stdout.trim() || `exit ${r.code}: ${r.stderr.trim()}`;
}
