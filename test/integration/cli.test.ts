// The `mesocosm` command as a real process: help, bad flags, the ready line
// and a clean stop on SIGTERM.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterState } from '@mesocosm/master';
import { DaemonProcess, fetchJson } from '@mesocosm/testing';
import { cliMain, runProcess, stopAllProcesses } from '../helpers/index.js';

const node = process.execPath;

describe('mesocosm CLI (processes)', function () {
  this.timeout(30_000);
  const daemons: DaemonProcess[] = [];
  after(async () => {
    await Promise.all(daemons.map((d) => d.kill('SIGKILL')));
    await stopAllProcesses();
  });

  for (const [command, flags] of [
    ['master', ['--port', '--grpc_port', '--offer_timeout', '--weights']],
    ['agent', ['--master', '--work_dir', '--resources', '--attributes', '--isolation']],
    ['local', ['--agents', '--no-examples', '--grpc_port']],
  ] as const) {
    it(`${command} --help prints its flags and exits 0`, async () => {
      const r = await runProcess(node, [cliMain, command, '--help'], { timeoutMs: 15_000 });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include(`Usage: mesocosm ${command}`);
      for (const f of flags) expect(r.stdout).to.include(f);
    });
  }

  const bad: Array<[string[], RegExp]> = [
    [['master', '--offer_timeout', '30'], /option '--offer_timeout <duration>' argument '30' is invalid.*30secs/],
    [['master', '--port', '99999'], /--port.*0 to 65535/],
    [['master', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['agent', '--master', '127.0.0.1:5060'], /required option '--work_dir <dir>' not specified/],
    [['agent', '--work_dir', '/tmp/x', '--master', 'zk://'], /zk:\/\//],
    [['teleport'], /unknown command 'teleport'/],
  ];
  for (const [argv, message] of bad) {
    it(`\`mesocosm ${argv.join(' ')}\` exits 2 with a clear message`, async () => {
      const r = await runProcess(node, [cliMain, ...argv], { timeoutMs: 15_000 });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stdout).to.equal('');
    });
  }

  it('master prints one ready line on stdout, serves, and stops cleanly on SIGTERM', async () => {
    const master = await DaemonProcess.start(
      node,
      [cliMain, 'master', '--port', '0', '--grpc_port', '0', '--ip', '127.0.0.1'],
      { name: 'master' },
    );
    daemons.push(master);
    expect(master.ready.component).to.equal('master');
    expect(master.ready.http).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(master.ready.grpc).to.match(/^127\.0\.0\.1:\d+$/);
    expect(master.ready.id).to.be.a('string').and.not.equal('');
    const health = await fetch(`${master.ready.http}/health`);
    expect(health.status).to.equal(200);
    await fetchJson(`${master.ready.http}/master/state`);
    const exit = await master.kill('SIGTERM');
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(master.stdoutLines).to.deep.equal([]);
  });

  it('agent prints its ready line once registered (with its agent ID) and stops cleanly on SIGINT', async () => {
    const master = await DaemonProcess.start(
      node,
      [cliMain, 'master', '--port', '0', '--grpc_port', '0', '--ip', '127.0.0.1'],
      { name: 'master' },
    );
    daemons.push(master);
    const workDir = await mkdtemp(join(tmpdir(), 'mesocosm-cli-agent-'));
    try {
      const agent = await DaemonProcess.start(
        node,
        [
          cliMain,
          'agent',
          '--master',
          master.ready.grpc ?? '',
          '--work_dir',
          workDir,
          '--ip',
          '127.0.0.1',
          '--port',
          '0',
        ],
        { name: 'agent' },
      );
      daemons.push(agent);
      expect(agent.ready.component).to.equal('agent');
      expect(agent.ready.agentId).to.be.a('string').and.not.equal('');
      const state = await fetchJson<MasterState>(`${master.ready.http}/master/state`);
      expect(state.slaves.map((a) => a.id)).to.deep.equal([agent.ready.agentId]);
      expect(await agent.kill('SIGINT')).to.deep.equal({ code: 0, signal: null });
      expect(await master.kill('SIGINT')).to.deep.equal({ code: 0, signal: null });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
