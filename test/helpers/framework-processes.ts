// Two `mesocosm marathon` or `mesocosm chronos` processes contending in
// ZooKeeper on loopback, as the process-level failover tests start them.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DaemonProcess } from '@mesocosm/testing';
import { cliMain } from './paths.js';

/** Starts two instances of `command` on a fresh ZooKeeper path; each must print its ready line. */
export async function startFrameworkPair(
  command: 'marathon' | 'chronos',
  options: { master: string; zkConnect: string; extraArgs?: readonly string[] },
): Promise<DaemonProcess[]> {
  const zk = `zk://${options.zkConnect}/${command}-proc-${randomUUID().slice(0, 8)}`;
  const args = [cliMain, command, '--master', options.master, '--zk', zk, '--zk_session_timeout', '3secs'];
  args.push('--http_port', '0', '--http_address', '127.0.0.1', '--hostname', '127.0.0.1');
  args.push('--framework_name', `${command}-proc-it`, ...(options.extraArgs ?? []));
  const daemons: DaemonProcess[] = [];
  for (const name of [`${command} 1`, `${command} 2`]) {
    const d = await DaemonProcess.start(process.execPath, args, { name, readyTimeoutMs: 30_000 });
    daemons.push(d);
    expect(d.ready.component).to.equal(command);
    expect(d.ready.http).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  }
  return daemons;
}
