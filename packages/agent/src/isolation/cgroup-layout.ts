// Where this process' cgroups are: parsing /proc/self/cgroup and
// /proc/self/mountinfo. Pure.
import { posix } from 'node:path';

/** This process' cgroup paths: per v1 controller, and the v2 (unified) path if any. */
export interface ProcCgroups {
  readonly v1: ReadonlyMap<string, string>;
  readonly v2?: string;
}

/** Parses /proc/<pid>/cgroup (`id:controllers:path` lines). */
export function parseProcCgroup(text: string): ProcCgroups {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const controllers = m[2] ?? '';
    const path = m[3] ?? '/';
    if (m[1] === '0' && controllers === '') v2 = path;
    else for (const c of controllers.split(',')) if (c !== '') v1.set(c, path);
  }
  return v2 === undefined ? { v1 } : { v1, v2 };
}

/** A cgroup file system mount. */
export interface CgroupMount {
  readonly root: string;
  readonly mountPoint: string;
  readonly version: 1 | 2;
  /** v1: the controllers of this hierarchy. */
  readonly controllers: readonly string[];
}

/** The cgroup mounts listed in /proc/self/mountinfo. */
export function parseCgroupMounts(text: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fields = line.slice(0, sep).split(' ');
    const [fsType, , superOptions = ''] = line.slice(sep + 3).split(' ');
    const root = unescape(fields[3] ?? '/');
    const mountPoint = unescape(fields[4] ?? '');
    if (fsType === 'cgroup2') out.push({ root, mountPoint, version: 2, controllers: [] });
    else if (fsType === 'cgroup') out.push({ root, mountPoint, version: 1, controllers: superOptions.split(',') });
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The directory of cgroup `path` under `mount` (mount roots other than `/` come from cgroup namespaces). */
export function cgroupDir(mount: CgroupMount, path: string): string {
  const rel = mount.root === '/' || !path.startsWith(mount.root) ? path : path.slice(mount.root.length);
  const dir = posix.join(mount.mountPoint, rel);
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/** For a v1 controller: the directory of this process' cgroup, if the controller is mounted. */
export function v1ControllerDir(
  cgroups: ProcCgroups,
  mounts: readonly CgroupMount[],
  controller: string,
): string | undefined {
  const path = cgroups.v1.get(controller);
  const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(controller));
  return path === undefined || !mount ? undefined : cgroupDir(mount, path);
}

/** The directory of this process' v2 cgroup, if a unified hierarchy is mounted. */
export function v2Dir(cgroups: ProcCgroups, mounts: readonly CgroupMount[]): string | undefined {
  const mount = mounts.find((m) => m.version === 2);
  return cgroups.v2 === undefined || !mount ? undefined : cgroupDir(mount, cgroups.v2);
}
