import { expect } from 'chai';
import { UsageError } from '../src/errors.js';
import type { AgentFlags, CommandHandlers, LocalFlags, MasterFlags } from '../src/program.js';
import { runCli } from '../src/run-cli.js';

/** Runs the CLI with handlers that record their flags instead of starting daemons. */
async function run(
  argv: string[],
  handlers: Partial<CommandHandlers> = {},
): Promise<{ code: number; out: string; err: string; calls: Array<[string, unknown]> }> {
  let out = '';
  let err = '';
  const calls: Array<[string, unknown]> = [];
  const record =
    (name: string) =>
    async (flags: unknown): Promise<void> => {
      calls.push([name, flags]);
    };
  const code = await runCli(
    argv,
    {
      master: handlers.master ?? record('master'),
      agent: handlers.agent ?? record('agent'),
      local: handlers.local ?? record('local'),
      marathon: handlers.marathon ?? record('marathon'),
      chronos: handlers.chronos ?? record('chronos'),
      example: handlers.example ?? record('example'),
    },
    { writeOut: (s) => (out += s), writeErr: (s) => (err += s) },
  );
  return { code, out, err, calls };
}

describe('mesocosm command line', () => {
  it('master: Mesos flag names, durations in Mesos syntax, defaults 5050/5060', async () => {
    const r = await run([
      'master',
      '--ip',
      '127.0.0.1',
      '--offer_timeout',
      '30secs',
      '--heartbeat_interval',
      '1mins',
      '--agent_ping_timeout',
      '500ms',
      '--max_agent_ping_timeouts',
      '3',
      '--allocation_interval',
      '2secs',
      '--weights',
      'prod=2,dev=1',
    ]);
    expect(r.code).to.equal(0);
    expect(r.calls).to.have.length(1);
    const [name, flags] = r.calls[0]!;
    expect(name).to.equal('master');
    expect(flags).to.deep.include({
      ip: '127.0.0.1',
      port: 5050,
      grpcPort: 5060,
      offerTimeoutMs: 30_000,
      heartbeatIntervalMs: 60_000,
      agentPingTimeoutMs: 500,
      maxAgentPingTimeouts: 3,
      allocationIntervalMs: 2000,
      weights: { prod: 2, dev: 1 },
    } satisfies Partial<MasterFlags>);
  });

  it('master: --roles_weights is an alias of --weights; port 0 is allowed', async () => {
    const r = await run(['master', '--roles_weights', 'a=3', '--port', '0', '--grpc_port', '0']);
    expect(r.code).to.equal(0);
    expect(r.calls[0]![1]).to.deep.include({ weights: { a: 3 }, port: 0, grpcPort: 0 });
  });

  it('master: --zk and --zk_session_timeout (a Mesos duration)', async () => {
    const r = await run(['master', '--zk', 'zk://h1:2181,h2/mesos', '--zk_session_timeout', '2secs']);
    expect(r.code).to.equal(0);
    expect(r.calls[0]![1]).to.deep.include({ zk: 'zk://h1:2181,h2/mesos', zkSessionTimeoutMs: 2000 });
  });

  it('agent: typed flags, --kill_tasks_on_exit with or without a value', async () => {
    const r = await run([
      'agent',
      '--work_dir',
      '/tmp/a',
      '--master',
      '10.0.0.1:5060',
      '--resources',
      'cpus:2;mem:512',
      '--attributes',
      'rack:r1',
      '--isolation',
      'posix',
      '--kill_tasks_on_exit',
      '--grpc_port',
      '0',
      '--docker_socket',
      '/run/d.sock',
      '--executor_registration_timeout',
      '30secs',
      '--executor_reregistration_timeout',
      '5secs',
      '--status_update_retry_interval',
      '500ms',
      '--zk_session_timeout',
      '3secs',
      '--recover',
      'cleanup',
    ]);
    expect(r.code, r.err).to.equal(0);
    expect(r.calls[0]).to.deep.equal([
      'agent',
      {
        master: '10.0.0.1:5060',
        workDir: '/tmp/a',
        ip: undefined,
        advertiseIp: undefined,
        hostname: undefined,
        port: 5051,
        resources: 'cpus:2;mem:512',
        attributes: 'rack:r1',
        isolation: 'posix',
        killTasksOnExit: true,
        grpcPort: 0,
        dockerSocket: '/run/d.sock',
        executorRegistrationTimeoutMs: 30_000,
        executorReregistrationTimeoutMs: 5_000,
        statusUpdateRetryMs: 500,
        zkSessionTimeoutMs: 3_000,
        recover: 'cleanup',
      } satisfies AgentFlags,
    ]);
    const off = await run(['agent', '--work_dir', '/tmp/a', '--kill_tasks_on_exit', 'false']);
    expect(off.calls[0]![1]).to.deep.include({ killTasksOnExit: false, master: '127.0.0.1:5060' });
  });

  it('local: defaults and --no-examples', async () => {
    const r = await run(['local']);
    expect(r.calls[0]![1]).to.deep.equal({
      agents: 2,
      port: 5050,
      grpcPort: 5060,
      workDir: undefined,
      examples: true,
      tasks: 4,
      marathon: true,
      marathonPort: 8080,
      chronos: true,
      chronosPort: 4400,
    } satisfies LocalFlags);
    const q = await run(['local', '--agents', '3', '--no-examples', '--port', '0', '--grpc_port', '0']);
    expect(q.calls[0]![1]).to.deep.include({ agents: 3, examples: false, port: 0, grpcPort: 0 });
  });

  it("example: a name (default batch-shell), --master (default mesocosm local's), the example's own flags", async () => {
    const r = await run(['example']);
    expect(r.calls).to.deep.equal([['example', { name: 'batch-shell', master: '127.0.0.1:5060', args: [] }]]);
    const pi = await run(['example', 'pi', '--master', '127.0.0.1:7000', '--tasks', '8', '--seed', '3']);
    expect(pi.calls[0]![1]).to.deep.equal({
      name: 'pi',
      master: '127.0.0.1:7000',
      args: ['--tasks', '8', '--seed', '3'],
    });
    const bare = await run(['example', '--tasks', '2']);
    expect(bare.calls[0]![1]).to.deep.include({ name: 'batch-shell', args: ['--tasks', '2'] });
    const help = await run(['example', 'placement', '--', '--help']);
    expect(help.calls[0]![1]).to.deep.include({ name: 'placement', args: ['--help'] });
    const unknown = await run(['example', 'crawler']);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.match(
      /unknown example 'crawler': one of batch-shell, custom-executor, pi, pipeline, placement/,
    );
    const bad = await run(['example', 'pi', '--master', 'nohost']);
    expect(bad.code).to.equal(2);
    expect(bad.calls).to.deep.equal([]);
  });

  it('local: Marathon and Chronos ports (0 = free), --no-marathon and --no-chronos', async () => {
    const r = await run(['local', '--marathon_port', '0', '--chronos_port', '0']);
    expect(r.calls[0]![1]).to.deep.include({ marathon: true, marathonPort: 0, chronos: true, chronosPort: 0 });
    const q = await run(['local', '--no-marathon', '--no-chronos']);
    expect(q.calls[0]![1]).to.deep.include({ marathon: false, chronos: false });
    const bad = await run(['local', '--marathon_port', '70000']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.match(/--marathon_port.*0 to 65535/);
  });

  it('--help of each command exits 0 and lists its flags', async () => {
    const expected: Record<string, string[]> = {
      master: ['--offer_timeout', '--grpc_port', '--weights', '--advertise_ip'],
      agent: ['--work_dir', '--master', '--resources', '--kill_tasks_on_exit'],
      local: ['--agents', '--no-examples', '--work_dir', '--no-marathon', '--chronos_port'],
      marathon: ['--master', '--zk', '--http_port', '--failover_timeout', '--decline_offer_duration', '--mesos_role'],
      chronos: ['--master', '--zk', '--zk_hosts', '--http_port', '--mesos_framework_name', '--task_epsilon'],
    };
    for (const [cmd, flags] of Object.entries(expected)) {
      const r = await run([cmd, '--help']);
      expect(r.code, cmd).to.equal(0);
      for (const f of flags) expect(r.out, `${cmd} --help`).to.include(f);
      expect(r.calls).to.deep.equal([]);
    }
    const top = await run(['--help']);
    expect(top.code).to.equal(0);
    expect(top.out).to.match(/master[\s\S]*agent[\s\S]*local[\s\S]*marathon[\s\S]*chronos/);
  });

  it('bad flags exit 2 with a message naming the flag, and run nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['master', '--offer_timeout', '30'], /--offer_timeout.*30secs/],
      [['master', '--port', 'abc'], /--port.*not a port/],
      [['master', '--bogus'], /unknown option '--bogus'/],
      [['master', '--zk', 'zk://h1:2181'], /--zk.*no znode path/],
      [['master', '--zk', 'h1:2181/mesos'], /--zk.*must start with 'zk:\/\/'/],
      [['agent'], /--work_dir/],
      [['agent', '--work_dir', '/w', '--master', 'nohost'], /--master.*host:port/],
      [['agent', '--work_dir', '/w', '--resources', 'cpus:x'], /--resources/],
      [['local', '--agents', '0'], /--agents.*at least 1/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [[], /Usage: mesocosm/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).to.equal(2);
      expect(r.err, argv.join(' ')).to.match(message);
      expect(r.calls, argv.join(' ')).to.deep.equal([]);
    }
  });

  it('a UsageError from a handler exits 2; any other error exits 1', async () => {
    const usage = await run(['local'], {
      local: async () => {
        throw new UsageError('--work_dir', 'is not writable');
      },
    });
    expect(usage.code).to.equal(2);
    expect(usage.err).to.include('--work_dir: is not writable');
    const crash = await run(['local'], {
      local: async () => {
        throw new Error('boom');
      },
    });
    expect(crash.code).to.equal(1);
    expect(crash.err).to.include('boom');
  });
});
