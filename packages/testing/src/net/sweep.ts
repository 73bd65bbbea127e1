// Removing what a run made (synchronously: it also runs in an 'exit'
// handler): the processes left in its namespaces, its namespaces, veths,
// bridge and firewall rule.
import { runSync } from './command.js';
import { isRunLink, parseLinkNames, parseNetnsList, runNames } from './names.js';

/** The rule that lets hosts talk through the bridge when br_netfilter sends bridged frames through FORWARD. @internal */
export function forwardRule(bridge: string): string[] {
  return ['FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'];
}

/** The namespaces on this machine. @internal */
export function listNetns(): string[] {
  return parseNetnsList(runSync(['ip', 'netns', 'list']).stdout);
}

/** The interfaces of the root namespace. @internal */
export function listLinks(): string[] {
  return parseLinkNames(runSync(['ip', '-o', 'link', 'show']).stdout);
}

/** SIGKILLs every process in namespace `ns`. @internal */
export function killNetnsProcesses(ns: string): void {
  for (const pid of runSync(['ip', 'netns', 'pids', ns]).stdout.split(/\s+/)) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** What of `run` is still there: its namespaces and links. @internal */
export function leftovers(run: string): { netns: string[]; links: string[] } {
  const { tag } = runNames(run);
  return {
    netns: listNetns().filter((n) => n.startsWith(`mc-${run}-`)),
    links: listLinks().filter((l) => isRunLink(tag, l)),
  };
}

/**
 * Removes everything of run `run`; returns what could not be removed (empty
 * when all is gone). Idempotent.
 */
export function sweepRun(run: string): string[] {
  const { bridge } = runNames(run);
  const before = leftovers(run);
  for (const ns of before.netns) killNetnsProcesses(ns);
  // Deleting the root end of a veth deletes its peer even while a process keeps the namespace alive.
  for (const link of before.links.filter((l) => l !== bridge)) runSync(['ip', 'link', 'del', link]);
  for (const ns of before.netns) runSync(['ip', 'netns', 'del', ns]);
  if (before.links.includes(bridge)) runSync(['ip', 'link', 'del', bridge]);
  for (let i = 0; i < 10; i++) {
    if (runSync(['iptables', '-D', ...forwardRule(bridge)]).code !== 0) break;
  }
  const after = leftovers(run);
  return [...after.netns.map((n) => `netns ${n}`), ...after.links.map((l) => `link ${l}`)];
}
