import { expect } from 'chai';
import { request } from 'node:http';
import { NotLeaderError } from '@mesocosm/framework-sdk/ha';
import type { MarathonHttp } from '../../src/api/index.js';
import type { FakeMarathonService } from './fake-service.js';
import { call, startFake } from './helpers.js';

/** Sends a body of `size` bytes without a content-length (chunked), so the limit is found while reading. */
function postChunked(base: string, path: string, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

describe('api: errors', () => {
  let fake: FakeMarathonService;
  let http: MarathonHttp;
  let base: string;
  const logged: string[] = [];

  beforeEach(async () => {
    logged.length = 0;
    const logger = {
      error: (m: string) => void logged.push(m),
      warn: () => {},
      info: () => {},
      debug: () => {},
      child: () => logger,
    };
    ({ fake, http } = await startFake({ logger }));
    base = http.url;
  });
  afterEach(() => http.close());

  it('answers malformed JSON with 400 naming what is wrong, and an empty body with 400', async () => {
    const bad = await call(base, 'POST', '/v2/apps', '{"id": "web",');
    expect(bad.status).to.equal(400);
    expect((bad.json as { message: string }).message).to.match(
      /^Invalid JSON in request body \(expected an app definition\): /,
    );
    const empty = await call(base, 'POST', '/v2/apps', '');
    expect(empty.status).to.equal(400);
    expect((empty.json as { message: string }).message).to.match(/empty/);
    expect(fake.callsOf('createApp')).to.have.length(0);
  });

  it('answers unknown routes with 404 and a wrong method with 405 and Allow', async () => {
    const unknown = await call(base, 'GET', '/v2/nothing');
    expect(unknown.status).to.equal(404);
    expect(unknown.json).to.deep.equal({ message: 'No such endpoint: /v2/nothing' });
    const wrong = await call(base, 'POST', '/v2/deployments');
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.get('allow')).to.equal('GET');
    expect((await call(base, 'DELETE', '/ping')).status).to.equal(405);
  });

  it('refuses a body over 1 MB with 413, by its length or while reading it', async () => {
    const big = JSON.stringify({ id: 'web', cmd: 'x'.repeat(1024 * 1024 + 10) });
    const declared = await call(base, 'POST', '/v2/apps', big);
    expect(declared.status).to.equal(413);
    expect((declared.json as { message: string }).message).to.match(/larger than 1048576 bytes/);
    const chunked = await postChunked(base, '/v2/apps', 2 * 1024 * 1024);
    expect(chunked.status).to.equal(413);
    expect(fake.callsOf('createApp')).to.have.length(0);
    // The server is still serving.
    expect((await call(base, 'GET', '/ping')).status).to.equal(200);
  });

  it('answers an untyped failure with 500 and a message, and logs it', async () => {
    fake.failNext = new Error('disk on fire');
    const res = await call(base, 'PUT', '/v2/apps/web', { cmd: 'x' });
    expect(res.status).to.equal(500);
    expect(res.json).to.deep.equal({ message: 'Internal server error: disk on fire' });
    expect(logged).to.deep.equal(['request failed']);
  });

  it('answers 503 when leadership is lost during a request and no leader is known', async () => {
    fake.failNext = new NotLeaderError('update app', undefined);
    const res = await call(base, 'PUT', '/v2/apps/web', { cmd: 'x' });
    expect(res.status).to.equal(503);
    expect((res.json as { message: string }).message).to.match(/leader/);
  });
});
