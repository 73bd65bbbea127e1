// The SDK names the engine uses, plus the wire enum values the SDK does not
// re-export (Marathon may import only the SDK): same numbers as mesos.proto.

export {
  portsOf,
  Resources,
  TaskState,
  taskStateName,
  isTerminalState,
  type ICommandInfo,
  type IContainerInfo,
  type IHealthCheck,
  type IOffer,
  type ITaskInfo,
  type ITaskStatus,
  type WantedTask,
} from '@mesocosm/framework-sdk';

/** `ContainerInfo.Type`. */
export const ContainerInfoType = { MESOS: 0, DOCKER: 1 } as const;
/** `ContainerInfo.DockerInfo.Network`. */
export const DockerNetwork = { HOST: 0, BRIDGE: 1, NONE: 2 } as const;
/** `HealthCheck.Type`. */
export const HealthCheckType = { COMMAND: 1, HTTP: 2, TCP: 3 } as const;
/** `Volume.Mode`. */
export const VolumeMode = { RW: 0, RO: 1 } as const;
/** `FrameworkInfo.Capability`. */
export const Capability = { PARTITION_AWARE: 1, TASK_KILLING_STATE: 2, MULTI_ROLE: 3 } as const;
