// Bounded request bodies (issue 8, "a 100 MB body gets 413 and the server
// stays up"): 100 MB streamed to the master, an agent, Marathon and Chronos,
// with content-length and chunked. Each answers 413 (the connection may be
// closed after it), does not buffer the body (the process's memory grows far
// less than 100 MB), and answers a GET afterwards.
import { expect } from 'chai';
import { silentLogger } from '@mesocosm/framework-sdk';
import { Chronos } from '@mesocosm/chronos';
import { Marathon } from '@mesocosm/marathon';
import { LocalCluster, waitFor } from '@mesocosm/testing';
import { uploadLargeBody } from './large-body.js';

const HUNDRED_MB = 100 * 1024 * 1024;
/** What the process may grow by while 100 MB passes through: well under the body, so it was not held. */
const MAX_GROWTH_BYTES = 64 * 1024 * 1024;

/** Runs `fn` while sampling this process's resident memory; resolves with its result and the peak growth. */
async function peakGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('bounded request bodies: 100 MB gets 413 and the server stays up', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let marathon: Marathon;
  let chronos: Chronos;

  before(async () => {
    cluster = await LocalCluster.start({ agents: 1 });
    await cluster.waitForAgents(1);
    marathon = await Marathon.start({
      master: cluster.masterGrpc,
      httpPort: 0,
      httpHost: '127.0.0.1',
      hostname: '127.0.0.1',
      logger: silentLogger,
    });
    chronos = await Chronos.start({
      master: cluster.masterGrpc,
      httpPort: 0,
      httpHost: '127.0.0.1',
      hostname: '127.0.0.1',
      logger: silentLogger,
    });
    await waitFor(() => marathon.isLeader && chronos.isLeader, {
      timeoutMs: 20_000,
      message: 'Marathon and Chronos lead',
    });
  });

  after(async () => {
    await marathon?.stop();
    await chronos?.stop();
    await cluster?.stop();
  });

  const targets = (): { name: string; post: string; get: string }[] => [
    { name: 'master /api/v1', post: `${cluster.masterHttp}/api/v1`, get: `${cluster.masterHttp}/health` },
    {
      name: 'master /master/teardown',
      post: `${cluster.masterHttp}/master/teardown`,
      get: `${cluster.masterHttp}/master/state`,
    },
    { name: 'agent', post: `${cluster.agents[0]!.httpUrl}/state`, get: `${cluster.agents[0]!.httpUrl}/health` },
    { name: 'Marathon', post: `${marathon.url}/v2/apps`, get: `${marathon.url}/v2/apps` },
    { name: 'Chronos', post: `${chronos.url}/v1/scheduler/iso8601`, get: `${chronos.url}/v1/scheduler/jobs` },
  ];

  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked' : 'with content-length';
    it(`every server refuses 100 MB ${how} with 413, holds none of it, and answers a GET after`, async () => {
      for (const t of targets()) {
        const { result, growth } = await peakGrowth(() => uploadLargeBody(t.post, HUNDRED_MB, { chunked }));
        expect(result.status, `${t.name}: ${JSON.stringify(result)}`).to.equal(413);
        expect(result.body, t.name).to.match(/\d+/);
        expect(growth, `${t.name}: memory grew by ${growth} bytes`).to.be.below(MAX_GROWTH_BYTES);
        const after = await fetch(t.get);
        expect(after.status, `${t.name} after the upload`).to.equal(200);
        await after.arrayBuffer();
      }
    });
  }
});
