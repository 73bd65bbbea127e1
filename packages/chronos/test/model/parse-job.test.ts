// parseJob: Chronos job JSON as users write it, Chronos' defaults, and a 400
// that names every problem.
import { expect } from 'chai';
import { JobValidationError, parseJob, CHRONOS_DEFAULTS, type JobDefinition } from '../../src/index.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

function problemsOf(json: unknown): { field: string; message: string }[] {
  try {
    parseJob(json, { now: NOW });
  } catch (err) {
    expect(err).to.be.instanceOf(JobValidationError);
    const e = err as JobValidationError;
    expect(e.status).to.equal(400);
    expect(e.body().errors).to.deep.equal(e.problems);
    return [...e.problems];
  }
  throw new Error('expected a JobValidationError');
}

describe('parseJob', () => {
  it("applies Chronos' defaults to a minimal scheduled job", () => {
    const job = parseJob({ name: 'hello', command: 'echo hi', schedule: 'R/2026-12-01T00:00:00Z/PT1H' }, { now: NOW });
    expect(job).to.deep.include({
      name: 'hello',
      command: 'echo hi',
      shell: true,
      arguments: [],
      epsilon: 'PT60S',
      epsilonMs: 60_000,
      catchUp: 'epsilon',
      retries: 2,
      async: false,
      disabled: false,
      concurrent: false,
      cpus: 0.1,
      mem: 128,
      disk: 256,
      container: null,
      owner: '',
      runAsUser: '',
    });
    expect(job.trigger.kind).to.equal('iso8601');
  });

  it("accepts the sample job of Chronos' API documentation", () => {
    const job = parseJob(
      {
        name: 'camus_kafka2hdfs',
        command: '/srv/data-infra/kafka/camus/kafka_hdfs_job.bash',
        arguments: ['-verbose', '-debug'],
        shell: false,
        epsilon: 'PT30M',
        executor: '',
        executorFlags: '',
        retries: 2,
        owner: 'bofh@your-company.com',
        async: false,
        successCount: 190,
        errorCount: 3,
        lastSuccess: '2014-03-08T16:57:17.507Z',
        lastError: '2014-03-01T00:10:15.957Z',
        cpus: 1.0,
        disk: 10240,
        mem: 1024,
        disabled: false,
        fetch: [{ uri: 'https://url-to-file', cache: false, extract: false, executable: false }],
        schedule: 'R/2014-03-08T20:00:00.000Z/PT2H',
        environmentVariables: [
          { name: 'JVMOPTS', value: '-Xmx1000m' },
          { name: 'JAVA_LIBRARY_PATH', value: '/usr/local/lib' },
        ],
      },
      { now: NOW },
    );
    expect(job.shell).to.equal(false);
    expect(job.arguments).to.deep.equal(['-verbose', '-debug']);
    expect(job.epsilonMs).to.equal(30 * 60_000);
    expect([job.cpus, job.mem, job.disk]).to.deep.equal([1, 1024, 10240]);
    expect(job.fetch).to.deep.equal([{ uri: 'https://url-to-file', cache: false, extract: false, executable: false }]);
    expect(job.environmentVariables).to.have.length(2);
  });

  it('accepts a Docker job with string resources, as the Chronos docs write them', () => {
    const job = parseJob(
      {
        schedule: 'R/2014-09-25T17:22:00Z/PT2M',
        name: 'dockerjob',
        container: {
          type: 'DOCKER',
          image: 'libmesos/ubuntu',
          network: 'BRIDGE',
          volumes: [{ containerPath: '/var/log/', hostPath: '/logs/', mode: 'RW' }],
          forcePullImage: true,
          parameters: [{ key: 'a-docker-option', value: 'xxx' }],
        },
        cpus: '0.5',
        mem: '512',
        fetch: [],
        command: 'while sleep 10; do date =u %T; done',
      },
      { now: NOW },
    );
    expect(job.cpus).to.equal(0.5);
    expect(job.mem).to.equal(512);
    expect(job.container).to.deep.equal({
      type: 'DOCKER',
      image: 'libmesos/ubuntu',
      network: 'BRIDGE',
      forcePullImage: true,
      volumes: [{ containerPath: '/var/log/', hostPath: '/logs/', mode: 'RW' }],
      parameters: [{ key: 'a-docker-option', value: 'xxx' }],
    });
  });

  it('accepts a dependent job (parents, no schedule)', () => {
    const job = parseJob(
      {
        async: true,
        command: 'bash -x hive_query.bash',
        epsilon: 'PT30M',
        name: 'hostings_earnings_summary',
        owner: 'bob@airbnb.com',
        parents: ['db_export-airbed_hostings', 'db_export-airbed_reservation2s'],
        retries: 2,
      },
      { now: NOW },
    );
    expect(job.trigger).to.deep.equal({
      kind: 'dependency',
      parents: ['db_export-airbed_hostings', 'db_export-airbed_reservation2s'],
    });
    expect(job.async).to.equal(true);
  });

  it("accepts a cron job with a time zone (Metronome's form), UTC by default", () => {
    const berlin = parseJob(
      { name: 'c', command: 'x', cron: '0 2 * * *', scheduleTimeZone: 'Europe/Berlin' },
      { now: NOW },
    );
    expect(berlin.trigger).to.deep.equal({
      kind: 'cron',
      expression: '0 2 * * *',
      timeZone: 'Europe/Berlin',
      since: NOW,
    });
    const metronome = parseJob({ name: 'c', command: 'x', cron: '@daily', timezone: 'America/New_York' }, { now: NOW });
    expect(metronome.trigger).to.deep.include({ timeZone: 'America/New_York' });
    const utc = parseJob({ name: 'c', command: 'x', cron: '*/5 * * * *' }, { now: NOW });
    expect(utc.trigger).to.deep.include({ timeZone: 'UTC' });
  });

  it('takes operator defaults over Chronos ones', () => {
    const job = parseJob(
      { name: 'a', command: 'x', schedule: 'R//PT1H' },
      { now: NOW, defaults: { cpus: 0.5, epsilon: 'PT5M', retries: 0, catchUp: 'runOnce' } },
    );
    expect([job.cpus, job.mem, job.epsilonMs, job.retries, job.catchUp]).to.deep.equal([
      0.5,
      CHRONOS_DEFAULTS.mem,
      300_000,
      0,
      'runOnce',
    ]);
  });

  it('reads 0 for cpus, mem and disk as "the default", as Chronos does', () => {
    const job = parseJob({ name: 'a', command: 'x', schedule: 'R//PT1H', cpus: 0, mem: 0, disk: 0 }, { now: NOW });
    expect([job.cpus, job.mem, job.disk]).to.deep.equal([0.1, 128, 256]);
  });

  it('reads each catch-up policy', () => {
    for (const catchUp of ['epsilon', 'runOnce', 'runAll'] as const) {
      const job: JobDefinition = parseJob({ name: 'a', command: 'x', schedule: 'R//PT1H', catchUp }, { now: NOW });
      expect(job.catchUp).to.equal(catchUp);
    }
  });

  it('reads constraints as [attribute, operator, value]', () => {
    const job = parseJob(
      {
        name: 'a',
        command: 'x',
        schedule: 'R//PT1H',
        constraints: [
          ['rack', 'EQUALS', 'rack-1'],
          ['host', 'like', 'web-[0-9]+'],
        ],
      },
      { now: NOW },
    );
    expect(job.constraints).to.deep.equal([
      { attribute: 'rack', operator: 'EQUALS', value: 'rack-1' },
      { attribute: 'host', operator: 'LIKE', value: 'web-[0-9]+' },
    ]);
  });

  describe('refuses with a 400 naming the problem', () => {
    const base = { name: 'job1', command: 'echo', schedule: 'R/2026-12-01T00:00:00Z/PT1H' };
    const cases: { what: string; json: unknown; field: string; says: RegExp }[] = [
      { what: 'a body that is not an object', json: [1], field: 'job', says: /JSON object/ },
      { what: 'a missing name', json: { ...base, name: undefined }, field: 'name', says: /required/ },
      { what: 'a name with spaces', json: { ...base, name: 'my job' }, field: 'name', says: /letters, digits/ },
      { what: 'a name with a colon', json: { ...base, name: 'a:b' }, field: 'name', says: /letters, digits/ },
      { what: 'a missing command', json: { ...base, command: undefined }, field: 'command', says: /required/ },
      {
        what: 'no schedule, cron or parents',
        json: { name: 'a', command: 'x' },
        field: 'schedule',
        says: /needs one of/,
      },
      {
        what: 'both schedule and parents',
        json: { ...base, parents: ['p'] },
        field: 'schedule+parents',
        says: /exactly one/,
      },
      {
        what: 'both schedule and cron',
        json: { ...base, cron: '* * * * *' },
        field: 'schedule+cron',
        says: /exactly one/,
      },
      {
        what: 'a schedule without R',
        json: { ...base, schedule: '2026-12-01T00:00:00Z/PT1H' },
        field: 'schedule',
        says: /R\[n\]/,
      },
      { what: 'a zero period', json: { ...base, schedule: 'R//PT0S' }, field: 'schedule', says: /zero/ },
      { what: 'a negative period', json: { ...base, schedule: 'R//-PT1H' }, field: 'schedule', says: /negative/ },
      {
        what: 'a period without T before hours',
        json: { ...base, schedule: 'R//P1H' },
        field: 'schedule',
        says: /ISO 8601 duration/,
      },
      {
        what: 'an unreadable start',
        json: { ...base, schedule: 'R/2026-13-45T00:00:00Z/PT1H' },
        field: 'schedule',
        says: /start/,
      },
      {
        what: 'an unknown time zone',
        json: { ...base, scheduleTimeZone: 'Mars/Olympus' },
        field: 'scheduleTimeZone',
        says: /tz database/,
      },
      {
        what: 'a bad cron',
        json: { name: 'a', command: 'x', cron: '61 * * * *' },
        field: 'cron',
        says: /not a valid cron/,
      },
      {
        what: 'a cron with 3 fields',
        json: { name: 'a', command: 'x', cron: '* * *' },
        field: 'cron',
        says: /3 fields/,
      },
      { what: 'a negative epsilon', json: { ...base, epsilon: '-PT1M' }, field: 'epsilon', says: /negative/ },
      { what: 'an epsilon in months', json: { ...base, epsilon: 'P1M' }, field: 'epsilon', says: /months/ },
      { what: 'negative cpus', json: { ...base, cpus: -1 }, field: 'cpus', says: /0 or more/ },
      { what: 'mem as words', json: { ...base, mem: 'lots' }, field: 'mem', says: /number/ },
      { what: 'fractional retries', json: { ...base, retries: 1.5 }, field: 'retries', says: /whole/ },
      { what: 'shell as a number', json: { ...base, shell: 1 }, field: 'shell', says: /true or false/ },
      {
        what: 'an unknown catch-up policy',
        json: { ...base, catchUp: 'sometimes' },
        field: 'catchUp',
        says: /epsilon, runOnce, runAll/,
      },
      {
        what: 'a job that is its own parent',
        json: { name: 'a', command: 'x', parents: ['a'] },
        field: 'parents[0]',
        says: /a -> a/,
      },
      {
        what: 'an empty parents list',
        json: { name: 'a', command: 'x', parents: [] },
        field: 'parents',
        says: /at least one/,
      },
      {
        what: 'a zone on a dependent job',
        json: { name: 'a', command: 'x', parents: ['b'], scheduleTimeZone: 'UTC' },
        field: 'scheduleTimeZone',
        says: /dependent/,
      },
      {
        what: 'a container without image',
        json: { ...base, container: { type: 'DOCKER' } },
        field: 'container.image',
        says: /required/,
      },
      {
        what: 'an unknown container type',
        json: { ...base, container: { type: 'LXC', image: 'x' } },
        field: 'container.type',
        says: /DOCKER, MESOS/,
      },
      {
        what: 'a bad constraint operator',
        json: { ...base, constraints: [['a', 'NEAR', 'b']] },
        field: 'constraints[0]',
        says: /EQUALS, LIKE, UNLIKE/,
      },
      {
        what: 'a bad LIKE pattern',
        json: { ...base, constraints: [['a', 'LIKE', '(']] },
        field: 'constraints[0]',
        says: /regular expression/,
      },
      {
        what: 'uris and fetch together',
        json: { ...base, uris: ['http://a'], fetch: [{ uri: 'http://b' }] },
        field: 'uris',
        says: /not both/,
      },
      {
        what: 'an environment variable without name',
        json: { ...base, environmentVariables: [{ value: 'v' }] },
        field: 'environmentVariables[0].name',
        says: /required/,
      },
      {
        what: 'contradicting time zones',
        json: { ...base, scheduleTimeZone: 'UTC', timezone: 'Europe/Berlin' },
        field: 'timezone',
        says: /contradicts/,
      },
    ];
    for (const c of cases) {
      it(c.what, () => {
        const problems = problemsOf(c.json);
        const hit = problems.find((p) => p.field === c.field);
        expect(hit, JSON.stringify(problems)).to.not.equal(undefined);
        expect(hit?.message).to.match(c.says);
      });
    }
  });

  it('names every problem at once, and the job when its name is readable', () => {
    try {
      parseJob({ name: 'nightly', command: 'x', schedule: 'R//PT0S', cpus: -2, retries: 'x' }, { now: NOW });
      expect.fail('expected a JobValidationError');
    } catch (err) {
      const e = err as JobValidationError;
      expect(e.problems.map((p) => p.field)).to.deep.equal(['schedule', 'retries', 'cpus']);
      expect(e.job).to.equal('nightly');
      expect(e.message).to.match(/^job: 'nightly' is invalid \(3 problems\): schedule: /);
      expect(e.code).to.equal('INVALID_ARGUMENT');
    }
  });
});
