// The end of every fault test: wait for the cluster to settle, then check
// I1-I4 and fail with every breach listed.
import { expect } from 'chai';
import { waitFor } from '@mesocosm/testing';
import type { FaultCluster } from './fault-cluster.js';
import { readRecords } from './fixtures/recording-framework.js';
import { checkI1, checkI2, checkI3, checkI4, liveTaskProcesses } from './invariants.js';

/** What was acknowledged before the fault and must survive it (I1). */
export interface Acknowledged {
  frameworks: string[];
  agents: string[];
}

/** Every breach of I1-I4 in the cluster as it is now. */
export async function breaches(cluster: FaultCluster, acknowledged: Acknowledged): Promise<string[]> {
  const leader = await cluster.waitForLeader();
  const { launched, updates } = readRecords(cluster.frameworkDir);
  return [
    ...checkI1(leader.state, acknowledged),
    ...checkI2(leader.state, launched, updates, liveTaskProcesses(cluster.marker)),
    ...checkI3(updates),
    ...checkI4(cluster.sampler.samples, updates),
  ];
}

/** Waits (up to `timeoutMs`) for the invariants to hold; fails listing what still does not. */
export async function expectNothingLost(
  cluster: FaultCluster,
  acknowledged: Acknowledged,
  timeoutMs = 30_000,
): Promise<void> {
  let last: string[] = [];
  try {
    await waitFor(
      async () => {
        last = await breaches(cluster, acknowledged);
        return last.length === 0;
      },
      { timeoutMs, intervalMs: 200, message: 'the invariants to hold' },
    );
  } catch {
    // Reported below with every breach.
  }
  if (last.length === 0) return;
  // The members' last log lines say why (each keeps its stderr tail).
  const tails = [...cluster.masters, ...cluster.agents]
    .map(
      (m) =>
        `--- ${m.name} (${m.process.running ? 'running' : 'exited'}):\n${m.process.stderr().split('\n').slice(-8).join('\n')}`,
    )
    .join('\n');
  expect(last, `after settling for ${timeoutMs} ms\n${tails}\n`).to.deep.equal([]);
}
