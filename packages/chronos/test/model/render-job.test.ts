// renderJob: Chronos' GET jobs shape, and a listed job posts back unchanged.
import { expect } from 'chai';
import { nextRuns, parseJob, renderJob } from '../../src/index.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('renderJob', () => {
  const json = {
    name: 'etl',
    command: 'run.sh',
    arguments: ['-v'],
    shell: false,
    epsilon: 'PT15M',
    retries: 3,
    owner: 'ops@example.com',
    description: 'nightly',
    cpus: 0.5,
    mem: 256,
    disk: 512,
    concurrent: true,
    schedule: 'R10/2026-12-01T02:00:00.000+01:00/P1D',
    scheduleTimeZone: 'Europe/Berlin',
    environmentVariables: [{ name: 'A', value: '1' }],
    fetch: [{ uri: 'http://x/y.tgz', executable: false, extract: true, cache: true, output_file: 'y.tgz' }],
    constraints: [['rack', 'EQUALS', 'r1']],
    container: {
      type: 'DOCKER',
      image: 'busybox',
      network: 'BRIDGE',
      volumes: [],
      forcePullImage: false,
      parameters: [],
    },
    catchUp: 'runAll',
  };

  it("lists every field GET jobs shows, with stats and Chronos' constants", () => {
    const out = renderJob(parseJob(json, { now: NOW }), {
      stats: {
        successCount: 4,
        errorCount: 1,
        lastSuccess: '2026-12-02T01:00:05.000Z',
        lastError: '',
        errorsSinceLastSuccess: 0,
      },
    });
    expect(out).to.deep.include({
      name: 'etl',
      command: 'run.sh',
      shell: false,
      epsilon: 'PT15M',
      executor: '',
      retries: 3,
      async: false,
      successCount: 4,
      errorCount: 1,
      lastSuccess: '2026-12-02T01:00:05.000Z',
      softError: false,
      concurrent: true,
      schedule: 'R10/2026-12-01T02:00:00.000+01:00/P1D',
      scheduleTimeZone: 'Europe/Berlin',
      constraints: [['rack', 'EQUALS', 'r1']],
      catchUp: 'runAll',
    });
    expect(out['fetch']).to.deep.equal([
      { uri: 'http://x/y.tgz', executable: false, cache: true, extract: true, output_file: 'y.tgz' },
    ]);
    expect(out).to.not.have.property('parents');
  });

  it('round-trips: parsing the rendered job gives the same job', () => {
    const job = parseJob(json, { now: NOW });
    expect(parseJob(renderJob(job), { now: NOW + 999_999 })).to.deep.equal(job);
    const dependent = parseJob({ name: 'child', command: 'x', parents: ['etl', 'other'] }, { now: NOW });
    expect(parseJob(renderJob(dependent), { now: NOW })).to.deep.equal(dependent);
    const cron = parseJob(
      { name: 'c', command: 'x', cron: '0 3 * * 1-5', scheduleTimeZone: 'America/New_York' },
      { now: NOW },
    );
    expect(parseJob(renderJob(cron), { now: NOW })).to.deep.equal(cron);
    for (const schedule of ['R/2026-12-01T00:00:00Z/PT90M', 'R3/2026-12-01T00:00:00+05:30/P1M', 'R//PT1H']) {
      const job = parseJob({ name: 'u', command: 'x', schedule }, { now: NOW });
      expect(parseJob(renderJob(job), { now: NOW + 5 })).to.deep.equal(job);
    }
  });

  it('rewrites the schedule as runs are scheduled, like Chronos: R counts down, the start moves on', () => {
    const job = parseJob(json, { now: NOW });
    const [first, second, third] = nextRuns(job, 0, 3);
    expect(renderJob(job, { lastScheduled: null })['schedule']).to.equal('R10/2026-12-01T02:00:00.000+01:00/P1D');
    expect(renderJob(job, { lastScheduled: first as number })['schedule']).to.equal(
      'R9/2026-12-02T02:00:00.000+01:00/P1D',
    );
    expect(renderJob(job, { lastScheduled: second as number })['schedule']).to.equal(
      'R8/2026-12-03T02:00:00.000+01:00/P1D',
    );
    // The rewritten schedule, posted back, continues from the same run.
    const reposted = parseJob(renderJob(job, { lastScheduled: second as number }), { now: NOW });
    expect(nextRuns(reposted, 0, 1)).to.deep.equal([third]);
  });

  it('shows R0 once every run of an Rn schedule was scheduled', () => {
    const job = parseJob({ name: 'a', command: 'x', schedule: 'R2/2026-12-01T00:00:00Z/PT1H' }, { now: NOW });
    const runs = nextRuns(job, 0, 5);
    expect(runs).to.have.length(2);
    expect(renderJob(job, { lastScheduled: runs[1] as number })['schedule']).to.match(/^R0\//);
  });
});
