// The operator verbs of `mesocosm`: agents, frameworks, tasks, logs, drain,
// undrain, teardown. Each talks to a running master's HTTP API (--master,
// else MESOCOSM_MASTER, else http://127.0.0.1:5050), prints a human table by
// default and the endpoint's JSON with --json.
import { Option, type Command } from 'commander';
import { runAgents } from './commands/agents.js';
import { runDrain, runUndrain } from './commands/drain.js';
import { runFrameworks } from './commands/frameworks.js';
import { runLogs } from './commands/logs.js';
import { runTasks, type TasksFlags } from './commands/tasks.js';
import { runTeardown } from './commands/teardown.js';
import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import { parseCount } from './flags.js';
import { DEFAULT_MASTER_URL, MASTER_ENV, parseOperatorMaster } from './master-url.js';
import { arg, pick, type Raw } from './option-args.js';
import type { OperatorIo } from './operator-io.js';
import { parseTaskStates } from './task-states.js';
import { addTlsOptions, tlsFlags } from './tls-flags.js';
import { addOperatorAuthOptions, operatorAuthFlags } from './operator-auth.js';

/** How long a --wait waits unless --timeout says. */
const DEFAULT_WAIT_TIMEOUT = '5mins';
/** How often waits and `logs --follow` look again. */
const DEFAULT_INTERVAL = '500ms';

const duration = arg(parseDuration);
const count = (min: number): ((t: string) => number) => arg((t) => parseCount(t, min));

/** `--state running --state staging,starting` collects every state, once each. */
function states(text: string, previous: string[] | undefined): string[] {
  return [...new Set([...(previous ?? []), ...arg(parseTaskStates)(text)])];
}

function masterOption(cmd: Command): Command {
  return addOperatorAuthOptions(
    addTlsOptions(
      cmd.option(
        '--master <address>',
        `the master's HTTP address: http://host:5050, host:port or zk://host:2181/mesos ` +
          `(default: $${MASTER_ENV}, else ${DEFAULT_MASTER_URL})`,
        arg(parseOperatorMaster),
      ),
      'operator',
    ),
  );
}

function waitOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <duration>', `how long --wait waits, e.g. 10mins (default ${DEFAULT_WAIT_TIMEOUT})`, duration)
    .addOption(new Option('--interval <duration>', 'poll interval').argParser(duration).hideHelp());
}

const ms = (raw: Raw, key: string, fallback: string): number => pick<number>(raw, key) ?? parseDuration(fallback);

/** --wait and --wait-running, checked against --state. @throws UsageError */
function tasksWait(raw: Raw): Pick<TasksFlags, 'wait' | 'states'> {
  const wait = pick<number>(raw, 'wait');
  const waitRunning = pick<number>(raw, 'waitRunning');
  const given = pick<string[]>(raw, 'state');
  if (waitRunning === undefined) return { wait, states: given };
  if (wait !== undefined) throw new UsageError('--wait-running', 'give either --wait N or --wait-running N, not both');
  if (given !== undefined && (given.length !== 1 || given[0] !== 'TASK_RUNNING')) {
    throw new UsageError('--wait-running', 'waits for running tasks: drop --state, or use --wait N with your --state');
  }
  return { wait: waitRunning, states: ['TASK_RUNNING'] };
}

/** Adds the operator verbs to `program`; they run against `io`. */
export function addOperatorCommands(program: Command, io: OperatorIo): void {
  // The verb's --tls-* flags reach connectMaster through io (they override MESOCOSM_TLS_*).
  program.hook('preAction', (_program, verb) => {
    io.tls = tlsFlags(verb.opts());
    io.auth = operatorAuthFlags(verb.opts());
  });
  masterOption(program.command('agents').description("list the master's agents: resources, tasks, drain state"))
    .option('--json', "print the master's JSON (GET /master/slaves) for scripts")
    .action(async (raw: Raw) => runAgents({ master: pick(raw, 'master'), json: raw['json'] === true }, io));

  masterOption(program.command('frameworks').description('list the frameworks: role, principal, share, tasks'))
    .option('--completed', 'also list frameworks that were torn down or timed out')
    .option('--json', "print the master's JSON (GET /master/frameworks) for scripts")
    .action(async (raw: Raw) =>
      runFrameworks(
        { master: pick(raw, 'master'), json: raw['json'] === true, completed: raw['completed'] === true },
        io,
      ),
    );

  waitOptions(
    masterOption(program.command('tasks').description('list tasks, filtered by state, framework, agent and name'))
      .option('--state <states>', 'only these states, e.g. running or TASK_RUNNING,staging (repeatable)', states)
      .option('--framework <id|name>', 'only tasks of this framework')
      .option('--agent <id|hostname>', 'only tasks on this agent')
      .option('--name <text>', 'only tasks whose name or ID contains this')
      .option('--limit <n>', 'at most this many tasks', count(1), 100)
      .option('--all', 'every matching task, however many')
      .option('--wait <n>', 'first wait until at least N tasks match, showing progress', count(1))
      .option('--wait-running <n>', 'first wait until at least N tasks (of the filters) are running', count(1))
      .option('--json', "print the master's JSON (GET /master/tasks) for scripts"),
  ).action(async (raw: Raw) =>
    runTasks(
      {
        master: pick(raw, 'master'),
        json: raw['json'] === true,
        ...tasksWait(raw),
        framework: pick(raw, 'framework'),
        agent: pick(raw, 'agent'),
        name: pick(raw, 'name'),
        limit: pick<number>(raw, 'limit') ?? 100,
        all: raw['all'] === true,
        timeoutMs: ms(raw, 'timeout', DEFAULT_WAIT_TIMEOUT),
        intervalMs: ms(raw, 'interval', DEFAULT_INTERVAL),
      },
      io,
    ),
  );

  masterOption(program.command('logs').description("print a task's stdout (or stderr) from its sandbox"))
    .argument('<task>', 'task ID (or name, or a part of either that only one task has)')
    .option('--stderr', 'stderr instead of stdout')
    .option('-f, --follow', 'keep printing what the task writes, until it ends (or Ctrl-C)')
    .option('--tail <n>', 'only the last N lines', count(0))
    .option('--framework <id|name>', "the task's framework, when task IDs repeat across frameworks")
    .addOption(new Option('--interval <duration>', 'poll interval of --follow').argParser(duration).hideHelp())
    .action(async (task: string, raw: Raw) =>
      runLogs(
        {
          master: pick(raw, 'master'),
          task,
          framework: pick(raw, 'framework'),
          stderr: raw['stderr'] === true,
          follow: raw['follow'] === true,
          tail: pick(raw, 'tail'),
          intervalMs: ms(raw, 'interval', DEFAULT_INTERVAL),
        },
        io,
      ),
    );

  waitOptions(
    masterOption(program.command('drain').description('drain an agent: no more offers, its tasks killed'))
      .argument('<agent>', 'agent ID or hostname')
      .option('--max-grace-period <duration>', "cap on each task's kill grace period, e.g. 30secs", duration)
      .option('--mark-gone', 'remove the agent for good once drained')
      .option('--leave-tasks-running', 'do not kill tasks: DRAINED once they end by themselves')
      .option('--wait', 'show progress until the agent is DRAINED'),
  ).action(async (agent: string, raw: Raw) =>
    runDrain(
      {
        master: pick(raw, 'master'),
        agent,
        maxGracePeriodMs: pick(raw, 'maxGracePeriod'),
        markGone: raw['markGone'] === true,
        leaveTasksRunning: raw['leaveTasksRunning'] === true,
        wait: raw['wait'] === true,
        timeoutMs: ms(raw, 'timeout', DEFAULT_WAIT_TIMEOUT),
        intervalMs: ms(raw, 'interval', DEFAULT_INTERVAL),
      },
      io,
    ),
  );

  masterOption(program.command('undrain').description('reactivate a drained or draining agent: offers again'))
    .argument('<agent>', 'agent ID or hostname')
    .action(async (agent: string, raw: Raw) => runUndrain({ master: pick(raw, 'master'), agent }, io));

  masterOption(program.command('teardown').description('tear down a framework: every task of it is killed'))
    .argument('<framework>', 'framework ID or name')
    .option('-y, --yes', 'do not ask (needed when stdin is not a terminal)')
    .action(async (framework: string, raw: Raw) =>
      runTeardown({ master: pick(raw, 'master'), framework, yes: raw['yes'] === true }, io),
    );
}
