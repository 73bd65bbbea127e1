// Measures the host (the I/O half of resource discovery).
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { HostFacts } from './host-resources.js';

const MB = 1024 * 1024;

/** CPU count, total memory and the free space of `workDir`'s file system. */
export async function probeHost(workDir: string): Promise<HostFacts> {
  const fs = await statfs(workDir);
  return {
    cpus: os.cpus().length,
    memTotalMb: Math.floor(os.totalmem() / MB),
    diskFreeMb: Math.floor((fs.bavail * fs.bsize) / MB),
  };
}
