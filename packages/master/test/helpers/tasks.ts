// Building scheduler calls for tests.
import { CallType, OperationType, Resources, type ICall, type IOffer, type ITaskInfo } from '@mesocosm/protocol';

/** A command task on `agentId`. */
export function task(id: string, agentId: string, resources = 'cpus:1;mem:128', command = 'sleep 10'): ITaskInfo {
  return {
    name: id,
    taskId: { value: id },
    agentId: { value: agentId },
    resources: Resources.parse(resources).toProto(),
    command: { value: command, shell: true },
  };
}

/** An ACCEPT of `offerIds` launching `tasks`. */
export function acceptCall(offerIds: string[], tasks: ITaskInfo[], refuseSeconds?: number): ICall {
  return {
    type: CallType.ACCEPT,
    accept: {
      offerIds: offerIds.map((value) => ({ value })),
      operations: [{ type: OperationType.LAUNCH, launch: { taskInfos: tasks } }],
      ...(refuseSeconds === undefined ? {} : { filters: { refuseSeconds } }),
    },
  };
}

/** The ID of an offer. */
export function idOf(offer: IOffer): string {
  return offer.id?.value ?? '';
}
