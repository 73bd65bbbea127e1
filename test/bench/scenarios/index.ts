// Every scenario, in the order a full run takes them.
import type { Scenario } from '../types.js';
import { allocatorScenario } from './allocator.js';
import { chronosJobsScenario } from './chronos-jobs.js';
import { dockerLaunchScenario } from './docker-launch.js';
import { failoverScenario } from './failover.js';
import { grpcThroughputScenario } from './grpc-throughput.js';
import { marathonScaleScenario } from './marathon-scale.js';
import { masterE2eScenario } from './master-e2e.js';
import { memoryScenario } from './memory.js';
import { offerLatencyScenario } from './offer-latency.js';
import { opsFeedScenario } from './ops-feed.js';
import { shellLaunchScenario } from './shell-launch.js';

/**
 * The scenarios of `npm run bench`. The process launches (shell, docker) go
 * before the scenarios that hold thousands of simulated agents in this
 * process: a process that grew to hundreds of MiB spawns children several
 * times slower (33 ms instead of 2.4 ms for a bare spawn here), limit and
 * figure alike.
 */
export const SCENARIOS: readonly Scenario[] = [
  allocatorScenario,
  grpcThroughputScenario,
  shellLaunchScenario,
  dockerLaunchScenario,
  masterE2eScenario,
  offerLatencyScenario,
  failoverScenario,
  memoryScenario,
  marathonScaleScenario,
  opsFeedScenario,
  chronosJobsScenario,
];
