// The allocator's inputs and outputs, as the master hands them over.
import type { Clock, IAttribute, Resources } from '@mesocosm/protocol';
import type { MinAllocatable } from './scalar-vector.js';

/** How the allocator is configured. */
export interface AllocatorOptions {
  clock: Clock;
  /** Role weights for DRF (default 1). */
  roleWeights?: Record<string, number>;
  /** Filter length when a decline/accept gives none (seconds), default 5. */
  defaultRefuseSeconds?: number;
  /** Smallest offer worth making; default Mesos' 0.01 cpus or 32 MB of memory. */
  minAllocatable?: Partial<MinAllocatable>;
}

/** An agent as the allocator sees it. */
export interface AgentEntry {
  agentId: string;
  hostname: string;
  total: Resources;
  attributes: IAttribute[];
}

/** A framework as the allocator sees it. */
export interface FrameworkEntry {
  frameworkId: string;
  roles: string[];
  suppressedRoles?: string[];
}

/** Resources in use on an agent by a framework, under one allocation role. */
export interface UsedResources {
  frameworkId: string;
  role: string;
  resources: Resources;
}

/** Resources allocated (to be offered) to a framework on one agent, under one role. */
export interface Allocation {
  frameworkId: string;
  agentId: string;
  /** The offer's `allocation_role`. */
  role: string;
  resources: Resources;
}
