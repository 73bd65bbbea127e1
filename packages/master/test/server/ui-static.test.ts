// The web UI's files as the master's HTTP server serves them: index.html
// uncached, hashed assets cached for long, nothing outside the UI directory,
// and a 503 that says how to build the UI when it is not built.
import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@mesocosm/protocol';
import { MasterCore } from '../../src/core/master-core.js';
import { resolveOptions } from '../../src/options.js';
import { InMemoryRegistry } from '../../src/registry/in-memory-registry.js';
import { startHttpServer, stopHttpServer, type HttpEdge } from '../../src/server/http.js';
import { DEFAULT_UI_DIR } from '../../src/server/ui-static.js';

async function serve(uiDir: string): Promise<{ edge: HttpEdge; url: string }> {
  const options = resolveOptions({ logger: silentLogger, hostname: 'm' });
  const core = new MasterCore(options, new InMemoryRegistry(), { id: 'M', ip: '127.0.0.1', port: 0 });
  const edge = await startHttpServer(core, '127.0.0.1', 0, { uiDir });
  return { edge, url: `http://127.0.0.1:${edge.port}` };
}

/** A GET with the path sent as is (fetch would normalise `..` away). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web UI files served by the master', () => {
  let dir: string;
  let edge: HttpEdge;
  let url: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesocosm-ui-'));
    await mkdir(join(dir, 'ui', 'assets'), { recursive: true });
    await writeFile(join(dir, 'ui', 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dir, 'ui', 'assets', 'index-abc123.js'), 'console.log("ui")');
    await writeFile(join(dir, 'ui', 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt'), 'not for the web');
    ({ edge, url } = await serve(join(dir, 'ui')));
  });

  after(async () => {
    await stopHttpServer(edge);
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and /index.html, never cached', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).to.equal('no-cache');
      expect(await res.text()).to.include('<div id="root">');
    }
    const head = await fetch(`${url}/`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-length')).to.equal(String('<!doctype html><div id="root"></div>'.length));
  });

  it('serves hashed assets with their type, cached for a year', async () => {
    const js = await fetch(`${url}/assets/index-abc123.js`);
    expect(js.status).to.equal(200);
    expect(js.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect(await js.text()).to.equal('console.log("ui")');
    const css = await fetch(`${url}/assets/index-abc123.css`);
    expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    const missing = await fetch(`${url}/assets/nope.js`);
    expect(missing.status).to.equal(404);
  });

  it('never serves a file outside the UI directory', async () => {
    for (const path of [
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
    ]) {
      const res = await rawGet(url, path);
      expect(res.status, path).to.not.equal(200);
      expect(res.body, path).to.not.include('not for the web');
    }
    const res = await rawGet(url, '/assets/%2e%2e%2findex.html');
    expect(res.status).to.equal(404);
  });

  it('answers 503 saying how to build the UI when it is not built', async () => {
    const empty = await serve(join(dir, 'missing'));
    try {
      const res = await fetch(`${empty.url}/`);
      expect(res.status).to.equal(503);
      expect(res.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
      const text = await res.text();
      expect(text).to.match(/web UI is not built/);
      expect(text).to.include('vite build');
      // The API is there meanwhile.
      expect((await fetch(`${empty.url}/health`)).status).to.equal(200);
    } finally {
      await stopHttpServer(empty.edge);
    }
  });

  it('looks for the built UI in lib/ui next to the compiled server', () => {
    expect(DEFAULT_UI_DIR.replace(/\\/g, '/')).to.match(/packages\/master\/lib\/ui\/$/);
  });
});
