import { expect } from 'chai';
import { MesocosmError } from '@mesocosm/framework-sdk';
import { startChronosHttp, MAX_BODY_BYTES, type ChronosHttp } from '../../src/api/index.js';
import { InvalidScheduleError, JobValidationError } from '../../src/errors.js';
import { FakeChronosService } from './fake-service.js';
import { call, chunkedPost } from './http-client.js';

describe('chronos API errors', () => {
  let service: FakeChronosService;
  let http: ChronosHttp;
  let api: string;

  beforeEach(async () => {
    service = new FakeChronosService();
    http = await startChronosHttp(service, { host: '127.0.0.1', port: 0 });
    api = `${http.url}/v1/scheduler`;
  });
  afterEach(() => http.close());

  it('answers a refused job with 400 and every problem', async () => {
    service.failNext = new JobValidationError(
      [
        { field: 'schedule', message: "'R/x/P1D' has no valid start" },
        { field: 'cpus', message: 'must be positive' },
      ],
      'nightly',
    );
    const res = await call(`${api}/iso8601`, { method: 'POST', body: '{"name":"nightly"}' });
    expect(res.status).to.equal(400);
    expect(res.json()).to.deep.equal({
      message: "job: 'nightly' is invalid (2 problems): schedule: 'R/x/P1D' has no valid start; cpus: must be positive",
      errors: [
        { field: 'schedule', message: "'R/x/P1D' has no valid start" },
        { field: 'cpus', message: 'must be positive' },
      ],
    });
  });

  it('answers a malformed schedule with 400 naming the field', async () => {
    service.failNext = new InvalidScheduleError('schedule', 'R/bad', 'is not an ISO 8601 repeating interval');
    const res = await call(`${api}/iso8601`, { method: 'PUT', body: '{}' });
    expect(res.status).to.equal(400);
    expect(res.json()).to.deep.equal({
      message: "schedule: 'R/bad' is not an ISO 8601 repeating interval",
      errors: [{ field: 'schedule', message: "'R/bad' is not an ISO 8601 repeating interval" }],
    });
  });

  it('answers bad JSON with 400 naming the problem, without calling the service', async () => {
    const res = await call(`${api}/iso8601`, { method: 'POST', body: '{"name": "x",' });
    expect(res.status).to.equal(400);
    expect(res.json<{ message: string }>().message).to.match(/^the request body is not valid JSON \(.+\)/);
    expect(service.calls).to.have.length(0);
  });

  it('answers an empty body with 400', async () => {
    const res = await call(`${api}/dependency`, { method: 'POST', body: '' });
    expect(res.status).to.equal(400);
    expect(res.json<{ message: string }>().message).to.contain('empty');
    expect(service.calls).to.have.length(0);
  });

  it('answers a body over 1 MB with 413 (declared length)', async () => {
    const body = JSON.stringify({ name: 'big', command: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await call(`${api}/iso8601`, { method: 'POST', body });
    expect(res.status).to.equal(413);
    expect(res.json<{ message: string }>().message).to.contain(`more than the ${MAX_BODY_BYTES}`);
    expect(service.calls).to.have.length(0);
  });

  it('answers a chunked body over 1 MB with 413', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'x');
    const res = await chunkedPost(`${api}/iso8601`, [chunk, chunk, chunk, chunk, Buffer.from('x')]);
    expect(res.status).to.equal(413);
    expect(service.calls).to.have.length(0);
  });

  it('accepts a body of exactly 1 MB', async () => {
    const json = JSON.stringify({ name: 'fits', command: '' });
    const body = json.replace('""', `"${'y'.repeat(MAX_BODY_BYTES - json.length)}"`);
    expect(Buffer.byteLength(body)).to.equal(MAX_BODY_BYTES);
    expect((await call(`${api}/iso8601`, { method: 'POST', body })).status).to.equal(204);
  });

  it('answers an unknown route with 404 under the API and elsewhere', async () => {
    for (const path of ['/v1/scheduler/nothing', '/v1/scheduler/job/a/b/c', '/v2/jobs', '/v1/scheduler']) {
      const res = await call(`${http.url}${path}`);
      expect(res.status, path).to.equal(404);
      expect(res.json<{ message: string }>().message).to.contain('no such endpoint');
    }
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await call(`${api}/iso8601`, { method: 'GET' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('POST, PUT');
    const jobs = await call(`${api}/jobs`, { method: 'DELETE' });
    expect(jobs.status).to.equal(405);
    expect(jobs.headers.get('allow')).to.equal('GET, HEAD');
    expect((await call(`${api}/job/extract`, { method: 'POST', body: '{}' })).headers.get('allow')).to.equal(
      'DELETE, GET, HEAD, PUT',
    );
  });

  it('answers a badly encoded job name with 400', async () => {
    const res = await call(`${api}/job/%E0%A4%A`, { method: 'DELETE' });
    expect(res.status).to.equal(400);
    expect(service.calls).to.have.length(0);
  });

  it('maps a conflict to 409 and an unexpected error to 500 with its cause', async () => {
    service.failNext = new MesocosmError('CONFLICT', 'job changed concurrently; retry');
    expect((await call(`${api}/jobs`)).status).to.equal(409);
    service.failNext = new Error('disk on fire');
    const res = await call(`${api}/jobs`);
    expect(res.status).to.equal(500);
    expect(res.json()).to.deep.equal({ message: 'internal error: disk on fire' });
  });

  it('keeps serving on the same connection after errors', async () => {
    expect((await call(`${api}/iso8601`, { method: 'POST', body: '{' })).status).to.equal(400);
    expect((await call(`${api}/jobs`)).status).to.equal(200);
  });
});
