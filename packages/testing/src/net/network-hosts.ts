// Separate "hosts" on one machine, made with iproute2: a bridge in the root
// namespace with a private /24, and per host a network namespace joined to it
// by a veth pair. Everything is removed by cleanup(), at process exit, and by
// the next create() with the same prefix after a crash.
import { networkHostsAvailable, type NetworkHostsAvailability } from './availability.js';
import { run, runOrThrow } from './command.js';
import { NetworkHostsError } from './errors.js';
import type { MemberHost } from './member-host.js';
import {
  SUBNET_BASE,
  chooseSubnet,
  deadDefaultRuns,
  defaultRun,
  netnsName,
  routedSubnets,
  runNames,
  vethName,
} from './names.js';
import { NetworkHost } from './network-host.js';
import { forwardRule, listNetns, sweepRun } from './sweep.js';

/** Options of {@link NetworkHosts.create}. */
export interface NetworkHostsOptions {
  /**
   * Names the run (1-16 lowercase letters and digits): namespaces are
   * `mc-<prefix>-<host>`. What a crashed run with the same prefix left is
   * removed first. Default `p<pid>x<n>`, unique among live processes.
   */
  prefix?: string;
  /** The X of the run's subnet 10.213.X.0/24 (1-254); default one that no route uses yet. */
  subnet?: number;
}

const live = new Set<NetworkHosts>();
process.once('exit', () => {
  for (const hosts of live) sweepRun(hosts.prefix);
});
let instances = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A set of network hosts on this machine (needs root and iproute2). Hosts
 * reach each other and the root namespace through the bridge, whose address
 * ({@link gateway}) is their default route: a server in the root namespace
 * bound to the gateway address or 0.0.0.0 serves every host.
 *
 * @example
 * ```ts
 * const why = await NetworkHosts.available();
 * if (!why.ok) this.skip();
 * const hosts = await NetworkHosts.create();
 * after(() => hosts.cleanup());
 * const a = await hosts.add('a');
 * const b = await hosts.add('b');
 * await b.exec(['ping', '-c1', a.ip]);
 * await a.cut(); // a is partitioned from everything
 * ```
 */
export class NetworkHosts {
  private readonly byName = new Map<string, NetworkHost>();
  private nextIndex = 2;
  private cleaned = false;

  private constructor(
    /** The run's prefix (namespaces are `mc-<prefix>-<host>`). */
    readonly prefix: string,
    /** The bridge in the root namespace. */
    readonly bridge: string,
    private readonly tag: string,
    private readonly octet: number,
  ) {}

  /**
   * Whether network hosts can be made here, and if not why: not root, no
   * `ip` (installed with apt-get when possible), or namespace creation fails.
   */
  static available(): Promise<NetworkHostsAvailability> {
    return networkHostsAvailable();
  }

  /** Makes the bridge and its subnet; add hosts with {@link add}. */
  static async create(options: NetworkHostsOptions = {}): Promise<NetworkHosts> {
    const availability = await networkHostsAvailable();
    if (!availability.ok) throw new NetworkHostsError(`cannot make network hosts: ${availability.reason}`);
    const prefix = options.prefix ?? defaultRun(process.pid, instances++);
    const { tag, bridge } = runNames(prefix);
    for (const stale of [prefix, ...deadDefaultRuns(listNetns(), alive)]) sweepRun(stale);
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const routes = routedSubnets((await run(['ip', '-4', '-o', 'route', 'show'])).stdout);
      const octet = options.subnet ?? chooseSubnet(tag, new Set(routes.keys()));
      if (octet === undefined || !Number.isInteger(octet) || octet < 1 || octet > 254)
        throw new NetworkHostsError(`no usable subnet ${SUBNET_BASE}.X.0/24 (asked ${String(options.subnet)})`);
      const hosts = new NetworkHosts(prefix, bridge, tag, octet);
      live.add(hosts);
      try {
        await hosts.makeBridge();
        return hosts;
      } catch (err) {
        lastError = err;
        await hosts.cleanup().catch(() => undefined);
        if (options.subnet !== undefined) break;
      }
    }
    throw lastError;
  }

  /** The run's subnet, `10.213.X.0/24`. */
  get subnet(): string {
    return `${SUBNET_BASE}.${this.octet}.0/24`;
  }

  /** The root namespace as seen from the hosts: the bridge's address, no wrapping. */
  get gateway(): MemberHost {
    return { ip: `${SUBNET_BASE}.${this.octet}.1`, wrap: [] };
  }

  /** The hosts added so far, in order. */
  get hosts(): NetworkHost[] {
    return [...this.byName.values()];
  }

  /** The host called `name`; throws when there is none. */
  host(name: string): NetworkHost {
    const h = this.byName.get(name);
    if (!h) throw new NetworkHostsError(`there is no host '${name}' (hosts: ${[...this.byName.keys()].join(', ')})`);
    return h;
  }

  /** Adds host `name`: a namespace with lo up, an address `.N` on the bridge and a default route via `.1`. */
  async add(name: string): Promise<NetworkHost> {
    if (this.cleaned) throw new NetworkHostsError(`network hosts '${this.prefix}' were cleaned up: create new ones`);
    if (this.byName.has(name)) throw new NetworkHostsError(`host '${name}' already exists in '${this.prefix}'`);
    const index = this.nextIndex++;
    if (index > 254) throw new NetworkHostsError(`a run holds at most 253 hosts`);
    const ns = netnsName(this.prefix, name);
    const veth = vethName(this.tag, index);
    const ip = `${SUBNET_BASE}.${this.octet}.${index}`;
    const host = new NetworkHost(name, ip, ns, veth);
    this.byName.set(name, host);
    const what = `adding host ${name}`;
    await runOrThrow(['ip', 'netns', 'add', ns], what);
    await runOrThrow(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns], what);
    await runOrThrow(['ip', 'link', 'set', veth, 'master', this.bridge, 'up'], what);
    await runOrThrow(['ip', '-n', ns, 'link', 'set', 'lo', 'up'], what);
    await runOrThrow(['ip', '-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0'], what);
    await runOrThrow(['ip', '-n', ns, 'link', 'set', 'eth0', 'up'], what);
    await runOrThrow(['ip', '-n', ns, 'route', 'add', 'default', 'via', this.gateway.ip], what);
    return host;
  }

  /**
   * Removes every namespace (killing the processes left in it), link and
   * firewall rule this run made. Idempotent; also runs at process exit.
   */
  async cleanup(): Promise<void> {
    this.cleaned = true;
    live.delete(this);
    const left = sweepRun(this.prefix);
    if (left.length > 0) throw new NetworkHostsError(`network hosts '${this.prefix}' left: ${left.join(', ')}`);
    return Promise.resolve();
  }

  private async makeBridge(): Promise<void> {
    const what = `making bridge ${this.bridge} for ${this.subnet}`;
    await runOrThrow(['ip', 'link', 'add', this.bridge, 'type', 'bridge'], what);
    await runOrThrow(['ip', 'addr', 'add', `${this.gateway.ip}/24`, 'dev', this.bridge], what);
    await runOrThrow(['ip', 'link', 'set', this.bridge, 'up'], what);
    // Another run may have picked the same subnet at the same moment: the lower bridge name keeps it.
    const routes = (await run(['ip', '-4', '-o', 'route', 'show'])).stdout.split('\n');
    const rivals = routes
      .filter((l) => l.startsWith(`${this.subnet.replace('/24', '')}/`) && !l.includes(`dev ${this.bridge} `))
      .map((l) => /\bdev (\S+)/.exec(l)?.[1] ?? '');
    if (rivals.some((dev) => dev === '' || !dev.startsWith('mcb') || dev < this.bridge))
      throw new NetworkHostsError(`${this.subnet} is also routed to ${rivals.join(', ')}`);
    // With br_netfilter, bridged frames traverse iptables' FORWARD chain, whose policy may be DROP (Docker's is).
    const iptables = await run(['iptables', '-I', ...forwardRule(this.bridge)]);
    if (iptables.code !== 0 && iptables.code !== -1 && !/not found|ENOENT/.test(iptables.stderr))
      throw new NetworkHostsError(`${what}: iptables -I ${forwardRule(this.bridge).join(' ')}: ${iptables.stderr}`);
  }
}
