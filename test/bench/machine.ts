// The machine a run was measured on: printed and kept with the results.
import os from 'node:os';

/** What the figures depend on. */
export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  node: string;
  platform: string;
  kernel: string;
}

/** This machine. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
  };
}

/** One line: `2 x Intel(...) | 23.5 GiB | node v20.20.2 | linux x64 5.15`. */
export function describeMachine(m: MachineInfo): string {
  return `${m.cpus} x ${m.cpuModel} | ${m.memoryGiB} GiB | node ${m.node} | ${m.platform} ${m.kernel}`;
}
