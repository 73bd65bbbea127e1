// What the kernel says of another process: its resident memory and the CPU
// time it used, from /proc (Linux). The bench reads a child master's own
// figures this way, apart from the bench process's.
import { readFile } from 'node:fs/promises';
import { BenchError } from '../errors.js';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** VmRSS of `pid`, in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch((err: unknown) => {
    throw new BenchError(`cannot read /proc/${pid}/status (has the process exited?)`, 'INTERNAL', { cause: err });
  });
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new BenchError(`/proc/${pid}/status has no VmRSS line`);
  return Number(m[1]) * 1024;
}

/** User + system CPU time `pid` used so far, in ms (10 ms resolution). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch((err: unknown) => {
    throw new BenchError(`cannot read /proc/${pid}/stat (has the process exited?)`, 'INTERNAL', { cause: err });
  });
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new BenchError(`unexpected /proc/${pid}/stat: ${stat}`);
  return ((utime + stime) * 1000) / USER_HZ;
}

/** This machine's load average over the last minute (what else was running). */
export async function loadAverage(): Promise<number> {
  const text = await readFile('/proc/loadavg', 'utf8').catch(() => '');
  return Number(text.split(' ')[0] ?? NaN);
}
