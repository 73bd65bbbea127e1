// The checkpointed agent ID: `<work_dir>/meta/agent.id`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

/** Where the agent ID lives under a work dir. */
export function agentIdPath(workDir: string): string {
  return join(workDir, 'meta', 'agent.id');
}

/** The checkpointed ID, or undefined when this work dir has never registered. */
export async function readAgentId(workDir: string): Promise<string | undefined> {
  try {
    const id = (await readFile(agentIdPath(workDir), 'utf8')).trim();
    return id === '' ? undefined : id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Checkpoints the ID the master gave us. */
export async function writeAgentId(workDir: string, id: string): Promise<void> {
  await writeFileAtomic(agentIdPath(workDir), `${id}\n`);
}
