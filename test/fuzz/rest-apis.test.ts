// The REST fuzz run (issue 8): a fixed budget of random and mutated requests
// (seeded; MESOCOSM_FUZZ_SEED replays) against Marathon's /v2 API and
// Chronos' /v1/scheduler API, on a cluster whose only agent is simulated
// (no fuzzed command ever runs). No request may get a 5xx or go unanswered;
// afterwards each server answers its health check and its state reads back
// as JSON.
import { expect } from 'chai';
import { Chronos } from '@mesocosm/chronos';
import { silentLogger } from '@mesocosm/framework-sdk';
import { Marathon } from '@mesocosm/marathon';
import { LocalCluster, waitFor } from '@mesocosm/testing';
import { FUZZ_CALLS, FUZZ_SEED, Rand } from './support/rand.js';
import { fuzzRest, type RestRun } from './support/rest-fuzz.js';

const APP = {
  id: '/fz/web',
  cmd: 'sleep 600',
  instances: 1,
  cpus: 0.01,
  mem: 1,
  env: { A: 'b' },
  labels: { team: 'x' },
  constraints: [['hostname', 'UNIQUE']],
  portDefinitions: [{ port: 0, name: 'http' }],
  healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' }, gracePeriodSeconds: 5, intervalSeconds: 10 }],
  upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 },
  backoffSeconds: 1,
};
const GROUP = { id: '/fz', apps: [{ ...APP, id: '/fz/g1' }] };
const JOB = {
  name: 'fz-job',
  command: 'true',
  schedule: 'R/2030-01-01T00:00:00Z/PT1H',
  scheduleTimeZone: 'UTC',
  epsilon: 'PT30M',
  owner: 'fuzz@example.com',
  cpus: 0.01,
  mem: 1,
  retries: 1,
  environmentVariables: [{ name: 'A', value: 'b' }],
};
const DEPENDENT = { ...JOB, name: 'fz-child', schedule: undefined, parents: ['fz-job'] };

function expectNoFailures(name: string, { failures, statuses }: RestRun): void {
  console.log(`      answers by status: ${JSON.stringify(statuses)}`);
  const shown = failures.slice(0, 10).map((f) => `${f.request} -> ${f.outcome}`);
  expect(shown, `${name}: ${failures.length} requests failed`).to.deep.equal([]);
}

async function expectJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  expect(res.status, url).to.equal(200);
  return (await res.json()) as unknown;
}

describe('fuzz: the REST APIs of Marathon and Chronos', function () {
  this.timeout(150_000);
  let cluster: LocalCluster;
  let marathon: Marathon;
  let chronos: Chronos;

  before(async () => {
    cluster = await LocalCluster.start({ agents: [{ simulated: { runMs: 2000 } }] });
    await cluster.waitForAgents(1);
    const common = { master: cluster.masterGrpc, httpPort: 0, httpHost: '127.0.0.1', hostname: '127.0.0.1' };
    marathon = await Marathon.start({ ...common, logger: silentLogger });
    chronos = await Chronos.start({ ...common, logger: silentLogger });
    await waitFor(() => marathon.isLeader && chronos.isLeader, { timeoutMs: 20_000, message: 'both lead' });
  });

  after(async () => {
    await marathon?.stop();
    await chronos?.stop();
    await cluster?.stop();
  });

  it(`Marathon: ${FUZZ_CALLS} random and mutated requests, no 5xx, state readable after`, async () => {
    console.log(`      Marathon fuzz: seed ${FUZZ_SEED}, ${FUZZ_CALLS} requests`);
    const run = await fuzzRest(
      {
        base: marathon.url,
        routes: [
          ['GET', '/v2/apps'],
          ['POST', '/v2/apps'],
          ['POST', '/v2/apps'],
          ['PUT', '/v2/apps'],
          ['PATCH', '/v2/apps'],
          ['GET', '/v2/apps/{id}'],
          ['PUT', '/v2/apps/{id}'],
          ['PATCH', '/v2/apps/{id}'],
          ['DELETE', '/v2/apps/{id}'],
          ['POST', '/v2/apps/{id}/restart'],
          ['GET', '/v2/apps/{id}/tasks'],
          ['DELETE', '/v2/apps/{id}/tasks'],
          ['DELETE', '/v2/apps/{id}/tasks/{id}'],
          ['GET', '/v2/apps/{id}/versions'],
          ['GET', '/v2/apps/{id}/versions/{id}'],
          ['GET', '/v2/groups'],
          ['POST', '/v2/groups'],
          ['PUT', '/v2/groups/{id}'],
          ['DELETE', '/v2/groups/{id}'],
          ['GET', '/v2/deployments'],
          ['DELETE', '/v2/deployments/{id}'],
          ['GET', '/v2/queue'],
          ['DELETE', '/v2/queue/{id}/delay'],
          ['GET', '/v2/tasks'],
          ['POST', '/v2/tasks/delete'],
          ['GET', '/v2/info'],
          ['GET', '/v2/leader'],
          ['GET', '/ping'],
          ['GET', '/{id}'],
        ],
        bodies: [APP, [APP], GROUP, { ids: ['fz_web.1'] }, { instances: 2 }],
        known: () => ['/fz/web', 'fz/web', '/fz', ...marathon.service.tasks().map((t) => String(t['id']))],
      },
      new Rand(FUZZ_SEED ^ 0x3a),
      FUZZ_CALLS,
    );
    expectNoFailures('Marathon', run);
    expect((await fetch(`${marathon.url}/ping`)).status).to.equal(200);
    for (const path of ['/v2/apps', '/v2/groups', '/v2/deployments', '/v2/tasks', '/v2/queue', '/v2/info']) {
      await expectJson(`${marathon.url}${path}`);
    }
  });

  it(`Chronos: ${FUZZ_CALLS} random and mutated requests, no 5xx, state readable after`, async () => {
    console.log(`      Chronos fuzz: seed ${FUZZ_SEED}, ${FUZZ_CALLS} requests`);
    const run = await fuzzRest(
      {
        base: chronos.url,
        routes: [
          ['POST', '/v1/scheduler/iso8601'],
          ['POST', '/v1/scheduler/iso8601'],
          ['PUT', '/v1/scheduler/iso8601'],
          ['POST', '/v1/scheduler/dependency'],
          ['GET', '/v1/scheduler/jobs'],
          ['GET', '/v1/scheduler/jobs/search?name={id}'],
          ['GET', '/v1/scheduler/job/{id}'],
          ['PUT', '/v1/scheduler/job/{id}'],
          ['PUT', '/v1/scheduler/job/{id}?arguments={id}'],
          ['DELETE', '/v1/scheduler/job/{id}'],
          ['GET', '/v1/scheduler/job/stat/{id}'],
          ['DELETE', '/v1/scheduler/task/kill/{id}'],
          ['GET', '/v1/scheduler/graph/csv'],
          ['GET', '/v1/scheduler/graph/json'],
          ['GET', '/v1/scheduler/graph/dot'],
          ['GET', '/scheduler/jobs'],
          ['GET', '/{id}'],
        ],
        bodies: [JOB, DEPENDENT, { ...JOB, name: 'fz-other', schedule: '0 * * * *' }],
        known: () => ['fz-job', 'fz-child', 'fz-other'],
      },
      new Rand(FUZZ_SEED ^ 0xc4),
      FUZZ_CALLS,
    );
    expectNoFailures('Chronos', run);
    const jobs = await expectJson(`${chronos.url}/v1/scheduler/jobs`);
    expect(jobs).to.be.an('array');
    await expectJson(`${chronos.url}/v1/scheduler/graph/json`);
  });
});
