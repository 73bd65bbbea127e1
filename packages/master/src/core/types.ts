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
import type { OfferBook } from '../offers/index.js';
import type { ResolvedOptions } from '../options.js';
import type { Registry } from '../registry/registry.js';
import type { Leadership } from '../ha/leadership.js';

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
  /** Live stream IDs to their framework. */
  readonly streams: Map<string, FrameworkRecord>;
  readonly sequence: { framework: number; agent: number; offer: number };
  readonly counters: Counters;
  readonly startTime: number;
  /** Asks for an allocation run soon (coalesced). */
  scheduleAllocation(): void;
  /** Arms the offer-timeout sweep for offers made now. */
  armOfferTimeout(): void;
}

/** How many completed tasks a framework keeps, and completed frameworks the master keeps (Mesos' defaults). */
export const MAX_COMPLETED_TASKS = 1000;
export const MAX_COMPLETED_FRAMEWORKS = 50;
/** How many statuses a task keeps in its history. */
export const MAX_STATUS_HISTORY = 50;
