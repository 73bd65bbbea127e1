// The agent's fetcher cache: `<work_dir>/fetcher-cache/<sha256 of the URI>`,
// shared by every task of the agent. A URI with `cache` set is fetched once
// and copied from here afterwards. Entries appear atomically (written to a
// temporary name, then renamed); concurrent fetches of one URI share one
// download.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The cache directory of a work dir. */
export function fetcherCacheDir(workDir: string): string {
  return join(workDir, 'fetcher-cache');
}

/** See the file comment. */
export class FetcherCache {
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Hits and misses since start (for /state and tests). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly dir: string) {}

  /** The cached file of `uri`, filled by `fill(tmpPath)` when it is not there yet. */
  async get(uri: string, fill: (tmpPath: string) => Promise<void>): Promise<string> {
    const path = join(this.dir, createHash('sha256').update(uri).digest('hex'));
    const pending = this.inFlight.get(path);
    if (pending) {
      this.stats.hits++;
      return pending;
    }
    const p = this.lookup(path, fill).finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, p);
    return p;
  }

  private async lookup(path: string, fill: (tmpPath: string) => Promise<void>): Promise<string> {
    const present = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (present) {
      this.stats.hits++;
      return path;
    }
    this.stats.misses++;
    await mkdir(this.dir, { recursive: true });
    const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await fill(tmp);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return path;
  }
}
