import { expect } from 'chai';
import { runInNewContext } from 'node:vm';
import { startChronosHttp, type ChronosHttp } from '../../src/api/index.js';
import { POLL_INTERVAL_MS } from '../../src/ui/app-script.js';
import { FakeChronosService } from '../api/fake-service.js';
import { call } from '../api/http-client.js';

interface FakeElement {
  innerHTML: string;
  textContent: string;
  className: string;
  hidden: boolean;
}

interface ClickEvent {
  target: { getAttribute(name: string): string | null };
  preventDefault(): void;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Runs ui/app.js against a minimal DOM holding exactly the page's element IDs,
// with fetch going to the real server (relative URLs resolved as a browser would).
function runApp(script: string, html: string, base: string) {
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1] ?? '');
  const elements = new Map<string, FakeElement>(
    ids.map((id) => [id, { innerHTML: '', textContent: '', className: '', hidden: false }]),
  );
  const requests: string[] = [];
  const clicks: ((event: ClickEvent) => void)[] = [];
  const intervals: number[] = [];
  const context = {
    document: {
      getElementById: (id: string) => elements.get(id) ?? null,
      addEventListener: (type: string, fn: (event: ClickEvent) => void) => {
        if (type === 'click') clicks.push(fn);
      },
    },
    fetch: (url: string, init: { method?: string }) => {
      const resolved = new URL(url, `${base}/`);
      requests.push(`${init.method ?? 'GET'} ${resolved.pathname}`);
      return fetch(resolved, init);
    },
    setInterval: (_fn: unknown, ms: number) => intervals.push(ms),
    encodeURIComponent,
  };
  runInNewContext(script, context);
  const click = (attribute: string, value: string): void => {
    const event: ClickEvent = {
      target: { getAttribute: (name) => (name === attribute ? value : null) },
      preventDefault: () => undefined,
    };
    for (const fn of clicks) fn(event);
  };
  const element = (id: string): FakeElement => {
    const found = elements.get(id);
    if (found === undefined) throw new Error(`the page has no #${id}`);
    return found;
  };
  return { element, requests, intervals, click };
}

describe('chronos web page', () => {
  let service: FakeChronosService;
  let http: ChronosHttp;

  beforeEach(async () => {
    service = new FakeChronosService();
    http = await startChronosHttp(service, { host: '127.0.0.1', port: 0 });
  });
  afterEach(() => http.close());

  async function load() {
    const page = await call(`${http.url}/`);
    const src = /<script src="([^"]+)"/.exec(page.text)?.[1];
    expect(src, 'script tag').to.be.a('string');
    const script = await call(new URL(src ?? '', `${http.url}/`).toString());
    return { page, script };
  }

  it('serves HTML at / that loads the script, served as JavaScript', async () => {
    const { page, script } = await load();
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(page.text).to.match(/^<!doctype html>/);
    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(() => new Function(script.text)).not.to.throw();
  });

  it('fetches jobs and the graph JSON, and renders the table and the graph', async () => {
    const { page, script } = await load();
    const app = runApp(script.text, page.text, http.url);
    await until(() => app.element('jobs').innerHTML.includes('extract'), 'the job table');
    await until(() => app.element('graph-svg').innerHTML.includes('<svg'), 'the graph');
    expect(app.requests).to.have.members(['GET /v1/scheduler/jobs', 'GET /v1/scheduler/graph/json']);
    expect(app.intervals).to.deep.equal([POLL_INTERVAL_MS]);

    const rows = app
      .element('jobs')
      .innerHTML.split('</tr>')
      .filter((r) => r.includes('<td'));
    expect(rows).to.have.length(2);
    const [extract, loadRow] = rows;
    expect(extract).to.contain('R/2030-01-01T02:00:00.000Z/P1D');
    expect(extract).to.contain('<td>2030-01-01T02:00:00.000Z</td>'); // next run, from the schedule
    expect(extract).to.match(/<td class="num">3<\/td><td class="num">1<\/td>/);
    expect(loadRow).to.contain('after extract');
    expect(loadRow).to.contain('when its parents succeed');
    expect(loadRow).to.contain('never run');
    expect(app.element('edges').innerHTML).to.equal('<li>extract → load</li>');
    // Two levels: extract in the first column, load in the second.
    expect(app.element('graph-svg').innerHTML).to.match(/<rect x="10" y="10"[^>]*>.*extract/);
    expect(app.element('graph-svg').innerHTML).to.match(/<rect x="230" y="10"[^>]*>.*load/);
    expect(app.element('status').textContent).to.match(/^2 jobs, updated/);
  });

  it('escapes job fields', async () => {
    service.jobs = [{ name: 'x', command: 'c', schedule: '<b>R/now</b>', successCount: 0, errorCount: 0 }];
    const { page, script } = await load();
    const app = runApp(script.text, page.text, http.url);
    await until(() => app.element('jobs').innerHTML.includes('R/now'), 'the job table');
    expect(app.element('jobs').innerHTML).to.contain('&lt;b&gt;R/now&lt;/b&gt;');
  });

  it('loads a job history from job/stat and runs a job with PUT job/{name}', async () => {
    const { page, script } = await load();
    const app = runApp(script.text, page.text, http.url);
    await until(() => app.element('jobs').innerHTML.includes('extract'), 'the job table');
    app.click('data-history', 'extract');
    await until(() => app.element('history').innerHTML.includes('extract@1000'), 'the history');
    expect(app.requests).to.include('GET /v1/scheduler/job/stat/extract');
    expect(app.element('history-section').hidden).to.equal(false);
    expect(app.element('history').innerHTML).to.contain('3.0 s');

    app.click('data-run', 'load');
    await until(() => service.callsOf('runJob').length === 1, 'the run');
    expect(app.requests).to.include('PUT /v1/scheduler/job/load');
    await until(() => app.element('status').textContent.includes('started load'), 'the status line');
  });

  it('shows the API error when the jobs cannot be loaded', async () => {
    service.leader = false;
    const { page, script } = await load();
    const app = runApp(script.text, page.text, http.url);
    await until(() => app.element('status').className === 'error', 'the error');
    expect(app.element('status').textContent).to.contain('no leader is elected yet');
  });
});
