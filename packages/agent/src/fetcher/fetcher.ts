// The fetcher: every CommandInfo URI of a task (or of a custom executor)
// into its sandbox before it starts, in order; archives extracted, the
// executable bit set, cached URIs copied from the agent's cache.
import { chmod, copyFile, mkdir, realpath, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock, Logger, mesocosm } from '@mesocosm/protocol';
import { isInside } from '../sandbox/contain-path.js';
import { getSource, type DownloadLimits } from './download.js';
import { extractArchive } from './extract.js';
import { FetchFailedError, UriValidationError } from './fetch-errors.js';
import { fetchPlan, type FetchStep } from './fetch-plan.js';
import { FetcherCache, fetcherCacheDir } from './fetcher-cache.js';

/** What the fetcher needs. */
export interface FetcherOptions {
  readonly workDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Larger downloads fail (default 1 GiB). */
  readonly maxBytes?: number;
  /** A download receiving nothing for this long fails (default 60 s). */
  readonly stallTimeoutMs?: number;
}

/** Defaults of {@link FetcherOptions}. */
export const FETCHER_DEFAULTS = { maxBytes: 1024 ** 3, stallTimeoutMs: 60_000 } as const;

/** See the file comment. */
export class Fetcher {
  /** The agent's cache (`<work_dir>/fetcher-cache/`). */
  readonly cache: FetcherCache;
  private readonly limits: DownloadLimits;

  constructor(private readonly o: FetcherOptions) {
    this.cache = new FetcherCache(fetcherCacheDir(o.workDir));
    this.limits = {
      clock: o.clock,
      maxBytes: o.maxBytes ?? FETCHER_DEFAULTS.maxBytes,
      stallTimeoutMs: o.stallTimeoutMs ?? FETCHER_DEFAULTS.stallTimeoutMs,
    };
  }

  /**
   * Fetches `uris` into `sandbox`, in order. Throws {@link FetchFailedError}
   * naming the URI and the cause (or {@link UriValidationError} for a URI
   * that should have been refused before the sandbox was made).
   */
  async fetchAll(sandbox: string, uris: readonly mesocosm.v1.CommandInfo.IURI[] | null | undefined): Promise<void> {
    const steps = fetchPlan(uris);
    if (steps.length === 0) return;
    const root = await realpath(sandbox);
    for (const step of steps) {
      const started = this.o.clock.now();
      try {
        await this.fetchOne(root, step);
      } catch (err) {
        if (err instanceof FetchFailedError || err instanceof UriValidationError) throw err;
        throw new FetchFailedError(step.uri, err instanceof Error ? err.message : String(err), { cause: err });
      }
      this.o.logger.info('fetched', {
        uri: step.uri,
        into: step.target,
        ms: this.o.clock.now() - started,
        ...(step.archive ? { extracted: step.archive } : {}),
      });
    }
  }

  private async fetchOne(root: string, step: FetchStep): Promise<void> {
    const dest = join(root, step.target);
    // An earlier archive may have left a symlink on the way: the real parent must stay inside.
    await mkdir(dirname(dest), { recursive: true });
    if (!isInside(root, await realpath(dirname(dest))))
      throw new FetchFailedError(step.uri, `output '${step.target}' resolves outside the sandbox (through a symlink)`);
    await rm(dest, { force: true });
    if (step.cache) {
      const cached = await this.cache.get(step.uri, (tmp) => getSource(step, tmp, this.limits));
      await copyFile(cached, dest);
    } else {
      try {
        await getSource(step, dest, this.limits);
      } catch (err) {
        await rm(dest, { force: true });
        throw err;
      }
    }
    if (step.executable) await chmod(dest, 0o755);
    if (step.archive) await extractArchive(dest, step.archive, root);
  }
}
