// Chooses the isolation: cgroups (v1 or v2) when running as root with a
// writable hierarchy, else posix monitoring. Says why.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Logger } from '@mesocosm/protocol';
import { IsolationUnavailableError } from '../errors.js';
import { hasFile, makeCgroup, readControl, writeControl } from './cgroup-fs.js';
import { parseCgroupMounts, parseProcCgroup, v1ControllerDir, v2Dir } from './cgroup-layout.js';
import { CgroupsV1Isolator } from './cgroups-v1.js';
import { CgroupsV2Isolator } from './cgroups-v2.js';
import type { Isolator } from './isolator.js';
import { PosixIsolator } from './posix.js';

/** `auto`: cgroups when possible, else posix. */
export type IsolationMode = 'auto' | 'cgroups' | 'posix';

const SUBDIR = 'mesocosm';

type Attempt = { isolator: Isolator } | { unavailable: string };

async function tryCgroups(clock: Clock, logger: Logger): Promise<Attempt> {
  if (process.getuid?.() !== 0) return { unavailable: 'the agent is not running as root' };
  let cgroups, mounts;
  try {
    cgroups = parseProcCgroup(await readFile('/proc/self/cgroup', 'utf8'));
    mounts = parseCgroupMounts(await readFile('/proc/self/mountinfo', 'utf8'));
  } catch (err) {
    return { unavailable: `cannot read /proc/self/cgroup or mountinfo (${String(err)})` };
  }
  const memoryV1 = v1ControllerDir(cgroups, mounts, 'memory');
  if (memoryV1 !== undefined) {
    const memory = join(memoryV1, SUBDIR);
    const cpuV1 = v1ControllerDir(cgroups, mounts, 'cpu');
    try {
      await makeCgroup(memory);
    } catch (err) {
      return { unavailable: `cannot create ${memory} (${String(err)})` };
    }
    let cpu: string | undefined = cpuV1 === undefined ? undefined : join(cpuV1, SUBDIR);
    if (cpu !== undefined) {
      try {
        await makeCgroup(cpu);
      } catch (err) {
        logger.warn('cpu cgroup not writable: no cpu limits', { dir: cpu, error: String(err) });
        cpu = undefined;
      }
    }
    const reason = `root, cgroup v1 memory hierarchy writable at ${memory}${cpu ? ` and cpu at ${cpu}` : ', no cpu controller'}`;
    return { isolator: new CgroupsV1Isolator(reason, cpu === undefined ? { memory } : { memory, cpu }, clock, logger) };
  }
  const own = v2Dir(cgroups, mounts);
  if (own === undefined) return { unavailable: 'no memory controller mounted (v1) and no cgroup2 hierarchy' };
  const controllers = (await readControl(own, 'cgroup.controllers')) ?? '';
  if (!controllers.split(/\s+/).includes('memory'))
    return { unavailable: `the cgroup2 hierarchy at ${own} has no memory controller` };
  const hasCpu = controllers.split(/\s+/).includes('cpu');
  const enable = hasCpu ? '+memory +cpu' : '+memory';
  const root = join(own, SUBDIR);
  try {
    // Enabling controllers for children fails (EBUSY) when the agent's own
    // cgroup holds processes and is not the root: then posix it is.
    await writeControl(own, 'cgroup.subtree_control', enable);
    await makeCgroup(root);
    if (await hasFile(root, 'cgroup.subtree_control')) await writeControl(root, 'cgroup.subtree_control', enable);
  } catch (err) {
    return { unavailable: `cannot delegate controllers under ${own} (${String(err)})` };
  }
  return { isolator: new CgroupsV2Isolator(`root, cgroup v2 writable at ${root}`, root, hasCpu, clock, logger) };
}

/** Picks the isolator for `mode`; throws {@link IsolationUnavailableError} when `cgroups` is asked and impossible. */
export async function selectIsolator(mode: IsolationMode, clock: Clock, logger: Logger): Promise<Isolator> {
  if (mode === 'posix') return new PosixIsolator('asked for (isolation: posix)', clock, logger);
  const attempt = await tryCgroups(clock, logger);
  if ('isolator' in attempt) return attempt.isolator;
  if (mode === 'cgroups') throw new IsolationUnavailableError(attempt.unavailable);
  return new PosixIsolator(`cgroups unavailable: ${attempt.unavailable}`, clock, logger);
}
