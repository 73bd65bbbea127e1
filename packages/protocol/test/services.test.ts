import { expect } from 'chai';
import { SchedulerService, AgentService, CallType, AgentEventType, v1 } from '../src/index.js';

describe('service descriptors', () => {
  it('encode and decode with the generated codecs on both ends', () => {
    const bytes = SchedulerService.subscribe.serialize({
      type: CallType.ACCEPT,
      streamId: 's1',
      accept: { offerIds: [{ value: 'o1' }], filters: { refuseSeconds: 0 } },
    });
    const call = SchedulerService.subscribe.requestDeserialize(bytes);
    expect(call.type).to.equal(CallType.ACCEPT);
    expect(call.accept?.offerIds?.[0]?.value).to.equal('o1');
    // proto3 `optional`: an explicit 0 is kept, unset stays null (meaning "the default").
    expect(call.accept?.filters?.refuseSeconds).to.equal(0);
    expect(v1.Filters.decode(v1.Filters.encode({}).finish()).refuseSeconds).to.equal(null);
    expect(SchedulerService.subscribe.path).to.equal('/mesocosm.v1.Scheduler/Subscribe');
    const ev = AgentService.connect.responseDeserialize(
      AgentService.connect.responseSerialize({ type: AgentEventType.PING, epoch: 7 }),
    );
    expect(ev.epoch).to.equal(7);
  });
});
