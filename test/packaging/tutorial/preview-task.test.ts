// The container task of docs/sdk.md, placed by the Scheduler's pure core on
// a made-up offer (no cluster, no Docker: the TaskInfo is what is checked).
import { expect } from 'chai';
import { Resources, SchedulerCore, portsOf } from '@mesocosm/framework-sdk';
import { mesocosm, validateTaskInfo } from '@mesocosm/protocol';
import { previewTask } from './preview-task.js';

describe('docs/sdk.md: a container task', () => {
  it('maps port 80 to the host port picked from the offer, in a TaskInfo the master accepts', () => {
    const core = new SchedulerCore();
    core.subscribed(0, false);
    core.want('preview', [previewTask('preview-1')], 0);
    const offer = {
      id: { value: 'o1' },
      agentId: { value: 'a1' },
      hostname: 'a1',
      resources: Resources.parse('cpus:1;mem:256;ports:[31000-31005]').toProto(),
    };
    const decision = core.offers([offer], 0);
    expect(decision.problems).to.deep.equal([]);
    const task = decision.launched[0]?.task ?? {};
    const [hostPort] = portsOf(Resources.fromProto(task.resources));
    expect(hostPort).to.be.within(31000, 31005);
    expect(task.container?.type).to.equal(mesocosm.v1.ContainerInfo.Type.DOCKER);
    expect(task.container?.docker?.portMappings).to.deep.equal([{ hostPort, containerPort: 80, protocol: 'tcp' }]);
    expect(() => validateTaskInfo(task, 'launch.task_infos[0]')).to.not.throw();
    expect(decision.actions.map((a) => a.type)).to.deep.equal(['launch', 'suppress']);
  });
});
