// RunBook: no second run of a non-concurrent job while one is active.
import { expect } from 'chai';
import { RunBook, type RunBookState } from '../../src/index.js';

const serial = { name: 'j', concurrent: false };
const parallel = { name: 'p', concurrent: true };

describe('RunBook', () => {
  it('starts a run when none is active', () => {
    const book = new RunBook();
    expect(book.request(serial, { runId: 'j@1', trigger: 'schedule' })).to.deep.equal({ action: 'start' });
    expect(book.activeRuns('j')).to.deep.equal(['j@1']);
  });

  it('skips a scheduled run while one is active (Chronos), and says why', () => {
    const book = new RunBook();
    book.request(serial, { runId: 'j@1', trigger: 'schedule' });
    const d = book.request(serial, { runId: 'j@2', trigger: 'schedule' });
    expect(d).to.deep.include({ action: 'skip', reason: 'previous-run-active' });
    expect(d.action === 'skip' && d.message).to.match(/j@1 is still active/);
    expect(book.finish('j', 'j@1')).to.equal(null);
    expect(book.request(serial, { runId: 'j@3', trigger: 'schedule' })).to.deep.equal({ action: 'start' });
  });

  it('lets a dependency or manual run wait for the active one, one at a time', () => {
    const book = new RunBook();
    book.request(serial, { runId: 'j@1', trigger: 'schedule' });
    expect(book.request(serial, { runId: 'j@2', trigger: 'dependency' })).to.deep.equal({
      action: 'wait',
      behind: 'j@1',
    });
    expect(book.request(serial, { runId: 'j@3', trigger: 'manual' })).to.deep.include({
      action: 'skip',
      reason: 'already-waiting',
    });
    expect(book.finish('j', 'j@1')).to.deep.equal({ runId: 'j@2', trigger: 'dependency' });
    expect(book.activeRuns('j')).to.deep.equal(['j@2']);
    expect(book.waitingRun('j')).to.equal(null);
  });

  it('starts every run of a concurrent job', () => {
    const book = new RunBook();
    for (const runId of ['p@1', 'p@2', 'p@3'])
      expect(book.request(parallel, { runId, trigger: 'schedule' })).to.deep.equal({ action: 'start' });
    expect(book.activeRuns('p')).to.have.length(3);
  });

  it('recognises a replayed request after failover, from persisted state', () => {
    const book = new RunBook();
    book.request(serial, { runId: 'j@1', trigger: 'schedule' });
    book.request(serial, { runId: 'j@2', trigger: 'manual' });
    const restored = new RunBook(JSON.parse(JSON.stringify(book.toJSON())) as RunBookState);
    expect(restored.request(serial, { runId: 'j@1', trigger: 'schedule' })).to.deep.equal({ action: 'duplicate' });
    expect(restored.request(serial, { runId: 'j@2', trigger: 'manual' })).to.deep.equal({ action: 'duplicate' });
    expect(restored.finish('j', 'j@1')).to.deep.equal({ runId: 'j@2', trigger: 'manual' });
  });
});
