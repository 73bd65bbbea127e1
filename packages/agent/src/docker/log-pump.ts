// A container's stdout and stderr, followed into the sandbox files of the
// same names. A checkpoint (the last entry's time and both files' sizes,
// under the work dir) lets a restarted agent resume exactly: it cuts the
// files back to the checkpointed sizes and replays the entries after it.
import { open, readFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '@mesocosm/protocol';
import type Dockerode from 'dockerode';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import { LogFrameParser, sinceParam } from './log-frames.js';

/** How far the sandbox files have the container's logs. */
export interface LogPosition {
  readonly timestamp: string;
  readonly stdout: number;
  readonly stderr: number;
}

/** At most one checkpoint write per this many ms while output flows. */
const CHECKPOINT_EVERY_MS = 250;

/** Where the log position of a container is checkpointed. */
export function logPositionPath(workDir: string, containerId: string): string {
  return join(workDir, 'meta', 'docker', `${containerId}.logpos`);
}

async function loadPosition(path: string): Promise<LogPosition | undefined> {
  try {
    const p = JSON.parse(await readFile(path, 'utf8')) as Partial<LogPosition>;
    if (typeof p.timestamp === 'string' && typeof p.stdout === 'number' && typeof p.stderr === 'number')
      return { timestamp: p.timestamp, stdout: p.stdout, stderr: p.stderr };
  } catch {
    // none yet, or damaged: replay from the start
  }
  return undefined;
}

/** Removes a container's log checkpoint (once its task has ended). */
export async function forgetLogPosition(workDir: string, containerId: string): Promise<void> {
  await rm(logPositionPath(workDir, containerId), { force: true });
}

/**
 * Follows the logs of `container` into `<sandbox>/stdout` and `stderr`,
 * from its checkpointed position or from the start. Resolves once the
 * container has stopped and everything is written, or once `signal` aborts.
 */
export async function followLogs(input: {
  readonly container: Dockerode.Container;
  readonly sandbox: string;
  readonly workDir: string;
  readonly clock: Clock;
  readonly signal: AbortSignal;
}): Promise<void> {
  const { container, sandbox, clock, signal } = input;
  const checkpoint = logPositionPath(input.workDir, container.id);
  const from = await loadPosition(checkpoint);
  const sizes = { stdout: from?.stdout ?? 0, stderr: from?.stderr ?? 0 };
  const files = {
    stdout: await open(join(sandbox, 'stdout'), 'a'),
    stderr: await open(join(sandbox, 'stderr'), 'a'),
  };
  let last = from?.timestamp ?? '';
  let savedAt = -Infinity;
  let saved = last;
  const save = async (): Promise<void> => {
    if (last === saved) return;
    saved = last;
    savedAt = clock.now();
    await writeFileAtomic(checkpoint, JSON.stringify({ timestamp: last, ...sizes }));
  };
  try {
    await truncate(join(sandbox, 'stdout'), sizes.stdout);
    await truncate(join(sandbox, 'stderr'), sizes.stderr);
    const since = from ? sinceParam(from.timestamp) : undefined;
    const stream = await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(since === undefined ? {} : { since }),
      abortSignal: signal,
    });
    const parser = new LogFrameParser();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const entry of parser.push(chunk)) {
        // `since` is inclusive: the checkpointed entry comes again.
        if (from && entry.timestamp <= from.timestamp) continue;
        await files[entry.stream].write(entry.data);
        sizes[entry.stream] += entry.data.length;
        if (entry.timestamp > last) last = entry.timestamp;
      }
      if (clock.now() - savedAt >= CHECKPOINT_EVERY_MS) await save();
    }
  } catch {
    // Aborted, or the container is gone: what was written stays.
  } finally {
    await save().catch(() => undefined);
    await files.stdout.close();
    await files.stderr.close();
  }
}
