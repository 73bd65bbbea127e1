import { expect } from 'chai';
import { chronosStartOptions } from '../src/commands/chronos.js';
import { describeFrameworks } from '../src/commands/local-frameworks.js';
import { marathonStartOptions } from '../src/commands/marathon.js';
import type { ChronosFlags, MarathonFlags } from '../src/framework-commands.js';
import { parseDurationOr, parsePositive, parseZkHosts } from '../src/flags.js';
import type { CommandHandlers } from '../src/program.js';
import { runCli } from '../src/run-cli.js';

/** Runs the CLI with handlers that record the flags instead of starting anything. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string; flags: unknown[] }> {
  let out = '';
  let err = '';
  const flags: unknown[] = [];
  const record = async (f: unknown): Promise<void> => void flags.push(f);
  const handlers: CommandHandlers = { master: record, agent: record, local: record, marathon: record, chronos: record };
  const code = await runCli(argv, handlers, { writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  return { code, out, err, flags };
}

describe('mesocosm marathon', () => {
  it("takes Marathon's flag names; durations in Mesos syntax or Marathon's bare units", async () => {
    const r = await run([
      'marathon',
      '--master',
      'zk://z1:2181,z2:2181/mesos',
      '--zk',
      'zk://z1:2181,z2:2181/marathon',
      '--http_port',
      '0',
      '--http_address',
      '127.0.0.1',
      '--hostname',
      'm1.example.com',
      '--framework_name',
      'marathon-prod',
      '--failover_timeout',
      '1weeks',
      '--decline_offer_duration',
      '120000',
      '--reconciliation_interval',
      '10mins',
      '--min_revive_offers_interval',
      '500ms',
      '--zk_session_timeout',
      '4secs',
      '--mesos_role',
      'web',
      '--mesos_user',
      'nobody',
    ]);
    expect(r.code, r.err).to.equal(0);
    expect(r.flags).to.deep.equal([
      {
        master: 'zk://z1:2181,z2:2181/mesos',
        zk: 'zk://z1:2181,z2:2181/marathon',
        stateDir: undefined,
        httpPort: 0,
        httpAddress: '127.0.0.1',
        hostname: 'm1.example.com',
        frameworkName: 'marathon-prod',
        failoverTimeoutMs: 604_800_000,
        declineOfferDurationMs: 120_000,
        zkSessionTimeoutMs: 4_000,
        mesosRole: 'web',
        mesosUser: 'nobody',
        reconciliationIntervalMs: 600_000,
        minReviveOffersIntervalMs: 500,
      } satisfies MarathonFlags,
    ]);
  });

  it('defaults: port 8080, name marathon; --failover_timeout as bare seconds; --ip aliases --http_address', async () => {
    const r = await run(['marathon', '--master', '10.0.0.1:5060', '--failover_timeout', '3600', '--ip', '0.0.0.0']);
    expect(r.code, r.err).to.equal(0);
    expect(r.flags[0]).to.deep.include({
      master: '10.0.0.1:5060',
      httpPort: 8080,
      frameworkName: 'marathon',
      failoverTimeoutMs: 3_600_000,
      httpAddress: '0.0.0.0',
      zk: undefined,
    });
    const local = await run(['marathon', '--master', 'h:5060', '--state_dir', '/var/lib/marathon']);
    expect(local.flags[0]).to.deep.include({ stateDir: '/var/lib/marathon' });
  });

  it('bad flags exit 2 naming the flag, and start nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['marathon'], /required option '--master <address>'/],
      [['marathon', '--master', 'nowhere'], /--master.*host:port/],
      [['marathon', '--master', 'h:1', '--zk', 'zk://z1:2181'], /--zk.*znode path/],
      [['marathon', '--master', 'h:1', '--http_port', '80000'], /--http_port.*0 to 65535/],
      [
        ['marathon', '--master', 'h:1', '--failover_timeout', '1week'],
        /--failover_timeout.*unknown unit 'week'.*seconds/,
      ],
      [['marathon', '--master', 'h:1', '--decline_offer_duration', 'soon'], /--decline_offer_duration.*milliseconds/],
      [['marathon', '--master', 'h:1', '--zk', 'zk://z:2181/m', '--state_dir', '/d'], /--state_dir.*without --zk/],
      [['marathon', '--master', 'zk://z:2181/mesos', '--zk', 'zk://z:2181/mesos'], /--zk: is the master's path/],
      [['marathon', '--master', 'h:1', '--zk_hosts', 'z:2181'], /unknown option '--zk_hosts'/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).to.equal(2);
      expect(r.err, argv.join(' ')).to.match(message);
      expect(r.flags, argv.join(' ')).to.deep.equal([]);
    }
  });

  it('maps its flags onto Marathon.start options (failover timeout in seconds)', () => {
    expect(
      marathonStartOptions({
        master: 'h:1',
        zk: 'zk://z:2181/marathon',
        httpPort: 0,
        httpAddress: '127.0.0.1',
        hostname: '127.0.0.1',
        frameworkName: 'm',
        failoverTimeoutMs: 604_800_000,
        declineOfferDurationMs: 5_000,
        reconciliationIntervalMs: 60_000,
        minReviveOffersIntervalMs: 500,
        zkSessionTimeoutMs: 3_000,
        mesosRole: 'web',
        mesosUser: 'u',
      }),
    ).to.deep.equal({
      master: 'h:1',
      zk: 'zk://z:2181/marathon',
      httpPort: 0,
      httpHost: '127.0.0.1',
      hostname: '127.0.0.1',
      frameworkName: 'm',
      failoverTimeoutSeconds: 604_800,
      declineOfferDurationMs: 5_000,
      reconcileIntervalMs: 60_000,
      minReviveIntervalMs: 500,
      zkSessionTimeoutMs: 3_000,
      role: 'web',
      user: 'u',
    });
    expect(marathonStartOptions({ master: 'h:1', httpPort: 8080, frameworkName: 'marathon' })).to.deep.equal({
      master: 'h:1',
      httpPort: 8080,
      frameworkName: 'marathon',
    });
  });
});

describe('mesocosm chronos', () => {
  it("takes --zk or Chronos' --zk_hosts/--zk_path, and Chronos' spellings as aliases", async () => {
    const r = await run([
      'chronos',
      '--master',
      '127.0.0.1:5060',
      '--zk_hosts',
      'z1:2181,z2:2181',
      '--zk_timeout',
      '5000',
      '--mesos_framework_name',
      'chronos-prod',
      '--mesos_task_cpu',
      '0.5',
      '--mesos_task_mem',
      '256',
      '--mesos_task_disk',
      '512',
      '--task_epsilon',
      '30secs',
      '--failover_timeout',
      '604800',
    ]);
    expect(r.code, r.err).to.equal(0);
    expect(r.flags[0]).to.deep.include({
      zk: 'zk://z1:2181,z2:2181/chronos',
      httpPort: 4400,
      zkSessionTimeoutMs: 5_000,
      frameworkName: 'chronos-prod',
      taskCpus: 0.5,
      taskMem: 256,
      taskDisk: 512,
      taskEpsilonMs: 30_000,
      failoverTimeoutMs: 604_800_000,
    } satisfies Partial<ChronosFlags>);
    const withPath = await run(['chronos', '--master', 'h:1', '--zk_hosts', 'z1:2181', '--zk_path', '/jobs/chronos']);
    expect(withPath.flags[0]).to.deep.include({ zk: 'zk://z1:2181/jobs/chronos' });
    const plain = await run(['chronos', '--master', 'h:1', '--zk', 'zk://z1:2181/chronos', '--http_port', '0']);
    expect(plain.flags[0]).to.deep.include({ zk: 'zk://z1:2181/chronos', httpPort: 0, frameworkName: 'chronos' });
  });

  it('bad flags exit 2 naming the flag, and start nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['chronos'], /required option '--master <address>'/],
      [['chronos', '--master', 'h:1', '--zk', 'zk://z:2181/c', '--zk_hosts', 'z:2181'], /--zk_hosts.*not both/],
      [['chronos', '--master', 'h:1', '--zk_path', '/c'], /--zk_path: needs --zk_hosts/],
      [['chronos', '--master', 'h:1', '--zk_hosts', 'zk://z:2181'], /--zk_hosts.*not a list of ZooKeeper servers/],
      [['chronos', '--master', 'h:1', '--zk_hosts', 'z:2181', '--zk_path', 'chronos'], /--zk_path/],
      [['chronos', '--master', 'h:1', '--state_dir', '/d', '--zk_hosts', 'z:2181'], /--state_dir.*without --zk/],
      [['chronos', '--master', 'h:1', '--mesos_task_cpu', '0'], /--mesos_task_cpu.*positive/],
      [['chronos', '--master', 'h:1', '--task_epsilon', 'PT60S'], /--task_epsilon/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).to.equal(2);
      expect(r.err, argv.join(' ')).to.match(message);
      expect(r.flags, argv.join(' ')).to.deep.equal([]);
    }
  });

  it('maps its flags onto Chronos.start options (job defaults, decline filter in seconds)', () => {
    expect(
      chronosStartOptions({
        master: 'h:1',
        stateDir: '/s',
        httpPort: 4400,
        frameworkName: 'chronos',
        failoverTimeoutMs: 60_000,
        declineOfferDurationMs: 30_000,
        zkSessionTimeoutMs: 4_000,
        mesosRole: 'batch',
        taskCpus: 0.5,
        taskEpsilonMs: 30_000,
      }),
    ).to.deep.equal({
      master: 'h:1',
      stateDir: '/s',
      httpPort: 4400,
      frameworkName: 'chronos',
      failoverTimeoutSeconds: 60,
      schedulerPolicy: { declineRefuseSeconds: 30 },
      zkSessionTimeoutMs: 4_000,
      role: 'batch',
      jobDefaults: { cpus: 0.5, epsilon: 'PT30S' },
    });
  });
});

describe('framework flag parsers', () => {
  it('durations: Mesos syntax, or a bare number in the given unit', () => {
    const secs = parseDurationOr(1000, 'seconds');
    expect(secs('1weeks')).to.equal(604_800_000);
    expect(secs('90')).to.equal(90_000);
    expect(secs('1.5')).to.equal(1_500);
    expect(parseDurationOr(1, 'milliseconds')('250')).to.equal(250);
    expect(() => secs('-1')).to.throw(/not a duration.*or a bare number of seconds/);
  });

  it('ZooKeeper host lists and positive numbers', () => {
    expect(parseZkHosts(' z1:2181, z2 ')).to.equal('z1:2181,z2');
    expect(() => parseZkHosts('')).to.throw(/not a list/);
    expect(() => parseZkHosts('z1:2181/chronos')).to.throw(/not a list/);
    expect(parsePositive('0.25')).to.equal(0.25);
    expect(() => parsePositive('-1')).to.throw(/positive/);
    expect(() => parsePositive('lots')).to.throw(/positive/);
  });
});

describe('mesocosm local: the framework lines', () => {
  it('prints each running framework with a command that uses it', () => {
    const lines = describeFrameworks({ marathonUrl: 'http://127.0.0.1:8080', chronosUrl: 'http://127.0.0.1:4400' });
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(
      /^ {2}marathon\s+http:\/\/127\.0\.0\.1:8080\s+\(apps: curl -X POST http:\/\/127\.0\.0\.1:8080\/v2\/apps/,
    );
    expect(lines[1]).to.match(
      /^ {2}chronos\s+http:\/\/127\.0\.0\.1:4400\s+\(jobs: curl -X POST .*\/v1\/scheduler\/iso8601/,
    );
    expect(describeFrameworks({ chronosUrl: 'http://x' })).to.have.length(1);
    expect(describeFrameworks({})).to.deep.equal([]);
  });
});
