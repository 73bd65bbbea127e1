import { expect } from 'chai';
import { DaemonProcess } from '../src/daemon-process.js';
import { LocalClusterError } from '../src/errors.js';

// Small stand-in daemons written inline: what matters here is the process handling.
const daemon = (body: string): string[] => ['--input-type=module', '-e', body];

describe('DaemonProcess', () => {
  const started: DaemonProcess[] = [];
  after(async () => {
    await Promise.all(started.map((p) => p.kill('SIGKILL')));
  });

  it('resolves on the ready line, keeps later stdout, and stops on SIGTERM', async () => {
    const proc = await DaemonProcess.start(
      process.execPath,
      daemon(`
        process.on('SIGTERM', () => { console.error('bye'); process.exit(0); });
        console.log('starting');
        console.log(JSON.stringify({ event: 'ready', component: 'master', http: 'http://127.0.0.1:1', grpc: '127.0.0.1:2', id: 'm' }));
        console.log('after');
        setInterval(() => {}, 1000);
      `),
      { name: 'fake master' },
    );
    started.push(proc);
    expect(proc.ready).to.deep.include({ component: 'master', grpc: '127.0.0.1:2', id: 'm' });
    expect(proc.running).to.equal(true);
    const exit = await proc.kill('SIGTERM');
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(proc.stdoutLines).to.deep.equal(['starting', 'after']);
    expect(proc.running).to.equal(false);
  });

  it('kill -9 ends a process that ignores SIGTERM', async () => {
    const proc = await DaemonProcess.start(
      process.execPath,
      daemon(`
        process.on('SIGTERM', () => {});
        console.log(JSON.stringify({ event: 'ready', component: 'agent', http: 'http://x', agentId: 'a' }));
        setInterval(() => {}, 1000);
      `),
      { name: 'stubborn' },
    );
    started.push(proc);
    expect((await proc.kill('SIGKILL')).signal).to.equal('SIGKILL');
  });

  it('reports a process that dies before ready, with its stderr', async () => {
    const err = await DaemonProcess.start(process.execPath, daemon(`console.error('port taken'); process.exit(3);`), {
      name: 'agent 7',
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LocalClusterError);
    expect((err as Error).message).to.match(/agent 7 exited \(code 3\) before ready.*\n.*port taken/s);
  });

  it('gives up (and kills) after the ready timeout', async () => {
    const err = await DaemonProcess.start(process.execPath, daemon('setInterval(() => {}, 1000);'), {
      name: 'silent',
      readyTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect((err as Error).message).to.match(/silent printed no ready line within 300 ms/);
  });
});
