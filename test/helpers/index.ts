// Helpers shared by the integration, fault and end-to-end tests.
export { requireInfra, findInfra, type Infra, type InfraProbe } from './require-infra.js';
export { runProcess, startProcess, stopAllProcesses, type ProcessResult, type RunningProcess } from './processes.js';
export { repoRoot, cliMain, exampleMain } from './paths.js';
export { startFrameworkPair } from './framework-processes.js';
