// Every scenario, in the order a full run takes them.
import type { Scenario } from '../types.js';
import { allocatorScenario } from './allocator.js';
import { chronosJobsScenario } from './chronos-jobs.js';
import { dockerLaunchScenario } from './docker-launch.js';
import { grpcThroughputScenario } from './grpc-throughput.js';
import { marathonScaleScenario } from './marathon-scale.js';
import { shellLaunchScenario } from './shell-launch.js';

/** The scenarios of `npm run bench`. */
export const SCENARIOS: readonly Scenario[] = [
  allocatorScenario,
  grpcThroughputScenario,
  shellLaunchScenario,
  dockerLaunchScenario,
  marathonScaleScenario,
  chronosJobsScenario,
];
