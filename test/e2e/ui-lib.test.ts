// The web UI's pure helpers (packages/master/ui/src/lib), loaded from their
// TypeScript source by vite's module runner (the UI is bundled by vite, not
// compiled by tsc -b): the task table's paging and live deltas, the filter as
// the master applies it, routes, following the leader, the feed's view, the
// log tail and the chart. The browser tests drive the same code end to end.
import { expect } from 'chai';
import { join } from 'node:path';
import { runnerImport } from 'vite';
import { repoRoot } from '../helpers/index.js';

const uiRoot = join(repoRoot, 'packages', 'master', 'ui');

async function load<T>(name: string): Promise<T> {
  const { module } = await runnerImport<T>(join(uiRoot, 'src', 'lib', `${name}.ts`), {
    configFile: false,
    root: uiRoot,
    logLevel: 'silent',
  });
  return module;
}

// The shapes these tests use (the UI's own types live outside this project).
interface Row {
  id: string;
  name: string;
  framework_id: string;
  agent_id: string;
  state: string;
}
interface Filter {
  framework_id: string;
  agent_id: string;
  state: string[];
  name: string;
  order: 'asc' | 'desc';
}
interface Rows {
  total: number;
  rows: (Row | undefined)[];
  index: Map<string, number>;
  loaded: boolean;
}
interface Page {
  tasks: Row[];
  total: number;
  offset: number;
  limit: number;
}
interface TaskRowsLib {
  NO_ROWS: Rows;
  applyPage(s: Rows, p: Page): Rows;
  applyTaskDelta(s: Rows, up: Row[], f: Filter): Rows;
  missingPages(s: Rows, start: number, end: number, inFlight: Set<number>, pageSize?: number): number[];
}
interface TaskFilterLib {
  EMPTY_FILTER: Filter;
  taskMatches(f: Filter, t: Row): boolean;
  tasksQuery(f: Filter, offset: number, limit: number): string;
}
type Route = { page: string; filter?: Filter; taskId?: string; frameworkId?: string; path?: string };
interface RouteLib {
  parseRoute(hash: string): Route;
  routeHash(r: Route): string;
}
interface FailoverLib {
  feedUrl(base: string): string;
  probeCandidates(origin: string, masters: string[]): string[];
  backoffMs(attempt: number, base?: number, max?: number): number;
  leaderTarget(leader: string, origin: string, hash: string): string | undefined;
}
interface View {
  agents: Map<string, { id: string; hostname: string }>;
  samples: { time: number }[];
  snapshots: number;
}
interface FeedStateLib {
  EMPTY_VIEW: View;
  applyFeedMessage(v: View, msg: unknown, maxSamples?: number): View;
}
interface Tail {
  offset: number;
  text: string;
  clipped: boolean;
}
interface TailLib {
  tailStart(size: number): Tail;
  appendChunk(s: Tail, c: { data: string; offset: number }, keep?: number): Tail;
}
interface ChartLib {
  chartLines(
    samples: { time: number; cpus: number; mem: number; disk: number; gpus: number }[],
    box: { width: number; height: number; windowSecs: number },
  ): Record<string, string>;
}
interface SandboxLib {
  latestRun(entries: { path: string; mode: string }[]): string | undefined;
}

const task = (id: string, extra: Partial<Row> = {}): Row => ({
  id,
  name: id,
  framework_id: 'fw',
  agent_id: 'a1',
  state: 'TASK_RUNNING',
  ...extra,
});

describe('web UI helpers (packages/master/ui/src/lib)', function () {
  this.timeout(30_000);
  let rowsLib: TaskRowsLib;
  let filterLib: TaskFilterLib;

  before(async () => {
    rowsLib = await load<TaskRowsLib>('task-rows');
    filterLib = await load<TaskFilterLib>('task-filter');
  });

  describe('the task table', () => {
    it('places pages where the master put them and asks only for the pages a range lacks', () => {
      const { NO_ROWS, applyPage, missingPages } = rowsLib;
      expect(missingPages(NO_ROWS, 0, 30, new Set())).to.deep.equal([0]);
      const tasks = Array.from({ length: 10 }, (_, i) => task(`t${String(i + 20).padStart(3, '0')}`));
      const s = applyPage(NO_ROWS, { tasks, total: 250, offset: 20, limit: 10 });
      expect(s.total).to.equal(250);
      expect(s.rows[20]?.id).to.equal('t020');
      expect(s.rows[19]).to.equal(undefined);
      expect(s.index.get('fw/t029')).to.equal(29);
      // Rows 0..40 of pages of 10: pages 0, 1 and 4 lack rows; page 3 is in flight.
      expect(missingPages(s, 0, 40, new Set([3]), 10)).to.deep.equal([0, 1, 4]);
      // Past the end: nothing.
      expect(missingPages(s, 245, 400, new Set(), 10)).to.deep.equal([24]);
    });

    it('updates a shown task in place and keeps every other row object (memoised rows stay put)', () => {
      const { NO_ROWS, applyPage, applyTaskDelta } = rowsLib;
      const s = applyPage(NO_ROWS, { tasks: [task('a'), task('b'), task('c')], total: 3, offset: 0, limit: 100 });
      const next = applyTaskDelta(s, [task('b', { state: 'TASK_FINISHED' })], filterLib.EMPTY_FILTER);
      expect(next.rows.map((r) => r?.state)).to.deep.equal(['TASK_RUNNING', 'TASK_FINISHED', 'TASK_RUNNING']);
      expect(next.rows[0]).to.equal(s.rows[0]);
      expect(next.rows[2]).to.equal(s.rows[2]);
      expect(next.total).to.equal(3);
      // A delta for a task the filter does not select changes nothing: the same state object.
      const running = { ...filterLib.EMPTY_FILTER, state: ['TASK_RUNNING'] };
      expect(applyTaskDelta(s, [task('z', { state: 'TASK_FAILED' })], running)).to.equal(s);
    });

    it("inserts a new matching task where the master's order puts it, ascending and descending", () => {
      const { NO_ROWS, applyPage, applyTaskDelta } = rowsLib;
      const asc = applyPage(NO_ROWS, { tasks: [task('a'), task('c'), task('e')], total: 3, offset: 0, limit: 100 });
      const added = applyTaskDelta(
        asc,
        [task('d'), task('b'), task('a', { framework_id: 'fw0' })],
        filterLib.EMPTY_FILTER,
      );
      expect(added.rows.map((r) => `${r?.framework_id}/${r?.id}`)).to.deep.equal([
        'fw/a',
        'fw0/a',
        'fw/b',
        'fw/c',
        'fw/d',
        'fw/e',
      ]);
      expect(added.total).to.equal(6);
      expect(added.index.get('fw/d')).to.equal(4);
      // Next to rows not loaded yet, a task not shown may be one of them: it waits for its page.
      const sparse = applyPage(NO_ROWS, { tasks: [task('m'), task('n')], total: 5, offset: 2, limit: 2 });
      const unknown = applyTaskDelta(sparse, [task('b'), task('z')], filterLib.EMPTY_FILTER);
      expect(unknown).to.equal(sparse);
      const between = applyTaskDelta(sparse, [task('mm')], filterLib.EMPTY_FILTER);
      expect(between.rows.map((r) => r?.id)).to.deep.equal([undefined, undefined, 'm', 'mm', 'n', undefined]);
      expect(between.index.get('fw/n')).to.equal(4);
      const desc = { ...filterLib.EMPTY_FILTER, order: 'desc' as const };
      const d = applyPage(NO_ROWS, { tasks: [task('e'), task('c')], total: 2, offset: 0, limit: 100 });
      expect(applyTaskDelta(d, [task('f'), task('d')], desc).rows.map((r) => r?.id)).to.deep.equal([
        'f',
        'e',
        'd',
        'c',
      ]);
    });

    it('filters as the master does: framework, agent, any of the states, and name or ID in any case', () => {
      const { taskMatches, EMPTY_FILTER, tasksQuery } = filterLib;
      const t = task('web.1', { name: 'Web Server', agent_id: 'a2' });
      expect(taskMatches({ ...EMPTY_FILTER, name: 'SERVER' }, t)).to.equal(true);
      expect(taskMatches({ ...EMPTY_FILTER, name: 'WEB.1' }, t)).to.equal(true);
      expect(taskMatches({ ...EMPTY_FILTER, name: 'db' }, t)).to.equal(false);
      expect(taskMatches({ ...EMPTY_FILTER, state: ['TASK_FAILED', 'TASK_RUNNING'] }, t)).to.equal(true);
      expect(taskMatches({ ...EMPTY_FILTER, state: ['TASK_FAILED'] }, t)).to.equal(false);
      expect(taskMatches({ ...EMPTY_FILTER, agent_id: 'a1' }, t)).to.equal(false);
      expect(taskMatches({ ...EMPTY_FILTER, framework_id: 'other' }, t)).to.equal(false);
      const q = new URLSearchParams(
        tasksQuery({ ...EMPTY_FILTER, state: ['TASK_RUNNING', 'TASK_FAILED'], name: 'a b' }, 200, 100).split('?')[1],
      );
      expect(Object.fromEntries(q)).to.deep.equal({
        state: 'TASK_RUNNING,TASK_FAILED',
        name: 'a b',
        order: 'asc',
        offset: '200',
        limit: '100',
      });
    });
  });

  it('routes: hashes round-trip, task IDs are decoded, bad ones are a not-found page', async () => {
    const { parseRoute, routeHash } = await load<RouteLib>('route');
    const hash = '#/tasks?framework_id=f%201&agent_id=a&state=TASK_RUNNING%2CTASK_FAILED&name=x&order=desc';
    const route = parseRoute(hash);
    expect(route.filter).to.deep.equal({
      framework_id: 'f 1',
      agent_id: 'a',
      state: ['TASK_RUNNING', 'TASK_FAILED'],
      name: 'x',
      order: 'desc',
    });
    expect(parseRoute(routeHash(route))).to.deep.equal(route);
    expect(parseRoute('#/tasks/web%2F1?framework_id=fw')).to.deep.equal({
      page: 'task',
      taskId: 'web/1',
      frameworkId: 'fw',
    });
    expect(routeHash({ page: 'task', taskId: 'web/1', frameworkId: 'fw' })).to.equal('#/tasks/web%2F1?framework_id=fw');
    expect(parseRoute('#/tasks/%E0%A4%A')).to.deep.equal({ page: 'not-found', path: '/tasks/%E0%A4%A' });
    expect(parseRoute('').page).to.equal('overview');
    expect(parseRoute('#/agents/').page).to.equal('agents');
  });

  it('following the leader: feed URLs, masters to try, backoff, and where to go', async () => {
    const { feedUrl, probeCandidates, backoffMs, leaderTarget } = await load<FailoverLib>('failover');
    expect(feedUrl('http://10.0.0.1:5050')).to.equal('ws://10.0.0.1:5050/api/v1/feed');
    expect(feedUrl('https://m.example/x?y')).to.equal('wss://m.example/api/v1/feed');
    expect(probeCandidates('http://a:1', ['http://b:2/', 'http://a:1', 'not a url', 'http://c:3'])).to.deep.equal([
      'http://a:1',
      'http://b:2',
      'http://c:3',
    ]);
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => backoffMs(n))).to.deep.equal([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(leaderTarget('http://b:2', 'http://a:1', '#/tasks?state=TASK_RUNNING')).to.equal(
      'http://b:2/#/tasks?state=TASK_RUNNING',
    );
    expect(leaderTarget('http://a:1/', 'http://a:1', '#/')).to.equal(undefined);
    expect(leaderTarget('', 'http://a:1', '#/')).to.equal(undefined);
  });

  it("the feed's view: a snapshot, deltas that keep unchanged rows, and a bounded sample ring", async () => {
    const { EMPTY_VIEW, applyFeedMessage } = await load<FeedStateLib>('feed-state');
    const agent = (id: string, hostname: string): { id: string; hostname: string } => ({ id, hostname });
    const snapshot = {
      type: 'SNAPSHOT',
      summary: {},
      agents: [agent('a1', 'h1'), agent('a2', 'h2')],
      frameworks: [],
      offers: [],
      samples: [1, 2, 3].map((time) => ({ time, cpus: 0, mem: 0, disk: 0, gpus: 0 })),
    };
    const v1 = applyFeedMessage(EMPTY_VIEW, snapshot, 3);
    expect(v1.snapshots).to.equal(1);
    const a1 = v1.agents.get('a1');
    const v2 = applyFeedMessage(v1, { type: 'AGENTS', upserted: [agent('a2', 'h2-new')], removed: [] }, 3);
    expect(v2.agents.get('a1')).to.equal(a1);
    expect(v2.agents.get('a2')?.hostname).to.equal('h2-new');
    const v3 = applyFeedMessage(v2, { type: 'AGENTS', upserted: [], removed: ['a1', 'nope'] }, 3);
    expect([...v3.agents.keys()]).to.deep.equal(['a2']);
    expect(applyFeedMessage(v3, { type: 'AGENTS', upserted: [], removed: ['nope'] }, 3)).to.equal(v3);
    const v4 = applyFeedMessage(v3, { type: 'SAMPLE', sample: { time: 4, cpus: 0, mem: 0, disk: 0, gpus: 0 } }, 3);
    expect(v4.samples.map((s) => s.time)).to.deep.equal([2, 3, 4]);
  });

  it('the log tail: starts near the end, advances by UTF-8 bytes, starts over when the file shrinks', async () => {
    const { tailStart, appendChunk } = await load<TailLib>('tail');
    expect(tailStart(100)).to.deep.equal({ offset: 0, text: '', clipped: false });
    expect(tailStart(1_000_000).offset).to.equal(1_000_000 - 64 * 1024);
    let t = tailStart(0);
    t = appendChunk(t, { data: 'héllo\n', offset: 0 });
    expect(t.offset).to.equal(7); // é is two bytes
    t = appendChunk(t, { data: '', offset: 7 });
    expect(t.text).to.equal('héllo\n');
    t = appendChunk(t, { data: 'world\n', offset: 7 }, 8);
    expect(t).to.deep.equal({ offset: 13, text: 'o\nworld\n', clipped: true });
    t = appendChunk(t, { data: 'new', offset: 0 });
    expect(t).to.deep.equal({ offset: 3, text: 'new', clipped: false });
  });

  it('the chart keeps the samples of the window, scaled into the box, and the newest run of a sandbox wins', async () => {
    const { chartLines } = await load<ChartLib>('chart');
    const s = (
      time: number,
      cpus: number,
    ): { time: number; cpus: number; mem: number; disk: number; gpus: number } => ({
      time,
      cpus,
      mem: 2,
      disk: -1,
      gpus: 0,
    });
    const lines = chartLines([s(0, 1), s(100, 0.5), s(200, 0)], { width: 200, height: 50, windowSecs: 100 });
    // The first sample is older than the window; the others span the width.
    expect(lines['cpus']).to.equal('0,25 200,50');
    expect(lines['mem']).to.equal('0,0 200,0'); // clamped to 100%
    expect(lines['disk']).to.equal('0,50 200,50'); // clamped to 0
    const { latestRun } = await load<SandboxLib>('sandbox');
    const dir = (p: string): { path: string; mode: string } => ({ path: p, mode: 'drwxr-xr-x' });
    expect(
      latestRun([dir('x/run-9'), dir('x/run-10'), { path: 'x/run-11', mode: '-rw-r--r--' }, dir('x/other')]),
    ).to.equal('x/run-10');
    expect(latestRun([])).to.equal(undefined);
  });
});
