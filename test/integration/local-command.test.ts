// `mesocosm local` as a real process: it prints the cluster's addresses and
// the example's summary, serves, and stops cleanly on SIGTERM.
import { expect } from 'chai';
import type { MasterState } from '@mesocosm/master';
import { fetchJson, parseReadyLine } from '@mesocosm/testing';
import { cliMain, startProcess, stopAllProcesses } from '../helpers/index.js';

describe('mesocosm local (process)', function () {
  this.timeout(90_000);
  after(() => stopAllProcesses());

  it('prints addresses and the example summary, serves, then stops on SIGTERM', async () => {
    const local = startProcess(process.execPath, [cliMain, 'local', '--port', '0', '--grpc_port', '0', '--tasks', '3']);
    const http = /master HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(await local.waitForLine(/master HTTP/))?.[1];
    const grpc = /master gRPC\s+(127\.0\.0\.1:\d+)/.exec(await local.waitForLine(/master gRPC/))?.[1];
    expect(http).to.be.a('string');
    expect(grpc).to.be.a('string');
    await local.waitForLine(/agent 2\s+http:\/\/127\.0\.0\.1:\d+\s+id \S+/);
    const ready = parseReadyLine(await local.waitForLine(/^\{"event":"ready"/));
    expect(ready).to.deep.include({ component: 'local', http, grpc });

    await local.waitForLine(/^batch-shell: 3 tasks, 3 finished, 0 not finished/, 60_000);
    await local.waitForLine(/example: batch-shell exited with status 0/);
    await local.waitForLine(/serving; press Ctrl-C to stop/);
    expect(local.lines.filter((l) => /^\s+batch-shell-\d+\s+TASK_FINISHED\s+agent=\S+$/.test(l))).to.have.length(3);

    // Still serving after the example: the state endpoint answers, with both agents.
    const state = await fetchJson<MasterState>(`${http}/master/state`);
    expect(state.slaves.filter((a) => a.active)).to.have.length(2);

    const exit = await local.kill('SIGTERM');
    expect(exit.code, exit.stderr).to.equal(0);
    expect(exit.signal).to.equal(null);
    expect(local.lines.at(-1)).to.equal('stopping');
    const after = await fetch(`${http}/master/state`).catch((e: unknown) => e);
    expect(after).to.be.instanceOf(Error);
  });
});
