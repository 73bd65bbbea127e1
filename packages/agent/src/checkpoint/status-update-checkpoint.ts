// The status update manager's state (unacknowledged updates, in order) as
// `<work_dir>/meta/status-updates.json`, rewritten after each change and
// before the update is sent: a restarted agent resends them, same uuids.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { v1 } from '@mesocosm/protocol';
import type { StatusUpdateState } from '../status-updates/status-update-manager.js';
import { writeFileAtomicSync } from './atomic-write.js';

/** Where the status updates are checkpointed. */
export function statusUpdatesPath(workDir: string): string {
  return join(workDir, 'meta', 'status-updates.json');
}

/** JSON text of a state (each TaskStatus as base64 protobuf). Pure. */
export function encodeStatusUpdates(state: StatusUpdateState): string {
  const streams = Object.values(state.streams).map((s) => ({
    frameworkId: s.frameworkId,
    taskId: s.taskId,
    pending: s.pending.map((u) => ({
      ...u,
      status: Buffer.from(v1.TaskStatus.encode(v1.TaskStatus.fromObject(u.status)).finish()).toString('base64'),
    })),
  }));
  return `${JSON.stringify({ streams })}\n`;
}

interface RawStream {
  frameworkId: string;
  taskId: string;
  pending: { frameworkId: string; taskId: string; uuid: string; status: string }[];
}

/** Parses {@link encodeStatusUpdates}' text; throws when it is damaged. Pure. */
export function decodeStatusUpdates(text: string): StatusUpdateState {
  const raw = JSON.parse(text) as { streams: RawStream[] };
  const streams: Record<string, StatusUpdateState['streams'][string]> = {};
  for (const s of raw.streams)
    streams[`${s.frameworkId}\u0000${s.taskId}`] = {
      frameworkId: s.frameworkId,
      taskId: s.taskId,
      pending: s.pending.map((u) => ({ ...u, status: v1.TaskStatus.decode(Buffer.from(u.status, 'base64')) })),
    };
  return { streams };
}

/** Checkpoints the state (atomically, synchronously). */
export function writeStatusUpdates(workDir: string, state: StatusUpdateState): void {
  writeFileAtomicSync(statusUpdatesPath(workDir), encodeStatusUpdates(state));
}

/** The checkpointed state; empty when there is none. Throws when it is damaged. */
export function readStatusUpdates(workDir: string): StatusUpdateState {
  try {
    return decodeStatusUpdates(readFileSync(statusUpdatesPath(workDir), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { streams: {} };
    throw err;
  }
}
