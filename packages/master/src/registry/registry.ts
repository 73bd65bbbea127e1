// The registry: what must survive a master failover. Standalone mode keeps
// it in memory; the HA mode writes it to ZooKeeper before acknowledging.
import type { IAgentInfo, IFrameworkInfo } from '@mesocosm/protocol';

/** How an agent is drained (Mesos' DrainConfig). */
export interface DrainConfig {
  /** Caps every task's kill grace period (ms); undefined: each task's own kill policy. */
  maxGracePeriodMs: number | undefined;
  /** Once drained, the agent is marked gone. */
  markGone: boolean;
  /** Tasks are not killed: the agent is DRAINED once they end by themselves. */
  leaveTasksRunning: boolean;
}

/** Maintenance state of one agent: deactivated, and possibly draining or drained. */
export interface MaintenanceRecord {
  agentId: string;
  /** No offers for this agent (always true while draining or drained). */
  deactivated: boolean;
  /** Set from DRAIN_AGENT until REACTIVATE_AGENT. */
  drain: { state: 'DRAINING' | 'DRAINED'; config: DrainConfig } | undefined;
}

/** An agent removed for good (it did not re-register in time, or was drained with mark_gone). */
export interface GoneAgent {
  agentId: string;
  /** When it was marked gone (clock ms). */
  goneTime: number;
  /** Marked gone by an operator (DRAIN_AGENT with mark_gone) rather than by a timeout. */
  byOperator: boolean;
}

/** An admitted agent's record: its AgentInfo and the principal its ID is bound to. */
export interface AdmittedAgent {
  info: IAgentInfo;
  /**
   * The principal the agent was admitted under (--authenticate_agents); undefined
   * for records written without authentication or before the binding existed.
   */
  principal: string | undefined;
}

/**
 * Durable master state: admitted agents, framework infos (with their
 * failover timeouts), maintenance records and gone agents. Tasks are not
 * stored: they come back with agents. Every write resolves once it is
 * durable, and rejects when it is not (e.g. a deposed leader's session).
 */
export interface Registry {
  /** Admits (or updates) an agent; its `id` is set. `principal`: the one its ID is bound to, if any. */
  admitAgent(info: IAgentInfo, principal?: string): Promise<void>;
  /** Forgets an agent (and its maintenance record), without marking it gone. */
  removeAgent(agentId: string): Promise<void>;
  /** Removes an agent for good: its admission and maintenance record go, a gone record stays. */
  markAgentGone(gone: GoneAgent): Promise<void>;
  /** Records (or updates) a framework; its `id` is set. */
  putFramework(info: IFrameworkInfo): Promise<void>;
  /** Forgets a framework (torn down). */
  removeFramework(frameworkId: string): Promise<void>;
  /** Records (or replaces) an agent's maintenance state. */
  putDrain(record: MaintenanceRecord): Promise<void>;
  /** Clears an agent's maintenance state (reactivated). */
  removeDrain(agentId: string): Promise<void>;
  /** The admitted agents' IDs (without reading their records: one round trip). */
  agentIds(): Promise<string[]>;
  /** The admitted agents. */
  agents(): Promise<AdmittedAgent[]>;
  /** One admitted agent (undefined when it is not admitted). */
  agent(agentId: string): Promise<AdmittedAgent | undefined>;
  /** The recorded frameworks. */
  frameworks(): Promise<IFrameworkInfo[]>;
  /** The maintenance records. */
  drains(): Promise<MaintenanceRecord[]>;
  /** The agents marked gone. */
  goneAgents(): Promise<GoneAgent[]>;
}
