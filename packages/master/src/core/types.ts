// The master's in-memory model: frameworks, agents, tasks, and the context
// every core module works over. Connections are abstract so that the core
// runs without sockets (tests drive it with fakes).
import type {
  Clock,
  IAgentEvent,
  IAgentInfo,
  IDeclineReason,
  IEvent,
  IFrameworkInfo,
  IMasterInfo,
  ITaskInfo,
  ITaskStatus,
  Logger,
  Resources,
  TaskState,
  TimerHandle,
} from '@mesocosm/protocol';
import type { Allocator } from '../allocator/index.js';
import type { MasterAuth } from '../auth/master-auth.js';
import type { OfferBook } from '../offers/index.js';
import type { ResolvedOptions } from '../options.js';
import type { MaintenanceRecord, Registry } from '../registry/registry.js';
import type { Leadership } from '../ha/leadership.js';
import type { ChangeLog } from './change-log.js';

/** One scheduler stream as the core sees it. */
export interface FrameworkConnection {
  send(event: IEvent): void;
  /** Ends the stream (after the events already sent). */
  close(): void;
}

/** One agent stream as the core sees it. */
export interface AgentConnection {
  send(event: IAgentEvent): void;
  close(): void;
}

/** A task the master knows of. */
export interface TaskRecord {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly agentId: string;
  readonly info: ITaskInfo;
  /** The allocation role its resources were offered under. */
  readonly role: string;
  /** Task plus (first launch of) executor resources, as held in the allocator. */
  readonly resources: Resources;
  state: TaskState;
  /** Status history, oldest first (bounded). */
  statuses: ITaskStatus[];
  /** The latest status (also the last of `statuses`), if any. */
  latest: ITaskStatus | undefined;
}

/** A framework, connected or not. */
export interface FrameworkRecord {
  readonly id: string;
  info: IFrameworkInfo;
  roles: string[];
  conn: FrameworkConnection | undefined;
  streamId: string | undefined;
  /** Connected and receiving offers. */
  active: boolean;
  readonly registeredTime: number;
  reregisteredTime: number | undefined;
  unregisteredTime: number | undefined;
  heartbeatTimer: TimerHandle | undefined;
  failoverTimer: TimerHandle | undefined;
  /** Live (non-terminal) tasks by ID. */
  readonly tasks: Map<string, TaskRecord>;
  /** Terminal tasks by ID, oldest first (bounded). */
  readonly completedTasks: Map<string, TaskRecord>;
  declineReasons: IDeclineReason[];
  declineReasonsTime: number | undefined;
  /** Whether the framework still exists in the allocator. */
  inAllocator: boolean;
}

/** An agent: connected, disconnected (grace period) or unreachable. */
export interface AgentRecord {
  readonly id: string;
  info: IAgentInfo;
  total: Resources;
  conn: AgentConnection | undefined;
  status: 'connected' | 'disconnected' | 'unreachable';
  registeredTime: number;
  reregisteredTime: number | undefined;
  /** Pings sent and not answered in a row. */
  missedPings: number;
  awaitingPong: boolean;
  pingTimer: TimerHandle | undefined;
  /** Fires when a disconnected agent has not come back in time. */
  reconnectTimer: TimerHandle | undefined;
  /** Live tasks on this agent. */
  readonly tasks: Set<TaskRecord>;
  /** Whether the agent is in the allocator (not unreachable). */
  inAllocator: boolean;
  /**
   * The principal this agent ID was admitted under (with --authenticate_agents;
   * see agent-principals.ts); undefined: none recorded yet.
   */
  principal: string | undefined;
}

/**
 * An agent the registry admitted, known to a newly elected master only from
 * the registry: not connected, not in the allocator, no tasks, until it
 * re-registers or its re-registration timeout makes it gone.
 */
export interface RecoveredAgent {
  readonly id: string;
  /** Its registry record: only its ID until that is read, shortly after the election. */
  info: IAgentInfo;
  /** Fires at election + agent_reregister_timeout. */
  timer: TimerHandle | undefined;
  /** The principal its registry record binds it to (meaningful once `recordRead`). */
  principal: string | undefined;
  /** Whether its registry record (info and principal) has been read. */
  recordRead: boolean;
  /** When that is (clock time), to re-arm it if a re-registration is abandoned midway. */
  readonly deadline: number;
}

/** An agent removed for good: a later re-registration with its ID is refused. */
export interface GoneRecord {
  readonly goneTime: number;
  /** Marked gone by an operator (drain with mark_gone), not by a timeout. */
  readonly byOperator: boolean;
}

/** An agent ID held for a principal by the registrations in flight with it (agent-principals.ts). */
export interface AgentIdClaim {
  readonly principal: string | undefined;
  /** Registrations in flight holding it. */
  holders: number;
}

/** An explicit reconciliation that cannot be answered yet (its agent is still recovering). */
export interface PendingReconcile {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly agentId: string;
}

/** Cumulative counters for /metrics/snapshot. */
export interface Counters {
  /** Terminal transitions by state name, e.g. TASK_FINISHED. */
  terminal: Map<string, number>;
  offersSent: number;
  offersRescinded: number;
  offersDeclined: number;
  invalidCalls: number;
}

/** Everything the core modules share. @internal */
export interface MasterContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: ResolvedOptions;
  /** Our MasterInfo (ports filled in once the servers are bound). */
  readonly info: IMasterInfo;
  /** The leader epoch stamped on every event (set when elected in HA mode). */
  epoch: number;
  /** Whether we lead, and who does. */
  readonly leadership: Leadership;
  readonly allocator: Allocator;
  readonly offers: OfferBook;
  readonly registry: Registry;
  readonly frameworks: Map<string, FrameworkRecord>;
  /** Torn-down frameworks, oldest first (bounded). */
  readonly completedFrameworks: Map<string, FrameworkRecord>;
  readonly agents: Map<string, AgentRecord>;
  /** Agents from the registry that have not re-registered since the election. */
  readonly recovered: Map<string, RecoveredAgent>;
  /** Agents removed for good, by ID. */
  readonly gone: Map<string, GoneRecord>;
  /** Agent IDs being (re-)registered under a principal, while the registry write is under way. */
  readonly agentClaims: Map<string, AgentIdClaim>;
  /** Deactivated, draining and drained agents (live, recovered or unreachable), by agent ID. */
  readonly maintenance: Map<string, MaintenanceRecord>;
  /** Explicit reconciliations waiting for recovered agents (answered when they settle). */
  pendingReconciles: PendingReconcile[];
  /**
   * True from the election until the registry is loaded; calls received
   * meanwhile wait for {@link serving}.
   */
  recovering: boolean;
  /** Resolves when the master serves (recovered) or has stopped leading. */
  serving: Promise<void>;
  /** Live stream IDs to their framework. */
  readonly streams: Map<string, FrameworkRecord>;
  readonly sequence: { framework: number; agent: number; offer: number };
  readonly counters: Counters;
  readonly startTime: number;
  /** Asks for an allocation run soon (coalesced). */
  scheduleAllocation(): void;
  /** Arms the offer-timeout sweep for offers made now. */
  armOfferTimeout(): void;
  /** A recovered agent re-registered or became gone: answers the reconciliations that waited for it. */
  agentSettled(): void;
  /** Dirty marks for the live feed (no-ops while nobody watches). */
  readonly changes: ChangeLog;
  /** Authentication and ACLs (auth/). */
  readonly auth: MasterAuth;
}

/** How many completed tasks a framework keeps, and completed frameworks the master keeps (Mesos' defaults). */
export const MAX_COMPLETED_TASKS = 1000;
export const MAX_COMPLETED_FRAMEWORKS = 50;
/** How many statuses a task keeps in its history. */
export const MAX_STATUS_HISTORY = 50;
/** How many explicit reconciliations may wait for recovered agents (the oldest are dropped). */
export const MAX_PENDING_RECONCILES = 10_000;
