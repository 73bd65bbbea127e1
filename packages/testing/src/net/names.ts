// How a run of network hosts names what it makes, so that a later run can
// find (and remove) what a crashed one left. Interface names are at most 15
// bytes, so links carry a short hash of the run instead of the run itself.
import { createHash } from 'node:crypto';
import { NetworkHostsError } from './errors.js';

/** The first two octets of every subnet: 10.213.X.0/24. */
export const SUBNET_BASE = '10.213';

const RUN = /^[a-z0-9]{1,16}$/;
const HOST = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The names one run uses. @internal */
export interface RunNames {
  readonly run: string;
  /** 6 hex chars derived from the run. */
  readonly tag: string;
  readonly bridge: string;
}

/** Names of run `run`; throws when it is not 1-16 lowercase letters and digits. @internal */
export function runNames(run: string): RunNames {
  if (!RUN.test(run))
    throw new NetworkHostsError(`network hosts prefix '${run}' must be 1-16 lowercase letters and digits`);
  const tag = createHash('sha1').update(run).digest('hex').slice(0, 6);
  return { run, tag, bridge: `mcb${tag}` };
}

/** The namespace of host `name` of run `run`; throws on a bad host name. @internal */
export function netnsName(run: string, name: string): string {
  if (!HOST.test(name))
    throw new NetworkHostsError(`host name '${name}' must be 1-32 lowercase letters, digits and dashes`);
  return `mc-${run}-${name}`;
}

/** The root-namespace end of host number `index`'s veth pair. @internal */
export function vethName(tag: string, index: number): string {
  return `mcv${tag}i${index}`;
}

/** Whether `link` is the bridge or a veth of the run with this tag. @internal */
export function isRunLink(tag: string, link: string): boolean {
  return link === `mcb${tag}` || new RegExp(`^mcv${tag}i\\d+$`).test(link);
}

/** The default run of this process's `counter`-th instance: `p<pid>x<counter>`. @internal */
export function defaultRun(pid: number, counter: number): string {
  return `p${pid}x${counter}`;
}

/** The default-named runs among `netns` names whose process no longer exists. @internal */
export function deadDefaultRuns(netns: readonly string[], alive: (pid: number) => boolean): string[] {
  const runs = new Set<string>();
  for (const ns of netns) {
    const m = /^mc-(p(\d+)x\d+)-/.exec(ns);
    if (m && !alive(Number(m[2]))) runs.add(m[1]!);
  }
  return [...runs];
}

/** The third octets of 10.213.X.0/24 subnets routed in `routes` (`ip -4 -o route` output), with their device. @internal */
export function routedSubnets(routes: string): Map<number, string> {
  const used = new Map<number, string>();
  const re = new RegExp(`^${SUBNET_BASE.replace('.', '\\.')}\\.(\\d+)\\.\\d+/(\\d+).*?\\bdev (\\S+)`);
  for (const line of routes.split('\n')) {
    const m = re.exec(line.trim());
    if (m) used.set(Number(m[1]), m[3]!);
  }
  return used;
}

/** A free third octet for `run`: the first unused one from a start derived from the run. @internal */
export function chooseSubnet(tag: string, used: ReadonlySet<number>): number | undefined {
  const start = parseInt(tag, 16) % 254;
  for (let i = 0; i < 254; i++) {
    const x = ((start + i) % 254) + 1; // 1..254
    if (!used.has(x)) return x;
  }
  return undefined;
}

/** The names of `ip netns list` output. @internal */
export function parseNetnsList(out: string): string[] {
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

/** The interface names of `ip -o link show` output (without `@peer`). @internal */
export function parseLinkNames(out: string): string[] {
  const names: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}
