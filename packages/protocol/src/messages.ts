// The generated protobuf messages, re-exported under short names.
//
// `v1` is the runtime namespace (classes with encode/decode/create); the
// `I*` types are the plain-object shapes every field of which is optional,
// which is what code builds and passes around.
import { mesocosm } from './generated/proto.js';

export const v1 = mesocosm.v1;

export type IFrameworkID = mesocosm.v1.IFrameworkID;
export type IOfferID = mesocosm.v1.IOfferID;
export type IAgentID = mesocosm.v1.IAgentID;
export type ITaskID = mesocosm.v1.ITaskID;
export type IExecutorID = mesocosm.v1.IExecutorID;
export type IMasterInfo = mesocosm.v1.IMasterInfo;
export type IResource = mesocosm.v1.IResource;
export type IAttribute = mesocosm.v1.IAttribute;
export type ILabels = mesocosm.v1.ILabels;
export type IEnvironment = mesocosm.v1.IEnvironment;
export type ICommandInfo = mesocosm.v1.ICommandInfo;
export type IContainerInfo = mesocosm.v1.IContainerInfo;
export type IHealthCheck = mesocosm.v1.IHealthCheck;
export type IKillPolicy = mesocosm.v1.IKillPolicy;
export type IExecutorInfo = mesocosm.v1.IExecutorInfo;
export type ITaskInfo = mesocosm.v1.ITaskInfo;
export type ITaskStatus = mesocosm.v1.ITaskStatus;
export type IFrameworkInfo = mesocosm.v1.IFrameworkInfo;
export type IAgentInfo = mesocosm.v1.IAgentInfo;
export type IOffer = mesocosm.v1.IOffer;
export type IOperation = mesocosm.v1.Offer.IOperation;
export type IDeclineReason = mesocosm.v1.IDeclineReason;
export type IFilters = mesocosm.v1.IFilters;
export type ICall = mesocosm.v1.ICall;
export type IEvent = mesocosm.v1.IEvent;
export type IAgentCall = mesocosm.v1.IAgentCall;
export type IAgentEvent = mesocosm.v1.IAgentEvent;
export type IExecutorCall = mesocosm.v1.IExecutorCall;
export type IExecutorEvent = mesocosm.v1.IExecutorEvent;
export type IClusterState = mesocosm.v1.IClusterState;
export type IAgentState = mesocosm.v1.IAgentState;
export type IFrameworkState = mesocosm.v1.IFrameworkState;
export type ITaskEntry = mesocosm.v1.ITaskEntry;

/** Decoded messages: class instances whose scalar fields have defaults. */
export type Call = mesocosm.v1.Call;
export type Event = mesocosm.v1.Event;
export type AgentCall = mesocosm.v1.AgentCall;
export type AgentEvent = mesocosm.v1.AgentEvent;
export type ExecutorCall = mesocosm.v1.ExecutorCall;
export type ExecutorEvent = mesocosm.v1.ExecutorEvent;

export const TaskState = mesocosm.v1.TaskState;
export type TaskState = mesocosm.v1.TaskState;
export const TaskStatusReason = mesocosm.v1.TaskStatus.Reason;
export type TaskStatusReason = mesocosm.v1.TaskStatus.Reason;
export const TaskStatusSource = mesocosm.v1.TaskStatus.Source;
export type TaskStatusSource = mesocosm.v1.TaskStatus.Source;
export const CallType = mesocosm.v1.Call.Type;
export type CallType = mesocosm.v1.Call.Type;
export const EventType = mesocosm.v1.Event.Type;
export type EventType = mesocosm.v1.Event.Type;
export const AgentCallType = mesocosm.v1.AgentCall.Type;
export type AgentCallType = mesocosm.v1.AgentCall.Type;
export const AgentEventType = mesocosm.v1.AgentEvent.Type;
export type AgentEventType = mesocosm.v1.AgentEvent.Type;
export const ExecutorCallType = mesocosm.v1.ExecutorCall.Type;
export type ExecutorCallType = mesocosm.v1.ExecutorCall.Type;
export const ExecutorEventType = mesocosm.v1.ExecutorEvent.Type;
export type ExecutorEventType = mesocosm.v1.ExecutorEvent.Type;
export const ValueType = mesocosm.v1.Value.Type;
export type ValueType = mesocosm.v1.Value.Type;
export const OperationType = mesocosm.v1.Offer.Operation.Type;
export type OperationType = mesocosm.v1.Offer.Operation.Type;
export const FrameworkCapability = mesocosm.v1.FrameworkInfo.Capability;
export type FrameworkCapability = mesocosm.v1.FrameworkInfo.Capability;
/** `ContainerInfo.Type`: MESOS or DOCKER. */
export const ContainerType = mesocosm.v1.ContainerInfo.Type;
export type ContainerType = mesocosm.v1.ContainerInfo.Type;
/** `ContainerInfo.DockerInfo.Network`: HOST, BRIDGE or NONE. */
export const DockerNetwork = mesocosm.v1.ContainerInfo.DockerInfo.Network;
export type DockerNetwork = mesocosm.v1.ContainerInfo.DockerInfo.Network;
/** `HealthCheck.Type`: COMMAND, HTTP or TCP. */
export const HealthCheckType = mesocosm.v1.HealthCheck.Type;
export type HealthCheckType = mesocosm.v1.HealthCheck.Type;
/** `Volume.Mode`: RW or RO. */
export const VolumeMode = mesocosm.v1.Volume.Mode;
export type VolumeMode = mesocosm.v1.Volume.Mode;

/** Task states after which a task never changes again (Mesos' terminal states). */
export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_FINISHED,
  TaskState.TASK_FAILED,
  TaskState.TASK_KILLED,
  TaskState.TASK_ERROR,
  TaskState.TASK_LOST,
  TaskState.TASK_DROPPED,
  TaskState.TASK_GONE,
  TaskState.TASK_GONE_BY_OPERATOR,
]);

/** True when `state` is terminal: the task will not run again. */
export function isTerminalState(state: TaskState | null | undefined): boolean {
  return state != null && TERMINAL_TASK_STATES.has(state);
}

/** The name of a task state, e.g. `TASK_RUNNING`. */
export function taskStateName(state: TaskState | null | undefined): string {
  return mesocosm.v1.TaskState[state ?? 0] ?? `TASK_STATE_${String(state)}`;
}

/** The name of a status reason, e.g. `REASON_CONTAINER_LIMITATION_MEMORY`. */
export function reasonName(reason: TaskStatusReason | null | undefined): string {
  return mesocosm.v1.TaskStatus.Reason[reason ?? 0] ?? `REASON_${String(reason)}`;
}
