// Random and mutated calls for the gRPC fuzz runs: scheduler Calls, agent
// AgentCalls, executor ExecutorCalls. Half are valid calls of the moment
// (a real offer, a real task, the stream's IDs) with a few fields mutated;
// half are built from nothing with nasty values. None is ever run as a
// process: the fuzzed master's only agent is simulated.
import {
  AgentCallType,
  CallType,
  ExecutorCallType,
  OperationType,
  Resources,
  TaskState,
  ValueType,
  type IAgentCall,
  type ICall,
  type IExecutorCall,
  type IResource,
  type ITaskInfo,
  type ITaskStatus,
} from '@mesocosm/protocol';
import { mutate, type Rand } from './rand.js';

/** What the fuzzer knows of the cluster at the moment: real IDs to aim at. */
export interface Known {
  frameworkId: string;
  streamId: string;
  offerIds: string[];
  agentIds: string[];
  taskIds: string[];
  uuids: Uint8Array[];
}

function ids(k: Known): string[] {
  return [k.frameworkId, k.streamId, ...k.offerIds.slice(-5), ...k.agentIds.slice(-5), ...k.taskIds.slice(-5)];
}

function randomResources(rand: Rand, k: Known): IResource[] {
  return Array.from({ length: rand.int(4) }, () => {
    const type = rand.pick([ValueType.SCALAR, ValueType.RANGES, ValueType.SET, ValueType.TEXT, 9 as ValueType]);
    return {
      name: rand.chance(0.7) ? rand.pick(['cpus', 'mem', 'disk', 'ports', 'gpus']) : rand.nastyString(ids(k)),
      type,
      ...(rand.chance(0.8) ? { scalar: { value: rand.nastyNumber() } } : {}),
      ...(rand.chance(0.3)
        ? { ranges: { range: [{ begin: rand.int(70_000), end: rand.pick([0, 31_005, 65_535, 2 ** 40]) }] } }
        : {}),
      ...(rand.chance(0.2) ? { set: { item: [rand.nastyString(), rand.nastyString()] } } : {}),
      ...(rand.chance(0.3) ? { role: rand.nastyString(['*', 'web']) } : {}),
    };
  });
}

/** A small valid command task on `agentId`. */
export function validTask(taskId: string, agentId: string): ITaskInfo {
  return {
    name: taskId,
    taskId: { value: taskId },
    agentId: { value: agentId },
    resources: Resources.parse('cpus:0.01;mem:1').toProto(),
    command: { shell: true, value: 'true' },
  };
}

function randomTask(rand: Rand, k: Known, n: number): ITaskInfo {
  const agentId = rand.chance(0.7) && k.agentIds.length > 0 ? rand.pick(k.agentIds) : rand.nastyString(ids(k));
  if (rand.chance(0.5)) return mutate(rand, validTask(`fz-${n}`, agentId), ids(k));
  return {
    ...(rand.chance(0.8) ? { name: rand.nastyString() } : {}),
    ...(rand.chance(0.9) ? { taskId: { value: rand.chance(0.5) ? `fz-${n}` : rand.nastyString(ids(k)) } } : {}),
    agentId: { value: agentId },
    resources: randomResources(rand, k),
    ...(rand.chance(0.7) ? { command: { shell: rand.chance(0.5), value: rand.nastyString() } } : {}),
    ...(rand.chance(0.2)
      ? { executor: { executorId: { value: rand.nastyString() }, command: { value: rand.nastyString() } } }
      : {}),
    ...(rand.chance(0.2) ? { killPolicy: { gracePeriodSeconds: rand.nastyNumber() } } : {}),
    ...(rand.chance(0.2) ? { labels: { labels: [{ key: rand.nastyString(), value: rand.nastyString() }] } } : {}),
  };
}

function launch(tasks: ITaskInfo[]): Pick<NonNullable<ICall['accept']>, 'operations'> {
  return { operations: [{ type: OperationType.LAUNCH, launch: { taskInfos: tasks } }] };
}

/** A valid call of the moment: what a well-behaved framework might send now. */
function validCall(rand: Rand, k: Known, n: number): ICall {
  const base = { frameworkId: { value: k.frameworkId }, streamId: k.streamId };
  const offerId = k.offerIds.length > 0 ? rand.pick(k.offerIds) : 'no-offer';
  const agentId = k.agentIds[0] ?? 'no-agent';
  const taskId = k.taskIds.length > 0 ? rand.pick(k.taskIds) : 'no-task';
  switch (rand.int(9)) {
    case 0:
      return {
        ...base,
        type: CallType.ACCEPT,
        accept: {
          offerIds: [{ value: offerId }],
          ...launch([validTask(`fz-${n}`, agentId)]),
          filters: { refuseSeconds: 0 },
        },
      };
    case 1:
      return { ...base, type: CallType.DECLINE, decline: { offerIds: [{ value: offerId }], filters: {} } };
    case 2:
      return { ...base, type: CallType.REVIVE, revive: { roles: ['*'] } };
    case 3:
      return { ...base, type: CallType.SUPPRESS, suppress: { roles: [] } };
    case 4:
      return { ...base, type: CallType.KILL, kill: { taskId: { value: taskId }, agentId: { value: agentId } } };
    case 5:
      return {
        ...base,
        type: CallType.ACKNOWLEDGE,
        acknowledge: {
          taskId: { value: taskId },
          agentId: { value: agentId },
          uuid: k.uuids.length > 0 ? rand.pick(k.uuids) : new Uint8Array(16),
        },
      };
    case 6:
      return { ...base, type: CallType.RECONCILE, reconcile: { tasks: [{ taskId: { value: taskId } }] } };
    case 7:
      return {
        ...base,
        type: CallType.MESSAGE,
        message: { agentId: { value: agentId }, executorId: { value: taskId }, data: new Uint8Array([1, 2, 3]) },
      };
    default:
      return {
        ...base,
        type: CallType.SUBSCRIBE,
        subscribe: { frameworkInfo: { name: 'fuzz', user: 'fuzz', id: { value: k.frameworkId } } },
      };
  }
}

/** A call built from nothing: any type (unknown ones too), any bodies. */
function wildCall(rand: Rand, k: Known, n: number): ICall {
  const call: ICall = {
    type: rand.pick([...Object.values(CallType).filter((v): v is CallType => typeof v === 'number'), 99 as CallType]),
    ...(rand.chance(0.8)
      ? { frameworkId: { value: rand.chance(0.6) ? k.frameworkId : rand.nastyString(ids(k)) } }
      : {}),
    ...(rand.chance(0.8) ? { streamId: rand.chance(0.6) ? k.streamId : rand.nastyString(ids(k)) } : {}),
  };
  const some = (): string => rand.nastyString(ids(k));
  if (rand.chance(0.4))
    call.accept = {
      offerIds: Array.from({ length: rand.int(3) }, () => ({ value: some() })),
      ...launch(Array.from({ length: rand.int(4) }, (_, i) => randomTask(rand, k, n * 10 + i))),
      ...(rand.chance(0.5) ? { filters: { refuseSeconds: rand.nastyNumber() } } : {}),
    };
  if (rand.chance(0.2))
    call.decline = {
      offerIds: [{ value: some() }],
      reasons: [{ reason: some(), detail: some(), count: rand.int(5) }],
      filters: { refuseSeconds: rand.nastyNumber() },
    };
  if (rand.chance(0.2)) call.revive = { roles: [some()] };
  if (rand.chance(0.2)) call.suppress = { roles: [some()] };
  if (rand.chance(0.2))
    call.kill = { taskId: { value: some() }, agentId: { value: some() }, killPolicy: { gracePeriodSeconds: 1 } };
  if (rand.chance(0.2))
    call.acknowledge = {
      taskId: { value: some() },
      agentId: { value: some() },
      uuid: rand.pick([new Uint8Array(0), new Uint8Array(16), new Uint8Array(100)]),
    };
  if (rand.chance(0.2)) call.reconcile = { tasks: [{ taskId: { value: some() }, agentId: { value: some() } }] };
  if (rand.chance(0.2))
    call.message = {
      agentId: { value: some() },
      executorId: { value: some() },
      data: new Uint8Array(rand.pick([0, 10, 1024 * 1024 + 1])),
    };
  if (rand.chance(0.2)) call.shutdown = { executorId: { value: some() }, agentId: { value: some() } };
  if (rand.chance(0.2))
    call.subscribe = {
      frameworkInfo: {
        name: some(),
        user: some(),
        roles: [some()],
        failoverTimeout: rand.nastyNumber(),
        ...(rand.chance(0.5) ? { id: { value: some() } } : {}),
      },
      suppressedRoles: [some()],
    };
  return call;
}

/** A random or mutated scheduler call. Call number `n` names the tasks it may launch. */
export function fuzzCall(rand: Rand, k: Known, n: number): ICall {
  if (rand.chance(0.5)) return mutate(rand, validCall(rand, k, n), ids(k));
  return wildCall(rand, k, n);
}

/** A valid REGISTER of a new (fake) agent. */
export function validRegister(hostname: string): IAgentCall {
  return {
    type: AgentCallType.REGISTER,
    register: {
      agentInfo: {
        hostname,
        port: 5051,
        resources: Resources.parse('cpus:1;mem:256;ports:[40000-40010]').toProto(),
        attributes: [{ name: 'rack', type: ValueType.TEXT, text: { value: 'r1' } }],
      },
      version: 'fuzz',
    },
  };
}

function randomStatus(rand: Rand, k: Known, n: number): ITaskStatus {
  return {
    taskId: { value: rand.chance(0.6) && k.taskIds.length > 0 ? rand.pick(k.taskIds) : `fz-${n}` },
    state: rand.pick([
      ...Object.values(TaskState).filter((v): v is TaskState => typeof v === 'number'),
      77 as TaskState,
    ]),
    message: rand.nastyString(),
    uuid: rand.pick([new Uint8Array(16).map(() => rand.int(256)), new Uint8Array(0), new Uint8Array(65)]),
    ...(rand.chance(0.3) ? { data: new Uint8Array(rand.pick([1, 2 * 1024 * 1024])) } : {}),
    ...(rand.chance(0.3) ? { agentId: { value: rand.nastyString(ids(k)) } } : {}),
  };
}

/**
 * A random or mutated agent call. `registered` says whether the stream has
 * registered (then updates, heartbeats and messages make sense).
 */
export function fuzzAgentCall(rand: Rand, k: Known, n: number, agentId: string | undefined): IAgentCall {
  const frameworkId = rand.chance(0.7) ? k.frameworkId : rand.nastyString(ids(k));
  switch (rand.int(6)) {
    case 0:
      return mutate(rand, validRegister(`fuzz-${n}`), ids(k));
    case 1: {
      const re = validRegister(`fuzz-${n}`);
      re.type = AgentCallType.REREGISTER;
      re.register!.agentInfo!.id = { value: agentId ?? rand.nastyString(ids(k)) };
      re.register!.tasks = Array.from({ length: rand.int(3) }, (_, i) => ({
        frameworkId: { value: frameworkId },
        task: randomTask(rand, k, n * 10 + i),
        status: randomStatus(rand, k, n),
      }));
      re.register!.frameworks = [{ name: 'x', user: 'x', id: { value: frameworkId } }];
      return rand.chance(0.5) ? mutate(rand, re, ids(k)) : re;
    }
    case 2:
    case 3:
      return {
        type: AgentCallType.UPDATE,
        ...(agentId ? { agentId: { value: agentId } } : {}),
        update: { frameworkId: { value: frameworkId }, status: randomStatus(rand, k, n) },
      };
    case 4:
      return { type: rand.pick([AgentCallType.HEARTBEAT, AgentCallType.UNKNOWN, 42 as AgentCallType]) };
    default:
      return {
        type: AgentCallType.MESSAGE,
        message: {
          frameworkId: { value: frameworkId },
          executorId: { value: rand.nastyString(ids(k)) },
          data: new Uint8Array(rand.pick([0, 5, 1024 * 1024 + 1])),
        },
      };
  }
}

/** A random or mutated executor call to an agent's executor API. */
export function fuzzExecutorCall(rand: Rand, k: Known, n: number): IExecutorCall {
  const some = (): string => rand.nastyString(ids(k));
  const call: IExecutorCall = {
    type: rand.pick([
      ExecutorCallType.SUBSCRIBE,
      ExecutorCallType.UPDATE,
      ExecutorCallType.MESSAGE,
      ExecutorCallType.UNKNOWN,
      9 as ExecutorCallType,
    ]),
    executorId: { value: some() },
    frameworkId: { value: some() },
  };
  if (rand.chance(0.4))
    call.subscribe = {
      unacknowledgedTasks: [randomTask(rand, k, n)],
      unacknowledgedUpdates: [randomStatus(rand, k, n)],
    };
  if (rand.chance(0.4)) call.update = { status: randomStatus(rand, k, n) };
  if (rand.chance(0.4)) call.message = { data: new Uint8Array(rand.pick([0, 3, 1024 * 1024 + 1])) };
  return rand.chance(0.3) ? mutate(rand, call, ids(k)) : call;
}

/** True when `value` holds something over every bound: a string of 65 537+ characters or 2 MiB+ of bytes. */
export function overEveryBound(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 64 * 1024;
  if (value instanceof Uint8Array) return value.length >= 2 * 1024 * 1024;
  if (Array.isArray(value)) return value.some(overEveryBound);
  if (value !== null && typeof value === 'object') return Object.values(value).some(overEveryBound);
  return false;
}
