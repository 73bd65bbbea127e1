// The master's web UI in Debian's Chromium (playwright-core) against a real
// LocalCluster: the overview's totals, a framework's task appearing live on
// the Tasks page, its stdout read from the sandbox, the Frameworks and Offers
// pages, drain and undrain from the Agents page (offers stop, then resume),
// and teardown. Each page's screenshot goes to .test-results/screenshots/.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { Scheduler, SchedulerDriver, silentLogger, taskStateName, type ITaskStatus } from '@mesocosm/framework-sdk';
import type { MasterState } from '@mesocosm/master';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import { dataValue, launchChromium, openPage, screenshot, waitLive } from './browser.js';
import { OfferHolder } from './offer-holder.js';

/** What the overview must add up to: the agents' configured resources. */
const AGENTS = [
  { hostname: 'ui-a', attributes: 'rack:r1;zone:z1', resources: 'cpus:3;mem:1536;disk:3000;ports:[35000-35009]' },
  { hostname: 'ui-b', attributes: 'rack:r2', resources: 'cpus:1.5;mem:512;disk:1000;ports:[35010-35019]' },
];
const TOTALS = { cpus: 4.5, mem: 2048, disk: 4000, gpus: 0 };

interface Summary {
  cluster: Record<'cpus' | 'mem' | 'disk' | 'gpus', { total: number; used: number; offered: number }>;
  agents: { active: number };
}

describe('master web UI in Chromium on a LocalCluster', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let cluster: LocalCluster;
  let page: Page;
  let scheduler: Scheduler | undefined;
  let holder: OfferHolder | undefined;
  const errors: string[] = [];
  const token = `ui-token-${process.pid}-${Date.now().toString(36)}`;
  const taskId = `ui-echo-${Date.now().toString(36)}`;
  const statuses = new Map<string, ITaskStatus>();
  let appFrameworkId = '';
  let holderFrameworkId = '';

  before(async function () {
    browser = await launchChromium(this);
    cluster = await LocalCluster.start({ agents: AGENTS });
    await cluster.waitForAgents(AGENTS.length);
    page = await openPage(browser, errors);
  });

  after(async () => {
    await holder?.stop().catch(() => undefined);
    await scheduler?.driver.teardown().catch(() => undefined);
    await scheduler?.stop().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  afterEach(function () {
    // An uncaught error in the page fails the test that caused it.
    if (this.currentTest?.state === 'passed') expect(errors, 'errors in the page').to.deep.equal([]);
  });

  const summary = (): Promise<Summary> => fetchJson<Summary>(`${cluster.masterHttp}/master/state-summary`);
  const state = (): Promise<MasterState> => fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);

  it('the overview shows the cluster totals the agents were given, as /master/state-summary has them', async () => {
    await page.goto(`${cluster.masterHttp}/`);
    await waitLive(page);
    const fromMaster = await summary();
    for (const name of ['cpus', 'mem', 'disk', 'gpus'] as const) {
      expect(fromMaster.cluster[name].total, `${name} in /master/state-summary`).to.equal(TOTALS[name]);
      expect(await dataValue(page, `total-${name}`), `total-${name} on the page`).to.equal(TOTALS[name]);
      expect(await dataValue(page, `used-${name}`), `used-${name} on the page`).to.equal(0);
    }
    expect(await page.getByTestId('total-mem').textContent()).to.equal('2 GB');
    expect(await dataValue(page, 'count-agents-active')).to.equal(2);
    expect(await page.getByTestId('leader-url').textContent()).to.equal(cluster.masterHttp);
    // The chart fills from the feed's SAMPLE messages.
    await waitFor(async () => Number(await page.getByTestId('allocation-chart').getAttribute('data-samples')) >= 2, {
      message: 'two allocation samples on the chart',
    });
    await screenshot(page, 'overview');
  });

  it('a task a framework starts appears on the Tasks page without a reload, and the overview counts it', async () => {
    await page.getByTestId('nav-tasks').click();
    await page.getByTestId('tasks-total').filter({ hasText: '0 tasks' }).waitFor();
    // Set in this page load: a reload would lose it.
    await page.evaluate("globalThis.uiE2eMarker = 'same page'");

    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'ui-e2e-app', user: 'nobody', roles: ['*'] },
      logger: silentLogger,
    });
    scheduler = new Scheduler(driver, {
      logger: silentLogger,
      onUpdate: (s) => void statuses.set(s.taskId?.value ?? '', s),
    });
    scheduler.want('/echo', [
      {
        taskId,
        resources: 'cpus:0.25;mem:64',
        command: { value: `echo ${token}; echo to-stderr-${token} >&2; sleep 300` },
      },
    ]);
    appFrameworkId = (await scheduler.start()).frameworkId;

    await page.getByTestId(`task-row-${taskId}`).waitFor({ timeout: 30_000 });
    await page.getByTestId(`task-state-${taskId}`).filter({ hasText: 'running' }).waitFor({ timeout: 30_000 });
    expect(taskStateName(statuses.get(taskId)?.state)).to.equal('TASK_RUNNING');
    expect(await page.evaluate('globalThis.uiE2eMarker')).to.equal('same page');
    expect(await page.getByTestId('tasks-total').textContent()).to.equal('1 task');
    await screenshot(page, 'tasks');

    // The server-side filter: a name that matches nothing empties the table, the task's name brings it back.
    await page.getByTestId('filter-name').fill('no-such-task');
    await page.getByTestId('tasks-total').filter({ hasText: '0 tasks' }).waitFor();
    expect(await page.getByTestId(`task-row-${taskId}`).count()).to.equal(0);
    await page.getByTestId('filter-name').fill(taskId.toUpperCase());
    await page.getByTestId(`task-row-${taskId}`).waitFor();
    expect(page.url()).to.contain(`name=${taskId.toUpperCase()}`);

    await page.getByTestId('nav-overview').click();
    await page.getByTestId('count-tasks-TASK_RUNNING').waitFor();
    await waitFor(async () => (await dataValue(page, 'used-cpus')) === 0.25, {
      message: 'used cpus 0.25 on the overview',
    });
    expect((await summary()).cluster.cpus.used).to.equal(0.25);
  });

  it("the task's page shows its stdout and stderr from the sandbox, and its status history", async () => {
    await page.goto(`${cluster.masterHttp}/#/tasks?name=${taskId}`);
    await page.getByTestId(`task-link-${taskId}`).click();
    await page.getByTestId('task-detail-state').filter({ hasText: 'TASK_RUNNING' }).waitFor();
    await page.getByTestId('stdout-view').filter({ hasText: token }).waitFor({ timeout: 20_000 });
    await page
      .getByTestId('stderr-view')
      .filter({ hasText: `to-stderr-${token}` })
      .waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('stdout-view').textContent()).to.not.contain('to-stderr-');
    const history = await page.getByTestId('status-history').textContent();
    expect(history).to.contain('running');
    // The sandbox browser lists the run's files.
    await page.getByTestId('sandbox-entry-stdout').waitFor();
    await screenshot(page, 'task');
  });

  it('the Frameworks and Offers pages list the frameworks and the outstanding offers', async () => {
    holder = new OfferHolder(cluster.masterGrpc, 'ui-e2e-holder');
    holderFrameworkId = await holder.start();
    const h = holder;
    await waitFor(() => new Set(h.offers.map((o) => o.agentId)).size === 2, {
      timeoutMs: 20_000,
      message: 'the holder offered both agents',
    });
    await page.getByTestId('nav-frameworks').click();
    await page.getByTestId(`framework-row-${appFrameworkId}`).waitFor();
    await page.getByTestId(`framework-row-${holderFrameworkId}`).waitFor();
    expect(await page.getByTestId(`framework-state-${appFrameworkId}`).textContent()).to.equal('connected');
    expect(await page.getByTestId(`framework-tasks-${appFrameworkId}`).textContent()).to.equal('1 running');
    await screenshot(page, 'frameworks');

    await page.getByTestId('nav-offers').click();
    const outstanding = (await state()).offers;
    expect(outstanding.length).to.be.greaterThan(0);
    for (const o of outstanding) await page.getByTestId(`offer-row-${o.id}`).waitFor();
    await screenshot(page, 'offers');
  });

  it('draining an agent from the Agents page stops offers for it; undraining brings them back', async () => {
    const h = holder!;
    const withTask = (await state()).frameworks.flatMap((f) => f.tasks).find((t) => t.id === taskId)?.slave_id;
    const agent = cluster.agents.find((a) => a.agentId !== withTask);
    const agentId = agent?.agentId ?? '';
    expect(agentId).to.not.equal('');
    expect(
      (await state()).offers.some((o) => o.slave_id === agentId),
      'an outstanding offer for the agent',
    ).to.equal(true);

    await page.getByTestId('nav-agents').click();
    await page.getByTestId(`agent-row-${agentId}`).waitFor();
    expect(await page.getByTestId(`drain-state-${agentId}`).textContent()).to.equal('ACTIVE');
    // Its configured cpus (the task may have landed on either agent, so look it up).
    const configured = /cpus:([\d.]+)/.exec(AGENTS[agent?.index ?? -1]?.resources ?? '')?.[1];
    expect(await page.getByTestId(`agent-cpus-${agentId}`).getAttribute('data-total')).to.equal(configured);
    await page.getByTestId(`drain-${agentId}`).click();
    await page.getByTestId(`drain-${agentId}-confirm`).click();
    await page
      .getByTestId(`drain-state-${agentId}`)
      .filter({ hasText: /^DRAIN(ING|ED)$/ })
      .waitFor();
    await page.getByTestId(`undrain-${agentId}`).waitFor();

    // The master agrees: deactivated, draining, and no outstanding offer for it.
    const drained = await waitFor(
      async () => {
        const s = await state();
        const a = s.slaves.find((x) => x.id === agentId);
        return a?.deactivated && a.drain_info && !s.offers.some((o) => o.slave_id === agentId) && a;
      },
      { message: 'the agent drained, without offers, in /master/state' },
    );
    expect(drained.drain_info?.state).to.match(/^DRAIN(ING|ED)$/);
    await screenshot(page, 'agents');

    // Offers flow again for the other agent, never for the drained one.
    const since = Date.now();
    h.declineAll();
    const other = cluster.agents.find((a) => a.agentId !== agentId)?.agentId ?? '';
    await waitFor(() => h.offersFor(other, since).length > 0, {
      timeoutMs: 15_000,
      message: 'a new offer for the other agent',
    });
    expect(h.offersFor(agentId, since), 'offers for the drained agent').to.deep.equal([]);
    expect((await state()).offers.filter((o) => o.slave_id === agentId)).to.deep.equal([]);

    // Undrain: active again, and offered again.
    await page.getByTestId(`undrain-${agentId}`).click();
    await page.getByTestId(`undrain-${agentId}-confirm`).click();
    await page.getByTestId(`drain-state-${agentId}`).filter({ hasText: 'ACTIVE' }).waitFor();
    await waitFor(() => h.offersFor(agentId, since).length > 0, {
      timeoutMs: 15_000,
      message: 'an offer for the undrained agent',
    });
    const again = (await state()).slaves.find((x) => x.id === agentId);
    expect(again?.deactivated).to.equal(false);
  });

  it('tearing a framework down from the Frameworks page removes it', async () => {
    await page.getByTestId('nav-frameworks').click();
    await page.getByTestId(`teardown-${holderFrameworkId}`).click();
    await page.getByTestId(`teardown-${holderFrameworkId}-confirm`).click();
    await page.getByTestId(`framework-row-${holderFrameworkId}`).waitFor({ state: 'detached' });
    await waitFor(async () => !(await state()).frameworks.some((f) => f.id === holderFrameworkId), {
      message: 'the holder gone from /master/state',
    });
    expect(await page.getByTestId(`framework-row-${appFrameworkId}`).count()).to.equal(1);
  });
});
