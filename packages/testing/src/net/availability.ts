// Whether this machine can make network hosts: root, iproute2 (installed with
// apt-get when missing, as the ZooKeeper helper's setup does), and a kernel
// that lets us create a namespace, a bridge and a veth pair.
import { run, runSync } from './command.js';

/** The answer of {@link NetworkHosts.available}. */
export type NetworkHostsAvailability = { ok: true } | { ok: false; reason: string };

async function hasIp(): Promise<boolean> {
  return (await run(['ip', '-V'])).code === 0;
}

/** `apt-get install -y iproute2`, with `apt-get update` first when the package is unknown. */
async function installIproute2(): Promise<string | undefined> {
  if ((await run(['apt-get', '--version'])).code !== 0) return 'no apt-get to install it with';
  const install = ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'iproute2'];
  let r = await run(install, 300_000);
  if (r.code !== 0) {
    await run(['apt-get', 'update', '-qq'], 300_000);
    r = await run(install, 300_000);
  }
  return r.code === 0 ? undefined : `apt-get install iproute2 failed: ${r.stderr.trim().slice(-300)}`;
}

/** Creates and removes a throwaway namespace, bridge and veth pair; says what failed. */
async function probeKernel(): Promise<string | undefined> {
  const tag = process.pid.toString(36);
  const ns = `mc-probe${tag}-x`;
  const bridge = `mcpb${tag}`;
  const veth = `mcpv${tag}`;
  const steps: string[][] = [
    ['ip', 'netns', 'add', ns],
    ['ip', 'link', 'add', bridge, 'type', 'bridge'],
    ['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns],
  ];
  let failure: string | undefined;
  for (const argv of steps) {
    const r = await run(argv);
    if (r.code !== 0) {
      failure = `\`${argv.join(' ')}\` failed: ${r.stderr.trim()}`;
      break;
    }
  }
  runSync(['ip', 'link', 'del', veth]);
  runSync(['ip', 'link', 'del', bridge]);
  runSync(['ip', 'netns', 'del', ns]);
  return failure;
}

async function probe(): Promise<NetworkHostsAvailability> {
  if (process.platform !== 'linux')
    return { ok: false, reason: `network namespaces need Linux, not ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'network namespaces need root (run the tests as root)' };
  if (!(await hasIp())) {
    const why = await installIproute2();
    if (why !== undefined || !(await hasIp()))
      return { ok: false, reason: `iproute2's \`ip\` is missing and ${why ?? 'installing it did not provide it'}` };
  }
  const failure = await probeKernel();
  return failure === undefined ? { ok: true } : { ok: false, reason: `cannot make a network namespace: ${failure}` };
}

let cached: Promise<NetworkHostsAvailability> | undefined;

/** See {@link NetworkHosts.available}; probed once per process. @internal */
export function networkHostsAvailable(): Promise<NetworkHostsAvailability> {
  cached ??= probe();
  return cached;
}
