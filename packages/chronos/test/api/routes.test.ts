import { expect } from 'chai';
import { startChronosHttp, type ChronosHttp } from '../../src/api/index.js';
import { FakeChronosService } from './fake-service.js';
import { call } from './http-client.js';

const JOB = { name: 'nightly', command: 'backup.sh', schedule: 'R/2030-01-01T02:00:00Z/P1D' };

for (const prefix of ['/v1/scheduler', '/scheduler']) {
  describe(`chronos API routes under ${prefix}`, () => {
    let service: FakeChronosService;
    let http: ChronosHttp;
    let api: string;

    beforeEach(async () => {
      service = new FakeChronosService();
      http = await startChronosHttp(service, { host: '127.0.0.1', port: 0 });
      api = `${http.url}${prefix}`;
    });
    afterEach(() => http.close());

    for (const method of ['POST', 'PUT']) {
      it(`${method} iso8601 hands the JSON to putScheduledJob and answers 204`, async () => {
        const res = await call(`${api}/iso8601`, { method, body: JSON.stringify(JOB) });
        expect(res.status).to.equal(204);
        expect(res.text).to.equal('');
        expect(service.callsOf('putScheduledJob').map((c) => c.args[0])).to.deep.equal([JOB]);
      });

      it(`${method} dependency hands the JSON to putDependentJob and answers 204`, async () => {
        const child = { name: 'report', command: 'report.sh', parents: ['nightly'] };
        const res = await call(`${api}/dependency`, { method, body: JSON.stringify(child) });
        expect(res.status).to.equal(204);
        expect(service.callsOf('putDependentJob').map((c) => c.args[0])).to.deep.equal([child]);
        expect(service.callsOf('putScheduledJob')).to.have.length(0);
      });
    }

    it('GET jobs lists every job as the service renders it', async () => {
      const res = await call(`${api}/jobs`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(res.json()).to.deep.equal(service.jobs);
    });

    it('GET jobs/search passes name, command, any, limit and offset', async () => {
      const res = await call(`${api}/jobs/search?name=ext&command=sh&any=x&limit=5&offset=1&other=ignored`);
      expect(res.status).to.equal(200);
      expect(service.callsOf('searchJobs')[0]?.args[0]).to.deep.equal({
        name: 'ext',
        command: 'sh',
        any: 'x',
        limit: 5,
        offset: 1,
      });
      expect(res.json<{ name: string }[]>().map((j) => j.name)).to.deep.equal(['extract']);
    });

    it('GET jobs/search refuses a limit or offset that is not a whole number, naming both', async () => {
      const res = await call(`${api}/jobs/search?limit=ten&offset=-1`);
      expect(res.status).to.equal(400);
      const body = res.json<{ message: string; errors: { field: string }[] }>();
      expect(body.errors.map((e) => e.field)).to.deep.equal(['limit', 'offset']);
      expect(body.message).to.contain("'ten'");
      expect(service.callsOf('searchJobs')).to.have.length(0);
    });

    it('PUT job/{name} runs the job now with every ?arguments= in order', async () => {
      const res = await call(`${api}/job/extract?arguments=-v&arguments=a%20b`, { method: 'PUT' });
      expect(res.status).to.equal(204);
      expect(res.headers.get('x-chronos-run-id')).to.equal('extract@42');
      expect(service.callsOf('runJob').map((c) => c.args)).to.deep.equal([['extract', ['-v', 'a b']]]);
    });

    it('PUT job/{name} without arguments passes none', async () => {
      expect((await call(`${api}/job/extract`, { method: 'PUT' })).status).to.equal(204);
      expect(service.callsOf('runJob')[0]?.args).to.deep.equal(['extract', undefined]);
    });

    it('PUT job/{name} of an unknown job is a 404 naming it', async () => {
      const res = await call(`${api}/job/nope`, { method: 'PUT' });
      expect(res.status).to.equal(404);
      expect(res.json<{ message: string }>().message).to.contain("job 'nope' does not exist");
    });

    it('DELETE job/{name} deletes (204) and decodes the name', async () => {
      service.jobs.push({ name: 'a.b-c_d' });
      expect((await call(`${api}/job/a.b-c_d`, { method: 'DELETE' })).status).to.equal(204);
      expect((await call(`${api}/job/nope`, { method: 'DELETE' })).status).to.equal(404);
      expect(service.callsOf('deleteJob').map((c) => c.args[0])).to.deep.equal(['a.b-c_d', 'nope']);
    });

    it('GET job/{name} answers the job or 404', async () => {
      const res = await call(`${api}/job/load`);
      expect(res.status).to.equal(200);
      expect(res.json()).to.deep.equal(service.jobs[1]);
      expect((await call(`${api}/job/nope`)).status).to.equal(404);
    });

    it('DELETE task/kill/{name} kills the tasks (204) or answers 404', async () => {
      const res = await call(`${api}/task/kill/extract`, { method: 'DELETE' });
      expect(res.status).to.equal(204);
      expect(res.headers.get('x-chronos-killed-tasks')).to.equal('2');
      expect((await call(`${api}/task/kill/nope`, { method: 'DELETE' })).status).to.equal(404);
      expect(service.callsOf('killJobTasks').map((c) => c.args[0])).to.deep.equal(['extract', 'nope']);
    });

    it('GET graph/csv answers text/csv in Chronos node/link lines', async () => {
      const res = await call(`${api}/graph/csv`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv/);
      expect(res.text).to.equal(service.csv);
      for (const line of res.text.trim().split('\n'))
        expect(line).to.match(/^(node,[^,]+,[^,]+,[^,]+|link,[^,]+,[^,]+)$/);
    });

    it('GET graph/json answers the nodes and edges', async () => {
      const res = await call(`${api}/graph/json`);
      expect(res.status).to.equal(200);
      expect(res.json()).to.deep.equal(service.graphJson());
    });

    it('GET graph/dot answers a Graphviz digraph with the edges', async () => {
      const res = await call(`${api}/graph/dot`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/vnd\.graphviz/);
      expect(res.text).to.match(/^digraph chronos \{/);
      expect(res.text).to.contain('"extract" -> "load";');
      expect(res.text).to.contain('"extract" [fillcolor=palegreen];');
    });

    it('GET job/stat/{name} answers counters, a duration histogram and the history with durations', async () => {
      const res = await call(`${api}/job/stat/extract`);
      expect(res.status).to.equal(200);
      const body = res.json<{
        name: string;
        counters: unknown;
        histogram: { count: number; median: number };
        taskStatHistory: { runId: string; outcome: string; durationMs?: number }[];
      }>();
      expect(body.name).to.equal('extract');
      expect(body.counters).to.deep.equal({ successCount: 3, errorCount: 1 });
      expect(body.histogram).to.include({ count: 1, median: 3000 });
      expect(body.taskStatHistory.map((r) => [r.runId, r.outcome, r.durationMs])).to.deep.equal([
        ['extract@1000', 'success', 3000],
        ['extract@2000', 'running', undefined],
      ]);
      expect((await call(`${api}/job/stat/nope`)).status).to.equal(404);
    });

    it('answers HEAD like GET without a body', async () => {
      const res = await call(`${api}/jobs`, { method: 'HEAD' });
      expect(res.status).to.equal(200);
      expect(res.text).to.equal('');
      expect(Number(res.headers.get('content-length'))).to.be.greaterThan(0);
    });
  });
}
