// The registry: what must survive a master failover. Standalone mode keeps
// it in memory; the HA mode writes it to ZooKeeper before acknowledging.
import type { IAgentInfo, IFrameworkInfo } from '@mesocosm/protocol';

/**
 * Durable master state: admitted agents and framework infos (with their
 * failover timeouts). Tasks are not stored: they come back with agents.
 * Every write resolves once it is durable.
 */
export interface Registry {
  /** Admits (or updates) an agent; its `id` is set. */
  admitAgent(info: IAgentInfo): Promise<void>;
  /** Forgets an agent (removed for good). */
  removeAgent(agentId: string): Promise<void>;
  /** Records (or updates) a framework; its `id` is set. */
  putFramework(info: IFrameworkInfo): Promise<void>;
  /** Forgets a framework (torn down). */
  removeFramework(frameworkId: string): Promise<void>;
  /** The admitted agents. */
  agents(): Promise<IAgentInfo[]>;
  /** The recorded frameworks. */
  frameworks(): Promise<IFrameworkInfo[]>;
}
