// Building Docker RUN_TASK events and looking at the engine, for the Docker tests.
import { AgentEventType, Resources, v1, type IAgentEvent, type ITaskInfo, type mesocosm } from '@mesocosm/protocol';
import type Dockerode from 'dockerode';
import { FRAMEWORK_ID } from '../helpers/tasks.js';
import { TEST_IMAGE } from './engine.js';

/** This test process's suffix: task IDs (and so container names) stay apart when test runs overlap. */
const RUN = process.pid.toString(36);

/** A task ID unique to this test process. */
export function t(name: string): string {
  return `${name}-${RUN}`;
}

/** A RUN_TASK for a Docker task running `shell` in the test image. */
export function runDockerTask(
  taskId: string,
  shell: string,
  options: {
    resources?: string;
    docker?: mesocosm.v1.ContainerInfo.IDockerInfo;
    volumes?: mesocosm.v1.IVolume[];
    extra?: Partial<ITaskInfo>;
  } = {},
): IAgentEvent {
  return {
    type: AgentEventType.RUN_TASK,
    runTask: {
      framework: { id: { value: FRAMEWORK_ID }, name: 'test', user: 'root' },
      task: {
        name: taskId,
        taskId: { value: taskId },
        resources: Resources.parse(options.resources ?? 'cpus:0.5;mem:64').toProto(),
        command: { shell: true, value: shell },
        container: {
          type: v1.ContainerInfo.Type.DOCKER,
          docker: { image: TEST_IMAGE, ...options.docker },
          volumes: options.volumes ?? [],
        },
        ...options.extra,
      },
    },
  };
}

/** The containers (running or not) labelled with this task ID. */
export async function containersOfTask(docker: Dockerode, taskId: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`mesocosm.task_id=${taskId}`] } });
}
