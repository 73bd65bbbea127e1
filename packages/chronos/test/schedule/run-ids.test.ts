// Run and task IDs: deterministic, legal Mesos task IDs, and parsed back.
import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from '@mesocosm/framework-sdk';
import { parseRunId, parseTaskId, runIdFor, taskIdFor } from '../../src/index.js';

const nameArb = fc.stringMatching(/^[\w.-]{1,200}$/);
const timeArb = fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) });

describe('run and task IDs', () => {
  it("follows Chronos' task ID format ct:<millis>:<attempt>:<job>", () => {
    const runId = runIdFor('backup', Date.UTC(2026, 11, 1));
    expect(runId).to.equal('backup@1796083200000');
    expect(taskIdFor(runId, 0)).to.equal('ct:1796083200000:0:backup');
    expect(taskIdFor(runId, 2)).to.equal('ct:1796083200000:2:backup');
  });

  it('round-trips for any job name, time and attempt, and is a legal Mesos task ID', () => {
    fc.assert(
      fc.property(nameArb, timeArb, fc.integer({ min: 0, max: 1000 }), (job, t, attempt) => {
        const runId = runIdFor(job, t);
        expect(runIdFor(job, t)).to.equal(runId);
        expect(parseRunId(runId)).to.deep.equal({ runId, job, scheduledTime: t });
        const taskId = taskIdFor(runId, attempt);
        expect(parseTaskId(taskId)).to.deep.equal({ taskId, runId, job, scheduledTime: t, attempt });
        expect(taskId.length).to.be.at.most(255);
        // eslint-disable-next-line no-control-regex
        expect(taskId).to.not.match(/[/\\\s\u0000-\u001f\u007f]/);
      }),
    );
  });

  it("reads Chronos' own task IDs, with their arguments suffix", () => {
    expect(parseTaskId('ct:1428515194358:0:NewJob:')).to.deep.include({
      job: 'NewJob',
      scheduledTime: 1428515194358,
      attempt: 0,
    });
    expect(parseTaskId('ct:1428515194358:1:NewJob:-debug -v')).to.deep.include({
      runId: 'NewJob@1428515194358',
      attempt: 1,
    });
  });

  it("returns null for IDs that are not Chronos' (other frameworks' tasks)", () => {
    for (const id of ['', 'hello-1', 'ct:abc:0:job', 'ct:1:0:', 'ct:01:0:job', 'ct:1:x:job', 'ct:1:0:bad name']) {
      expect(parseTaskId(id), id).to.equal(null);
    }
    for (const id of ['', 'job', 'job@', 'job@-1', 'job@01', 'a b@1']) expect(parseRunId(id), id).to.equal(null);
  });

  it('refuses invalid names, times and attempts', () => {
    expect(() => runIdFor('a b', 1)).to.throw(ValidationError, /job name/);
    expect(() => runIdFor('a', -1)).to.throw(ValidationError, /milliseconds/);
    expect(() => runIdFor('a', 1.5)).to.throw(ValidationError);
    expect(() => taskIdFor('nope', 0)).to.throw(ValidationError, /run ID/);
    expect(() => taskIdFor('a@1', -1)).to.throw(ValidationError, /attempt/);
  });
});
