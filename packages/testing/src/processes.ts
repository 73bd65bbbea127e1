// Cluster members run as child processes of the `mesocosm` CLI, each ready
// once it printed its `ready` line.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaemonProcess } from './daemon-process.js';
import { LocalClusterError } from './errors.js';
import type { MasterStartOptions } from './in-process.js';
import type { AgentHandle, AgentSpec, MasterHandle } from './members.js';
import type { MemberHost } from './net/member-host.js';

/**
 * The CLI's entry point: `MESOCOSM_CLI`, else `@mesocosm/cli` resolved from
 * here, else its place in this repository.
 */
export function defaultCliPath(): string {
  const fromEnv = process.env['MESOCOSM_CLI'];
  if (fromEnv) return fromEnv;
  try {
    const main = join(dirname(fileURLToPath(import.meta.resolve('@mesocosm/cli'))), 'main.js');
    if (existsSync(main)) return main;
  } catch {
    // not installed next to us: fall back to the monorepo layout
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'cli', 'lib', 'src', 'main.js');
}

const ms = (v: number): string => `${v}ms`;

/** The master flags for the options that have one; others cannot cross a process boundary. @internal */
export function masterFlags(options: MasterStartOptions): string[] {
  const flags: string[] = [];
  const add = (flag: string, value: string | undefined): void => {
    if (value !== undefined) flags.push(flag, value);
  };
  const o = options;
  add('--offer_timeout', o.offerTimeoutMs === undefined ? undefined : ms(o.offerTimeoutMs));
  add('--heartbeat_interval', o.heartbeatIntervalMs === undefined ? undefined : ms(o.heartbeatIntervalMs));
  add('--agent_ping_timeout', o.agentPingIntervalMs === undefined ? undefined : ms(o.agentPingIntervalMs));
  add('--max_agent_ping_timeouts', o.maxAgentPingTimeouts?.toString());
  add('--allocation_interval', o.allocationIntervalMs === undefined ? undefined : ms(o.allocationIntervalMs));
  add('--zk', o.zk);
  add('--zk_session_timeout', o.zkSessionTimeoutMs === undefined ? undefined : ms(o.zkSessionTimeoutMs));
  add(
    '--agent_reregister_timeout',
    o.agentReregisterTimeoutMs === undefined ? undefined : ms(o.agentReregisterTimeoutMs),
  );
  if (o.tls) {
    const { cert, key, ca, requireClientCert } = o.tls;
    for (const [flag, value] of [
      ['--tls-cert', cert],
      ['--tls-key', key],
      ['--tls-ca', ca],
    ] as const) {
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.includes('-----BEGIN '))
        throw new LocalClusterError(`masterOptions.tls: give file paths in 'processes' mode (${flag} takes a file)`);
      add(flag, value);
    }
    if (requireClientCert) flags.push('--tls-require-client-cert');
  }
  const weights = Object.entries(o.roleWeights ?? {});
  if (weights.length > 0) add('--weights', weights.map(([r, w]) => `${r}=${w}`).join(','));
  add(
    '--authenticate_frameworks',
    o.authenticateFrameworks === undefined ? undefined : String(o.authenticateFrameworks),
  );
  add('--authenticate_agents', o.authenticateAgents === undefined ? undefined : String(o.authenticateAgents));
  add('--authenticate_http', o.authenticateHttp === undefined ? undefined : String(o.authenticateHttp));
  for (const key of ['clock', 'registry', 'defaultRefuseSeconds'] as const) {
    if (o[key] !== undefined) {
      throw new LocalClusterError(
        `masterOptions.${key} cannot be given to a master in 'processes' mode: use 'in-process'`,
      );
    }
  }
  return flags;
}

/**
 * Writes the `--credentials` and `--acls` files of a master (mode 0600, in
 * `dir`) and returns their flags. @internal
 */
export async function masterAuthFlags(options: MasterStartOptions, dir: string | undefined): Promise<string[]> {
  const files: [string, unknown][] = [
    ['credentials', options.credentials],
    ['acls', options.acls],
  ];
  const flags: string[] = [];
  for (const [name, value] of files) {
    if (value === undefined) continue;
    if (dir === undefined) throw new LocalClusterError(`masterOptions.${name} needs a directory to write its file to`);
    const path = join(dir, `master.${name}.json`);
    await writeFile(path, JSON.stringify(value), { mode: 0o600 });
    flags.push(`--${name}`, path);
  }
  return flags;
}

/** Starts a master process; `authDir` holds its credentials and ACL files, if it has any. @internal */
export async function startMasterProcess(
  cli: string,
  options: MasterStartOptions,
  env: NodeJS.ProcessEnv,
  host?: MemberHost,
  authDir?: string,
): Promise<MasterHandle & { process: DaemonProcess }> {
  const ip = host?.ip ?? '127.0.0.1';
  const { port, grpcPort, credentials, acls, ...rest } = options;
  const args = [cli, 'master', '--ip', ip, '--port', String(port ?? 0), '--grpc_port', String(grpcPort ?? 0)];
  args.push(...masterFlags(rest), ...(await masterAuthFlags({ credentials, acls }, authDir)));
  const proc = await DaemonProcess.start(process.execPath, args, { name: 'master', env, wrap: host?.wrap });
  const { grpc, http, id } = proc.ready;
  if (!grpc) throw new LocalClusterError(`the master's ready line has no gRPC address: ${JSON.stringify(proc.ready)}`);
  return { grpc, http, id: id ?? '', pid: proc.pid, process: proc, stop: async (s) => void (await proc.kill(s)) };
}

/** Starts an agent process (`masterGrpc` may be a zk:// URL); resolves once it registered (its ready line). @internal */
export async function startAgentProcess(
  cli: string,
  masterGrpc: string,
  spec: AgentSpec & { resources: string },
  workDir: string,
  name: string,
  env: NodeJS.ProcessEnv,
  host?: MemberHost,
  zkSessionTimeoutMs?: number,
): Promise<AgentHandle & { process: DaemonProcess }> {
  const args = [
    cli,
    'agent',
    '--master',
    masterGrpc,
    '--work_dir',
    workDir,
    '--ip',
    host?.ip ?? '127.0.0.1',
    '--port',
    '0',
    '--grpc_port',
    '0',
  ];
  args.push('--resources', spec.resources);
  if (spec.attributes) args.push('--attributes', spec.attributes);
  if (spec.hostname) args.push('--hostname', spec.hostname);
  if (spec.isolation) args.push('--isolation', spec.isolation);
  args.push('--kill_tasks_on_exit', String(spec.killTasksOnExit ?? true));
  if (spec.switchUser !== undefined) args.push('--switch_user', String(spec.switchUser));
  if (spec.tls) {
    if (spec.tls.ca) args.push('--tls-ca', spec.tls.ca);
    if (spec.tls.cert) args.push('--tls-cert', spec.tls.cert);
    if (spec.tls.key) args.push('--tls-key', spec.tls.key);
  }
  if (spec.credential) {
    const path = `${workDir}.credential`;
    await writeFile(path, JSON.stringify(spec.credential), { mode: 0o600 });
    args.push('--credential', path);
  }
  if (zkSessionTimeoutMs !== undefined) args.push('--zk_session_timeout', ms(zkSessionTimeoutMs));
  const proc = await DaemonProcess.start(process.execPath, args, { name, env, wrap: host?.wrap });
  const agentId = proc.ready.agentId ?? proc.ready.id;
  if (!agentId) throw new LocalClusterError(`${name}'s ready line has no agentId: ${JSON.stringify(proc.ready)}`);
  return {
    agentId,
    httpUrl: proc.ready.http,
    pid: proc.pid,
    process: proc,
    stop: async (s) => void (await proc.kill(s)),
  };
}
