// The SDK names the engine uses (Marathon may import only the SDK).

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
  DockerNetwork,
  HealthCheckType,
  VolumeMode,
} from '@mesocosm/framework-sdk';
import { ContainerType, FrameworkCapability } from '@mesocosm/framework-sdk';

/** `ContainerInfo.Type` (the SDK's `ContainerType`), under the name the engine uses. */
export const ContainerInfoType = ContainerType;
/** `FrameworkInfo.Capability` (the SDK's `FrameworkCapability`). */
export const Capability = FrameworkCapability;
