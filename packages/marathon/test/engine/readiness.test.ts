import { expect } from 'chai';
import { FakeClock } from '@mesocosm/framework-sdk';
import { MemoryStateStore } from '@mesocosm/framework-sdk/ha';
import type { ReadinessProbe } from '../../src/engine/readiness-prober.js';
import { Harness } from './harness.js';

/** A probe that answers what `status` says now, and records every URL it was asked. */
function scriptedProbe(): { probe: ReadinessProbe; urls: string[]; status: { value: number | undefined } } {
  const urls: string[] = [];
  const status = { value: 503 as number | undefined };
  return {
    urls,
    status,
    probe: (url) => {
      urls.push(url);
      return Promise.resolve(status.value);
    },
  };
}

const readyApp = {
  id: '/ready',
  cmd: 'serve',
  cpus: 0.1,
  mem: 16,
  instances: 2,
  portDefinitions: [{ port: 8080, name: 'http' }],
  requirePorts: true,
  readinessChecks: [{ name: 'ready', path: '/ready', portName: 'http', intervalSeconds: 5, timeoutSeconds: 2 }],
};

describe('engine: readiness checks (fake cluster, fake probe)', () => {
  it('keeps the deployment open until every new task answers ready, probing only until then', async () => {
    const clock = new FakeClock(1_000_000);
    const { probe, urls, status } = scriptedProbe();
    const h = await Harness.lead(new MemoryStateStore(), clock, { readinessProbe: probe });
    await h.service.createApp(readyApp);
    await h.settle();
    await h.cycle();
    expect(h.running('/ready')).to.have.length(2);
    // Both running, neither ready: probed once each, the deployment stays.
    expect(urls.sort()).to.deep.equal(['http://host-0:8080/ready', 'http://host-1:8080/ready']);
    expect(h.service.deployments()).to.have.length(1);
    const results = (h.service.deployments()[0]?.['currentActions'] as { readinessCheckResults: unknown[] }[])[0];
    expect(results?.readinessCheckResults).to.have.length(2);

    // An interval later, still 503: probed again, still deploying.
    clock.advance(5_000);
    await h.settle();
    expect(urls).to.have.length(4);
    expect(h.service.deployments()).to.have.length(1);

    // Ready: the deployment finishes and probing stops.
    status.value = 200;
    clock.advance(5_000);
    await h.settle();
    expect(urls).to.have.length(6);
    expect(h.service.deployments()).to.deep.equal([]);
    clock.advance(60_000);
    await h.settle();
    expect(urls).to.have.length(6);
    h.stop();
  });

  it('treats no answer (timeout, refused) as not ready', async () => {
    const clock = new FakeClock(1_000_000);
    const { probe, urls, status } = scriptedProbe();
    status.value = undefined;
    const h = await Harness.lead(new MemoryStateStore(), clock, { readinessProbe: probe });
    await h.service.createApp({ ...readyApp, instances: 1 });
    await h.settle();
    await h.cycle();
    clock.advance(5_000);
    await h.settle();
    expect(urls).to.have.length(2);
    expect(h.service.deployments()).to.have.length(1);
    h.stop();
  });
});
