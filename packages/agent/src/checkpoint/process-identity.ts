// Telling a process we started from another that reuses its pid: the start
// time (/proc/<pid>/stat field 22, in clock ticks since boot) is checkpointed
// with the pid and compared on recovery.
import { readFileSync } from 'node:fs';
import { parseProcStat } from '../isolation/proc-stat.js';

/** The start time of `pid`, or undefined when there is no such process (or it is a zombie). */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return stat && stat.state !== 'Z' && stat.state !== 'X' ? stat.startTime : undefined;
  } catch {
    return undefined;
  }
}

/** True while the process `pid` that started at `startTime` still runs. */
export function sameProcessAlive(pid: number, startTime: number | undefined): boolean {
  const now = processStartTime(pid);
  return now !== undefined && (startTime === undefined || now === startTime);
}
