// Reading processes from /proc: process group membership and resident memory.
import { readdir, readFile } from 'node:fs/promises';

/** The fields of /proc/<pid>/stat we use. */
export interface ProcStat {
  readonly pid: number;
  readonly pgrp: number;
  /** Resident set size in pages. */
  readonly rssPages: number;
  /** State letter (R, S, Z...). */
  readonly state: string;
  /** Start time, in clock ticks after boot (field 22): with the pid, names a process uniquely. */
  readonly startTime: number;
}

/** Parses /proc/<pid>/stat (the command name may hold spaces and parentheses). Pure. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // After ") ": state(3) ppid(4) pgrp(5) ... starttime(22) rss(24), numbered as in proc(5).
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const pgrp = Number(rest[2]);
  const rssPages = Number(rest[21]);
  const startTime = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(pgrp) || !Number.isFinite(rssPages) || !Number.isFinite(startTime))
    return undefined;
  return { pid, pgrp, rssPages, state: rest[0] ?? '', startTime };
}

/** Reads one process' stat, or undefined when it is gone. */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

const PAGE_SIZE = 4096;

/** How long one scan of /proc serves every container that asks (one poll round). */
const SCAN_REUSE_MS = 100;
let lastScan: { at: number; pagesByGroup: Promise<Map<number, number>> } | undefined;

/** Resident pages by process group, from one pass over /proc. */
async function scanGroups(): Promise<Map<number, number>> {
  const entries = await readdir('/proc');
  const pages = new Map<number, number>();
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        const stat = await readProcStat(Number(e));
        if (stat) pages.set(stat.pgrp, (pages.get(stat.pgrp) ?? 0) + stat.rssPages);
      }),
  );
  return pages;
}

/**
 * Total resident memory (bytes) of the processes in process group `pgid`.
 * Every task's monitor asks twice a second; one scan of /proc answers all
 * of them for 100 ms (scanning per task was O(tasks x processes)
 * file reads, and with 25 tasks it starved the agent's event loop and
 * threadpool for seconds: a master failover took the agent 10 s to notice).
 */
export async function processGroupRssBytes(pgid: number): Promise<number> {
  const now = performance.now();
  if (!lastScan || now - lastScan.at > SCAN_REUSE_MS) lastScan = { at: now, pagesByGroup: scanGroups() };
  const pages = (await lastScan.pagesByGroup).get(pgid) ?? 0;
  return pages * PAGE_SIZE;
}
