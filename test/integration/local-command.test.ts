// `mesocosm local` as a real process: it prints the cluster's addresses and
// the example's summary, serves Marathon and Chronos beside the cluster (an
// app POSTed to Marathon runs on it), and stops cleanly on SIGTERM.
import { expect } from 'chai';
import type { MasterState } from '@mesocosm/master';
import { fetchJson, parseReadyLine, waitFor } from '@mesocosm/testing';
import { cliMain, startProcess, stopAllProcesses } from '../helpers/index.js';

describe('mesocosm local (process)', function () {
  this.timeout(90_000);
  after(() => stopAllProcesses());

  const freePorts = ['--port', '0', '--grpc_port', '0', '--marathon_port', '0', '--chronos_port', '0'];

  it('prints addresses and the example summary, serves Marathon and Chronos, then stops on SIGTERM', async () => {
    const local = startProcess(process.execPath, [cliMain, 'local', ...freePorts, '--tasks', '3']);
    const http = /master HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(await local.waitForLine(/master HTTP/))?.[1];
    const grpc = /master gRPC\s+(127\.0\.0\.1:\d+)/.exec(await local.waitForLine(/master gRPC/))?.[1];
    expect(http).to.be.a('string');
    expect(grpc).to.be.a('string');
    await local.waitForLine(/agent 2\s+http:\/\/127\.0\.0\.1:\d+\s+id \S+/);
    const marathon = /marathon\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(await local.waitForLine(/^ {2}marathon /))?.[1];
    const chronos = /chronos\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(await local.waitForLine(/^ {2}chronos /))?.[1];
    const ready = parseReadyLine(await local.waitForLine(/^\{"event":"ready"/));
    expect(ready).to.deep.include({ component: 'local', http, grpc, marathon, chronos });

    await local.waitForLine(/^batch-shell: 3 tasks, 3 finished, 0 not finished/, 60_000);
    await local.waitForLine(/example: batch-shell exited with status 0/);
    await local.waitForLine(/serving; press Ctrl-C to stop/);
    expect(local.lines.filter((l) => /^\s+batch-shell-\d+\s+TASK_FINISHED\s+agent=\S+$/.test(l))).to.have.length(3);

    // Still serving after the example: the state endpoint answers, with both agents.
    const state = await fetchJson<MasterState>(`${http}/master/state`);
    expect(state.slaves.filter((a) => a.active)).to.have.length(2);

    // Marathon and Chronos answer, and an app POSTed to Marathon runs on the cluster.
    expect((await (await fetch(`${marathon}/ping`)).text()).trim()).to.equal('pong');
    expect(await fetchJson<unknown[]>(`${chronos}/v1/scheduler/jobs`)).to.deep.equal([]);
    const app = { id: '/quickstart', cmd: 'sleep 600', instances: 2, cpus: 0.1, mem: 32 };
    const posted = await fetch(`${marathon}/v2/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(app),
    });
    expect(posted.status, await posted.text()).to.equal(201);
    await waitFor(
      async () =>
        (await fetchJson<{ app: { tasksRunning: number } }>(`${marathon}/v2/apps/quickstart`)).app.tasksRunning === 2,
      { timeoutMs: 30_000, message: 'the app runs' },
    );
    const withApp = await fetchJson<MasterState>(`${http}/master/state`);
    const fw = withApp.frameworks.find((f) => f.name === 'marathon');
    expect(fw?.tasks.filter((t) => t.state === 'TASK_RUNNING')).to.have.length(2);

    const exit = await local.kill('SIGTERM');
    expect(exit.code, exit.stderr).to.equal(0);
    expect(exit.signal).to.equal(null);
    expect(local.lines.at(-1)).to.equal('stopping');
    const after = await fetch(`${http}/master/state`).catch((e: unknown) => e);
    expect(after).to.be.instanceOf(Error);
  });

  it('--no-marathon --no-chronos leave them out', async () => {
    const local = startProcess(process.execPath, [
      cliMain,
      'local',
      ...freePorts,
      '--no-examples',
      '--no-marathon',
      '--no-chronos',
    ]);
    const ready = parseReadyLine(await local.waitForLine(/^\{"event":"ready"/));
    expect(ready).to.not.have.property('marathon');
    expect(ready).to.not.have.property('chronos');
    await local.waitForLine(/serving; press Ctrl-C to stop/);
    expect(local.lines.some((l) => /^ {2}(marathon|chronos) /.test(l))).to.equal(false);
    const exit = await local.kill('SIGTERM');
    expect(exit.code, exit.stderr).to.equal(0);
  });
});
