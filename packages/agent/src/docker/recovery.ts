// Finding the agent's containers after a restart: those labelled with its
// work dir and its checkpointed agent ID are taken over; those of its work
// dir but of another (or no) agent ID are orphans and are removed.
import type { Logger } from '@mesocosm/protocol';
import type Dockerode from 'dockerode';
import { identityFromLabels, type ContainerIdentity } from './container-labels.js';
import { dockerErrorText, type DockerEngine } from './docker-engine.js';

/** A container of this agent found at start. */
export interface FoundContainer {
  readonly id: string;
  readonly name: string;
  readonly identity: ContainerIdentity;
}

/** An orphan: a container of this work dir that no task of this agent owns. */
export interface OrphanContainer {
  readonly id: string;
  readonly name: string;
  readonly why: string;
}

/** Splits the containers of a work dir into this agent's and orphans. Pure. */
export function classifyContainers(
  containers: readonly Pick<Dockerode.ContainerInfo, 'Id' | 'Names' | 'Labels'>[],
  agentId: string | undefined,
): { ours: FoundContainer[]; orphans: OrphanContainer[] } {
  const ours: FoundContainer[] = [];
  const orphans: OrphanContainer[] = [];
  for (const c of containers) {
    const name = (c.Names[0] ?? c.Id).replace(/^\//, '');
    const identity = identityFromLabels(c.Labels ?? {});
    if ('problem' in identity) orphans.push({ id: c.Id, name, why: identity.problem });
    else if (agentId === undefined || identity.agentId !== agentId)
      orphans.push({
        id: c.Id,
        name,
        why: `it belongs to agent '${identity.agentId}', not to this agent (${agentId ?? 'no checkpointed ID'})`,
      });
    else ours.push({ id: c.Id, name, identity });
  }
  return { ours, orphans };
}

/**
 * This agent's containers (to re-attach to), after removing the orphans of
 * its work dir. Empty, with a warning, when Docker does not answer.
 */
export async function recoverContainers(
  engine: DockerEngine,
  workDir: string,
  agentId: string | undefined,
  logger: Logger,
): Promise<FoundContainer[]> {
  let listed: Dockerode.ContainerInfo[];
  try {
    await engine.ping();
    listed = await engine.containersOf(workDir);
  } catch (err) {
    logger.info('no Docker containers recovered', { why: err instanceof Error ? err.message : String(err) });
    return [];
  }
  const { ours, orphans } = classifyContainers(listed, agentId);
  for (const o of orphans) {
    logger.warn('removing an orphan container', { container: o.name, why: o.why });
    try {
      await engine.client.getContainer(o.id).remove({ force: true, v: true });
    } catch (err) {
      logger.warn('cannot remove the orphan container', { container: o.name, error: dockerErrorText(err) });
    }
  }
  return ours;
}
