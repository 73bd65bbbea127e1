// A second client of the scheduler API, written from the .proto files alone:
// @grpc/proto-loader reads packages/protocol/proto/mesocosm/v1/*.proto at run
// time (no generated code, no SDK) and this file speaks the wire protocol by
// hand, as a framework in another language would (packages/protocol/README.md
// walks through the same steps). It subscribes to a real master, accepts an
// offer with a LAUNCH of a shell task, declines the other offers, sees the
// task RUNNING then FINISHED, acknowledges each update, and tears down.
import { expect } from 'chai';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { MasterState } from '@mesocosm/master';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import { repoRoot } from '../helpers/index.js';

const PROTO_ROOT = join(repoRoot, 'packages', 'protocol', 'proto');

// What this client reads and writes, as proto-loader renders it with the
// options below: field names as in the .proto (snake_case), enums as their
// names, 64-bit integers as strings, bytes as Buffers.
interface Id {
  value: string;
}
interface Resource {
  name: string;
  type: string;
  scalar?: { value: number };
}
interface Offer {
  id: Id;
  agent_id: Id;
  hostname: string;
  resources: Resource[];
}
interface TaskStatus {
  task_id: Id;
  agent_id?: Id;
  state: string;
  message: string;
  uuid: Buffer;
}
interface SchedulerEvent {
  type: string;
  epoch: string;
  subscribed?: { framework_id: Id; stream_id: string; heartbeat_interval_seconds: number };
  offers?: { offers: Offer[] };
  update?: { status: TaskStatus };
  error?: { code: string; message: string };
}
type Duplex = grpc.ClientDuplexStream<Record<string, unknown>, SchedulerEvent>;
interface SchedulerClient extends grpc.Client {
  Subscribe(): Duplex;
}

/** The Scheduler service, from the .proto files only. */
function schedulerClient(address: string): SchedulerClient {
  const definition = protoLoader.loadSync('mesocosm/v1/scheduler.proto', {
    includeDirs: [PROTO_ROOT],
    keepCase: true,
    enums: String,
    longs: String,
    defaults: true,
    arrays: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    mesocosm: { v1: { Scheduler: new (address: string, credentials: grpc.ChannelCredentials) => SchedulerClient } };
  };
  return new pkg.mesocosm.v1.Scheduler(address, grpc.credentials.createInsecure());
}

const scalar = (r: Resource[], name: string): number => r.find((x) => x.name === name)?.scalar?.value ?? 0;

describe('a scheduler written from the .proto files alone (@grpc/proto-loader)', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  let client: SchedulerClient | undefined;
  before(async () => {
    cluster = await LocalCluster.start({ agents: 2 });
  });
  after(async () => {
    client?.close();
    await cluster.stop();
  });

  it('subscribes, launches a shell task on an offer, acknowledges RUNNING and FINISHED, tears down', async () => {
    client = schedulerClient(cluster.masterGrpc);
    const stream = client.Subscribe();
    const events: SchedulerEvent[] = [];
    const updates: TaskStatus[] = [];
    const acknowledged: string[] = [];
    let frameworkId = '';
    let streamId = '';
    let launched = false;
    // Every call after SUBSCRIBE carries the framework ID and the stream ID of SUBSCRIBED.
    const send = (call: Record<string, unknown>): void => {
      stream.write({ framework_id: { value: frameworkId }, stream_id: streamId, ...call });
    };

    stream.on('data', (event: SchedulerEvent) => {
      events.push(event);
      switch (event.type) {
        case 'SUBSCRIBED':
          frameworkId = event.subscribed?.framework_id.value ?? '';
          streamId = event.subscribed?.stream_id ?? '';
          return;
        case 'OFFERS': {
          const offers = event.offers?.offers ?? [];
          const fit = launched ? undefined : offers.find((o) => scalar(o.resources, 'cpus') >= 0.1);
          if (fit) {
            launched = true;
            send({
              type: 'ACCEPT',
              accept: {
                offer_ids: [fit.id],
                operations: [
                  {
                    type: 'LAUNCH',
                    launch: {
                      task_infos: [
                        {
                          name: 'hello',
                          task_id: { value: 'proto-hello-1' },
                          agent_id: fit.agent_id, // the agent of the offer
                          resources: [
                            { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
                            { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
                          ],
                          command: { value: 'echo hello from a client made of .proto files' },
                        },
                      ],
                    },
                  },
                ],
                filters: { refuse_seconds: 5 },
              },
            });
          }
          const others = offers.filter((o) => o !== fit).map((o) => o.id);
          if (others.length > 0)
            send({ type: 'DECLINE', decline: { offer_ids: others, filters: { refuse_seconds: 60 } } });
          return;
        }
        case 'UPDATE': {
          const status = event.update?.status;
          if (!status) return;
          updates.push(status);
          // An update with a uuid must be acknowledged; the agent sends the task's next update only then.
          if (status.uuid.length > 0) {
            send({
              type: 'ACKNOWLEDGE',
              acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
            });
            acknowledged.push(status.state);
          }
          return;
        }
        default:
          return; // HEARTBEAT, RESCIND, ...
      }
    });
    stream.on('error', () => undefined); // the end of the stream after TEARDOWN

    stream.write({
      type: 'SUBSCRIBE',
      subscribe: { framework_info: { name: 'proto-loader-client', user: 'nobody', failover_timeout: 0 } },
    });

    await waitFor(() => updates.some((u) => u.state === 'TASK_FINISHED'), {
      timeoutMs: 30_000,
      message: 'TASK_FINISHED for the task launched from a proto-loader client',
    });
    const first = events[0];
    expect(first?.type).to.equal('SUBSCRIBED');
    expect(Number(first?.epoch)).to.be.greaterThan(0);
    expect(first?.subscribed?.heartbeat_interval_seconds).to.equal(15);
    expect(
      events.some((e) => e.type === 'ERROR'),
      JSON.stringify(events.find((e) => e.type === 'ERROR')),
    ).to.equal(false);
    const states = updates.map((u) => u.state);
    // In order, each one sent only once the previous was acknowledged: RUNNING proves the ACK works.
    expect(states).to.include('TASK_RUNNING');
    expect(states.indexOf('TASK_RUNNING')).to.be.below(states.indexOf('TASK_FINISHED'));
    expect(acknowledged).to.include.members(['TASK_RUNNING', 'TASK_FINISHED']);

    // The master's view agrees; then TEARDOWN removes the framework.
    const finished = await cluster.waitForTask('proto-hello-1', 'TASK_FINISHED', { frameworkId });
    expect(cluster.agents.map((a) => a.agentId)).to.include(finished.agent_id);
    send({ type: 'TEARDOWN' });
    await waitFor(
      async () => {
        const s = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
        return s.completed_frameworks.some((f) => f.id === frameworkId);
      },
      { message: 'the framework torn down' },
    );
    stream.end();
  });
});
