// The pure pieces of the operator verbs: tables, units, state names, the
// master address, finding agents/frameworks/tasks, log tails, progress.
import { expect } from 'chai';
import { drainCall, drainProgress } from '../src/commands/drain.js';
import { formatAgents } from '../src/commands/agents.js';
import { formatFrameworks, formatTaskCounts } from '../src/commands/frameworks.js';
import { describeWait, formatTasks } from '../src/commands/tasks.js';
import { liveTaskCount } from '../src/commands/teardown.js';
import { pickAgent, pickFramework, pickTask } from '../src/lookup.js';
import { masterAddressOf, parseOperatorMaster } from '../src/master-url.js';
import { AmbiguousArgumentError, NotFoundError } from '../src/operator-errors.js';
import { formatElapsed, Progress } from '../src/progress.js';
import { lastLines, latestRunDir } from '../src/sandbox-files.js';
import { formatMegabytes, formatNumber, formatPercent, formatTable } from '../src/table.js';
import { isTerminalStateName, parseTaskState, parseTaskStates, TASK_STATE_NAMES } from '../src/task-states.js';
import { agentRow, frameworkRow, taskRow } from './fake-master.js';

describe('operator verbs: formatting and parsing', () => {
  describe('tables', () => {
    it('aligns columns two spaces apart, numbers to the right, no trailing spaces', () => {
      const text = formatTable(
        [
          { header: 'id', value: (r: { id: string; n: number }) => r.id },
          { header: 'N', value: (r) => String(r.n), align: 'right' },
          { header: 'LAST', value: () => '' },
        ],
        [
          { id: 'a', n: 100 },
          { id: 'long-id', n: 5 },
        ],
      );
      expect(text).to.equal(['id         N  LAST', 'a        100', 'long-id    5', ''].join('\n'));
    });

    it('keeps a row on one line when a cell holds newlines or tabs', () => {
      const text = formatTable([{ header: 'X', value: (r: string) => r }], ['a\nb\tc']);
      expect(text).to.equal('X\na b c\n');
    });

    it('sizes in MB as MB, GB, TB with one decimal at most', () => {
      expect(formatMegabytes(0)).to.equal('0 MB');
      expect(formatMegabytes(32)).to.equal('32 MB');
      expect(formatMegabytes(0.5)).to.equal('0.5 MB');
      expect(formatMegabytes(1024)).to.equal('1 GB');
      expect(formatMegabytes(1536)).to.equal('1.5 GB');
      expect(formatMegabytes(4 * 1024 * 1024)).to.equal('4 TB');
      expect(formatNumber(0.1 + 0.2)).to.equal('0.3');
      expect(formatPercent(0.125)).to.equal('12.5%');
    });

    it('agents: used/total in human units, task count, status and drain state', () => {
      const text = formatAgents([
        agentRow({ id: 'a2', hostname: 'h2', used: { cpus: 0.5, mem: 256 }, task_count: 1 }),
        agentRow({ id: 'a1', hostname: 'h1', drain: 'DRAINING' }),
      ]);
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).to.match(/^ID\s+HOSTNAME\s+CPUS\s+MEM\s+DISK\s+TASKS\s+STATUS\s+DRAIN$/);
      expect(lines[1]).to.match(/^a1\s+h1\s+0\/2\s+0 MB\/2 GB\s+0 MB\/4 GB\s+0\s+connected\s+DRAINING$/);
      expect(lines[2]).to.match(/^a2\s+h2\s+0\.5\/2\s+256 MB\/2 GB\s+0 MB\/4 GB\s+1\s+connected\s+-$/);
      expect(formatAgents([])).to.equal('no agents\n');
    });

    it('frameworks: role, principal, connected/active, share, tasks by state', () => {
      const text = formatFrameworks(
        [frameworkRow({ id: 'f1', name: 'web', counts: { TASK_FINISHED: 2, TASK_RUNNING: 3 }, share: 0.25 })],
        [frameworkRow({ id: 'f0', name: 'old', connected: false, active: false })],
      );
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).to.match(/^ID\s+NAME\s+ROLE\s+PRINCIPAL\s+CONNECTED\s+ACTIVE\s+SHARE\s+TASKS$/);
      expect(lines[1]).to.match(/^f1\s+web\s+\*\s+ops\s+yes\s+yes\s+25%\s+3 running, 2 finished$/);
      expect(lines[2]).to.match(/^f0\s+old\s+\*\s+ops\s+completed\s+no\s+0%\s+-$/);
      expect(formatTaskCounts({ TASK_KILLED: 1, TASK_STAGING: 2, TASK_RUNNING: 0 })).to.equal('2 staging, 1 killed');
    });

    it('tasks: a HEALTH column only when some task has a health check', () => {
      const plain = formatTasks([taskRow({ id: 't1', state: 'TASK_RUNNING' })]);
      expect(plain.split('\n')[0]).to.match(/^ID\s+NAME\s+STATE\s+FRAMEWORK\s+AGENT\s+CPUS\s+MEM$/);
      expect(plain.split('\n')[1]).to.match(/^t1\s+t1\s+TASK_RUNNING\s+fw-name\s+host-1\s+0\.1\s+32 MB$/);
      const health = formatTasks([taskRow({ id: 't1', healthy: false }), taskRow({ id: 't2' })]);
      expect(health.split('\n')[0]).to.match(/HEALTH$/);
      expect(health.split('\n')[1]).to.match(/unhealthy$/);
      expect(health.split('\n')[2]).to.match(/ -$/);
      expect(formatTasks([])).to.equal('no tasks\n');
      expect(describeWait(3, ['TASK_RUNNING'])).to.equal('3 tasks running');
      expect(describeWait(1, undefined)).to.equal('1 task');
    });
  });

  describe('task states', () => {
    it('takes any case, with or without TASK_, and - for _', () => {
      for (const t of ['running', 'RUNNING', 'Task_Running', 'TASK_RUNNING', ' running ']) {
        expect(parseTaskState(t)).to.equal('TASK_RUNNING');
      }
      expect(parseTaskState('gone-by-operator')).to.equal('TASK_GONE_BY_OPERATOR');
      expect(parseTaskStates('running,staging,RUNNING')).to.deep.equal(['TASK_RUNNING', 'TASK_STAGING']);
      expect(TASK_STATE_NAMES).to.include.members(['TASK_STAGING', 'TASK_KILLED', 'TASK_UNREACHABLE']);
    });

    it('refuses an unknown state, listing the valid ones', () => {
      for (const bad of ['runing', '', 'TASK_', '2', 'running;']) {
        expect(() => parseTaskState(bad)).to.throw(/is not a task state: use one of staging, starting, running/);
      }
      expect(() => parseTaskStates('running,nope')).to.throw(/'nope' is not a task state.*finished/);
    });

    it('knows the terminal states', () => {
      expect(isTerminalStateName('TASK_FINISHED')).to.equal(true);
      expect(isTerminalStateName('TASK_KILLED')).to.equal(true);
      expect(isTerminalStateName('TASK_RUNNING')).to.equal(false);
      expect(isTerminalStateName('TASK_UNREACHABLE')).to.equal(false);
      expect(liveTaskCount({ task_counts: { TASK_RUNNING: 2, TASK_FINISHED: 5, TASK_STAGING: 1 } })).to.equal(3);
    });
  });

  describe('the master address', () => {
    it('takes http(s) URLs, host:port and a bare host (port 5050), and zk:// URLs', () => {
      expect(parseOperatorMaster('http://10.0.0.1:5050/')).to.equal('http://10.0.0.1:5050');
      expect(parseOperatorMaster('https://m.example.com')).to.equal('https://m.example.com');
      expect(parseOperatorMaster('https://proxy/mesos/')).to.equal('https://proxy/mesos');
      expect(parseOperatorMaster('127.0.0.1:6000')).to.equal('http://127.0.0.1:6000');
      expect(parseOperatorMaster('master-1')).to.equal('http://master-1:5050');
      expect(parseOperatorMaster('[::1]:5050')).to.equal('http://[::1]:5050');
      expect(parseOperatorMaster('zk://h1:2181,h2:2181/mesos')).to.equal('zk://h1:2181,h2:2181/mesos');
    });

    it('refuses what is not an HTTP address, saying what to write', () => {
      for (const bad of ['ftp://x', 'http://', 'a b', ':5050']) {
        expect(() => parseOperatorMaster(bad), bad).to.throw(/http:\/\/host:5050, host:5050 or zk:/);
      }
      expect(() => parseOperatorMaster('zk://')).to.throw(/zk/);
    });

    it('--master, else MESOCOSM_MASTER, else http://127.0.0.1:5050', () => {
      expect(masterAddressOf('http://a:1', { MESOCOSM_MASTER: 'b:2' })).to.equal('http://a:1');
      expect(masterAddressOf(undefined, { MESOCOSM_MASTER: 'b:2' })).to.equal('http://b:2');
      expect(masterAddressOf(undefined, { MESOCOSM_MASTER: '' })).to.equal('http://127.0.0.1:5050');
      expect(masterAddressOf(undefined, {})).to.equal('http://127.0.0.1:5050');
      expect(() => masterAddressOf(undefined, { MESOCOSM_MASTER: 'ftp://x' })).to.throw(/^MESOCOSM_MASTER: /);
    });
  });

  describe('finding what the user named', () => {
    const agents = [
      agentRow({ id: 'a1', hostname: 'h1' }),
      agentRow({ id: 'a2', hostname: 'shared' }),
      agentRow({ id: 'a3', hostname: 'shared' }),
    ];

    it('agents by ID, or by a hostname only one has', () => {
      expect(pickAgent(agents, 'a2').id).to.equal('a2');
      expect(pickAgent(agents, 'h1').id).to.equal('a1');
      expect(() => pickAgent(agents, 'shared'))
        .to.throw(AmbiguousArgumentError)
        .with.property('message')
        .match(/2 agents run on host 'shared': give an agent ID, one of a2, a3/);
      expect(() => pickAgent(agents, 'nope'))
        .to.throw(NotFoundError)
        .with.property('message')
        .match(/no agent has ID or hostname 'nope'; known: a1 \(h1\), a2 \(shared\)/);
      expect(() => pickAgent([], 'x')).to.throw(/knows no agents/);
    });

    it('frameworks by ID, or by a name only one has', () => {
      const fws = [frameworkRow({ id: 'f1', name: 'web' }), frameworkRow({ id: 'f2', name: 'batch' })];
      expect(pickFramework(fws, 'f2').name).to.equal('batch');
      expect(pickFramework(fws, 'web').id).to.equal('f1');
      expect(() => pickFramework([...fws, frameworkRow({ id: 'f3', name: 'web' })], 'web')).to.throw(
        /2 frameworks are named 'web'.*f1, f3/,
      );
      expect(() => pickFramework(fws, 'x')).to.throw(/no framework has ID or name 'x'; known: f1 \(web\)/);
    });

    it('tasks by ID, then name, then a part only one has', () => {
      const tasks = [
        taskRow({ id: 'web.1', name: 'web' }),
        taskRow({ id: 'web.10', name: 'web' }),
        taskRow({ id: 'batch-7', name: 'nightly' }),
      ];
      expect(pickTask(tasks, 'web.1').id).to.equal('web.1');
      expect(pickTask(tasks, 'nightly').id).to.equal('batch-7');
      expect(pickTask(tasks, 'BATCH').id).to.equal('batch-7');
      expect(() => pickTask(tasks, 'web')).to.throw(AmbiguousArgumentError, /2 tasks are named 'web'/);
      expect(() => pickTask(tasks, 'we')).to.throw(/2 tasks have an ID or name containing 'we': web\.1 .*web\.10/);
      expect(() => pickTask(tasks, 'zzz')).to.throw(NotFoundError, /no task has an ID or name like 'zzz'/);
    });

    it('a task ID in two frameworks is ambiguous; one framework reusing an ID picks the live task', () => {
      const twice = [taskRow({ id: 't', framework_id: 'f1' }), taskRow({ id: 't', framework_id: 'f2' })];
      expect(() => pickTask(twice, 't')).to.throw(/2 tasks have the ID 't'.*--framework/);
      const reused = [
        taskRow({ id: 't', state: 'TASK_FINISHED', time: 5 }),
        taskRow({ id: 't', state: 'TASK_RUNNING', time: 1 }),
      ];
      expect(pickTask(reused, 't').state).to.equal('TASK_RUNNING');
      const ended = [
        taskRow({ id: 't', state: 'TASK_FAILED', time: 1 }),
        taskRow({ id: 't', state: 'TASK_KILLED', time: 9 }),
      ];
      expect(pickTask(ended, 't').state).to.equal('TASK_KILLED');
    });
  });

  describe('logs and drains', () => {
    it('the latest run directory is the highest run-N directory', () => {
      const entry = (path: string, dir = true): { path: string; size: number; mtime: number; mode: string } => ({
        path,
        size: 0,
        mtime: 0,
        mode: dir ? 'drwxr-xr-x' : '-rw-r--r--',
      });
      expect(latestRunDir([entry('f/tasks/t/run-2'), entry('f/tasks/t/run-10'), entry('f/tasks/t/run-9')])).to.equal(
        'f/tasks/t/run-10',
      );
      expect(latestRunDir([entry('f/tasks/t/run-3', false), entry('f/tasks/t/other')])).to.equal(undefined);
    });

    it('the last N lines keep the final newline', () => {
      expect(lastLines('a\nb\nc\n', 2)).to.equal('b\nc\n');
      expect(lastLines('a\nb\nc', 2)).to.equal('b\nc');
      expect(lastLines('a\n', 5)).to.equal('a\n');
      expect(lastLines('a\nb\n', 0)).to.equal('');
      expect(lastLines('', 3)).to.equal('');
    });

    it('a drain call in Mesos JSON; its progress from the agent row', () => {
      const flags = { agent: 'a1', markGone: false, leaveTasksRunning: true, wait: false, timeoutMs: 1, intervalMs: 1 };
      expect(drainCall('a1', { ...flags, maxGracePeriodMs: 1500 })).to.deep.equal({
        type: 'DRAIN_AGENT',
        drain_agent: {
          agent_id: { value: 'a1' },
          max_grace_period: { nanoseconds: 1_500_000_000 },
          mark_gone: false,
          leave_tasks_running: true,
        },
      });
      expect(drainCall('a1', flags).drain_agent).to.not.have.property('max_grace_period');
      const draining = agentRow({ id: 'a1', hostname: 'h1', drain: 'DRAINING', task_count: 2 });
      expect(drainProgress(draining, 'a1', false)).to.deep.equal({ done: false, status: 'DRAINING h1: 2 tasks left' });
      expect(drainProgress(agentRow({ id: 'a1', drain: 'DRAINED' }), 'a1', false)).to.deep.equal({
        done: true,
        value: 'DRAINED',
      });
      expect(drainProgress(undefined, 'a1', true)).to.include({ done: true });
      expect(() => drainProgress(undefined, 'a1', false)).to.throw(/gone before it was DRAINED/);
      expect(() => drainProgress(agentRow({ id: 'a1' }), 'a1', false)).to.throw(/no longer draining/);
    });
  });

  describe('progress', () => {
    it('elapsed time as 4s, 1m05s, 2h00m', () => {
      expect(formatElapsed(4_900)).to.equal('4s');
      expect(formatElapsed(65_000)).to.equal('1m05s');
      expect(formatElapsed(7_200_000)).to.equal('2h00m');
      expect(formatElapsed(-5)).to.equal('0s');
    });

    it('on a terminal: one line redrawn in place; otherwise a line per change', () => {
      let now = 0;
      let tty = '';
      const onTty = new Progress({ err: (s) => (tty += s), errIsTty: true, now: () => now });
      onTty.update('1/3');
      now = 2000;
      onTty.update('1/3');
      onTty.finish('done');
      expect(tty).to.equal('\r\x1b[2K1/3 (0s)\r\x1b[2K1/3 (2s)\r\x1b[2Kdone (2s)\n');

      now = 0;
      let plain = '';
      const lines = new Progress({ err: (s) => (plain += s), errIsTty: false, now: () => now });
      lines.update('1/3');
      now = 1000;
      lines.update('1/3');
      now = 3000;
      lines.update('2/3');
      expect(plain).to.equal('[0s] 1/3\n[3s] 2/3\n');
    });
  });
});
