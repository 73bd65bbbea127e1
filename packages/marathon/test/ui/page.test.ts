import { expect } from 'chai';
import { runInNewContext } from 'node:vm';
import type { MarathonHttp } from '../../src/api/index.js';
import { UI_EVENT_TYPES } from '../../src/ui/index.js';
import type { FakeMarathonService } from '../api/fake-service.js';
import { call, startFake, waitFor } from '../api/helpers.js';

/** A stand-in for the browser: elements by id, fetch against the server, a recording EventSource. */
function fakeBrowser(base: string) {
  const elements = new Map<string, { innerHTML: string; textContent: string; className: string }>();
  for (const id of ['status', 'apps', 'tasks', 'deployments']) {
    elements.set(id, { innerHTML: '', textContent: '', className: '' });
  }
  const fetched: string[] = [];
  const sources: { url: string; listeners: Map<string, () => void> }[] = [];
  class EventSource {
    readonly listeners = new Map<string, () => void>();
    constructor(readonly url: string) {
      sources.push(this);
    }
    addEventListener(type: string, fn: () => void): void {
      this.listeners.set(type, fn);
    }
  }
  const context = {
    document: { getElementById: (id: string) => elements.get(id) ?? null },
    fetch: (url: string, init?: RequestInit) => {
      fetched.push(url);
      return fetch(`${base}${url}`, init);
    },
    EventSource,
    setTimeout,
    setInterval,
    Date,
    Promise,
  };
  return { context, elements, fetched, sources };
}

describe('ui: the web page', () => {
  let fake: FakeMarathonService;
  let http: MarathonHttp;

  beforeEach(async () => {
    ({ fake, http } = await startFake());
  });
  afterEach(() => http.close());

  it('serves HTML at / and /ui/ that loads the script, and the script itself', async () => {
    for (const path of ['/', '/ui/']) {
      const page = await call(http.url, 'GET', path);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.text).to.match(/<script src="\/ui\/app\.js" defer><\/script>/);
      expect(page.text).to.include('id="apps"');
    }
    const script = await call(http.url, 'GET', '/ui/app.js');
    expect(script.headers.get('content-type')).to.match(/^text\/javascript/);
    expect(script.text).to.include('/v2/events');
  });

  it('renders apps, tasks and deployments, and reads them again on a bus event', async () => {
    fake.apps.set('/web', { id: '/web', instances: 2 });
    fake.taskList = [{ id: 'web.1', appId: '/web', host: 'h1', ports: [31000], state: 'TASK_RUNNING' }];
    fake.deploymentList = [{ id: 'dep-<1>', affectedApps: ['/web'], currentStep: 1, totalSteps: 2 }];
    const script = (await call(http.url, 'GET', '/ui/app.js')).text;
    const browser = fakeBrowser(http.url);
    runInNewContext(script, browser.context);

    await waitFor('the first render', () => browser.elements.get('apps')?.innerHTML.includes('/web') === true);
    expect(browser.fetched).to.have.members([
      '/v2/apps?embed=apps.tasks&embed=apps.counts&embed=apps.deployments',
      '/v2/deployments',
    ]);
    expect(fake.callsOf('listApps')[0]?.[0]).to.deep.include({ embed: ['counts', 'deployments', 'tasks'] });
    expect(browser.elements.get('tasks')?.innerHTML).to.include('web.1').and.include('h1');
    // Ids are escaped, not injected.
    expect(browser.elements.get('deployments')?.innerHTML).to.include('dep-&lt;1&gt;');

    const source = browser.sources[0];
    const url = new URL(source?.url ?? '', 'http://x');
    expect(url.pathname).to.equal('/v2/events');
    expect(url.searchParams.getAll('event_type')).to.deep.equal([...UI_EVENT_TYPES]);

    fake.apps.set('/db', { id: '/db', instances: 1 });
    source?.listeners.get('status_update_event')?.();
    await waitFor('a render after the event', () => browser.elements.get('apps')?.innerHTML.includes('/db') === true);
    expect(browser.fetched).to.have.length(4);
  });
});
