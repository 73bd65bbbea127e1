import { expect } from 'chai';
import { WaitTimeoutError } from '../src/errors.js';
import { parseReadyLine } from '../src/ready-line.js';
import { waitFor } from '../src/wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value the predicate returns', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : false), { intervalMs: 1 });
    expect(value).to.deep.equal({ calls: 3 });
  });

  it('treats a throwing predicate as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        if (++calls < 3) throw new Error('not up');
        return 'up';
      },
      { intervalMs: 1 },
    );
    expect(value).to.equal('up');
  });

  it('accepts 0 and empty strings as values (only false/null/undefined mean "not yet")', async () => {
    expect(await waitFor(() => 0)).to.equal(0);
    expect(await waitFor(() => '')).to.equal('');
  });

  it('times out with the message and the last error', async () => {
    const started = Date.now();
    const err = await waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 60, intervalMs: 10, message: 'the master' },
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect((err as Error).message).to.match(/timed out after 60 ms waiting for the master.*connection refused/);
    expect(Date.now() - started).to.be.at.least(55);
  });
});

describe('parseReadyLine', () => {
  it('reads the contract line', () => {
    const line =
      '{"event":"ready","component":"master","http":"http://127.0.0.1:5050","grpc":"127.0.0.1:5060","id":"m1"}';
    expect(parseReadyLine(line)).to.deep.equal({
      event: 'ready',
      component: 'master',
      http: 'http://127.0.0.1:5050',
      grpc: '127.0.0.1:5060',
      id: 'm1',
    });
  });

  it('ignores other lines', () => {
    expect(parseReadyLine('hello')).to.equal(undefined);
    expect(parseReadyLine('{"event":"stopped","component":"x","http":"y"}')).to.equal(undefined);
    expect(parseReadyLine('{"event":"ready"}')).to.equal(undefined);
    expect(parseReadyLine('{not json')).to.equal(undefined);
  });
});
