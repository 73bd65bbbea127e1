// Building RUN_TASK events for tasks of a custom executor.
import { fileURLToPath } from 'node:url';
import { AgentEventType, Resources, type IAgentEvent, type IExecutorInfo } from '@mesocosm/protocol';
import { FRAMEWORK_ID } from './tasks.js';

/** The compiled test executor (test/fixtures/test-executor.ts). */
export const TEST_EXECUTOR = fileURLToPath(new URL('../fixtures/test-executor.js', import.meta.url));

/** An ExecutorInfo running the test executor with node (or `shell` instead). */
export function executorInfo(executorId: string, shell?: string): IExecutorInfo {
  return {
    executorId: { value: executorId },
    frameworkId: { value: FRAMEWORK_ID },
    name: 'test executor',
    command:
      shell === undefined
        ? { value: process.execPath, arguments: ['node', TEST_EXECUTOR] }
        : { shell: true, value: shell },
    resources: Resources.parse('cpus:0.1;mem:256').toProto(),
  };
}

/** A RUN_TASK of a task of `executor`; `action` (finish, run, ignore-kill, crash) goes in `data`. */
export function runExecutorTask(taskId: string, executor: IExecutorInfo, action: string): IAgentEvent {
  return {
    type: AgentEventType.RUN_TASK,
    runTask: {
      framework: { id: { value: FRAMEWORK_ID }, name: 'test', user: 'root' },
      task: {
        name: taskId,
        taskId: { value: taskId },
        resources: Resources.parse('cpus:0.1;mem:32').toProto(),
        executor,
        data: Buffer.from(action),
      },
    },
  };
}

/** A framework MESSAGE for an executor. */
export function executorMessage(executorId: string, data: string): IAgentEvent {
  return {
    type: AgentEventType.MESSAGE,
    message: { frameworkId: { value: FRAMEWORK_ID }, executorId: { value: executorId }, data: Buffer.from(data) },
  };
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
