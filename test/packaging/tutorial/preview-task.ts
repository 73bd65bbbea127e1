// docs/sdk.md, "A container": a task that runs in Docker, its container port
// mapped to the host port the SDK picked from the offer.
// #region container
import { Resources, portsOf, type WantedTask } from '@mesocosm/framework-sdk';
import { mesocosm } from '@mesocosm/protocol'; // the wire enums the SDK does not re-export

const { ContainerInfo } = mesocosm.v1;

/** A web preview of the frames: nginx in a container, its port 80 published on a host port of the offer. */
export function previewTask(taskId: string): WantedTask {
  return {
    taskId,
    resources: 'cpus:0.2;mem:64',
    ports: 1,
    command: {}, // no command: the image's own entry point
    container: {
      type: ContainerInfo.Type.DOCKER,
      docker: { image: 'nginx:alpine', network: ContainerInfo.DockerInfo.Network.BRIDGE },
    },
    // The host port is known once the task is matched to an offer: map it then.
    build: ({ task }) => {
      const [hostPort] = portsOf(Resources.fromProto(task.resources));
      const docker = { ...task.container?.docker, portMappings: [{ hostPort, containerPort: 80, protocol: 'tcp' }] };
      return { ...task, container: { ...task.container, docker } };
    },
  };
}
// #endregion container
