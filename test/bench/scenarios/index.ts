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

/** The scenarios of `npm run bench`. */
export const SCENARIOS: readonly Scenario[] = [
  allocatorScenario,
  grpcThroughputScenario,
  masterE2eScenario,
  offerLatencyScenario,
  failoverScenario,
  memoryScenario,
  shellLaunchScenario,
  dockerLaunchScenario,
  marathonScaleScenario,
  opsFeedScenario,
  chronosJobsScenario,
];
