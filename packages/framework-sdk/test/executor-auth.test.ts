// The executor driver's side of executor authentication, against a real
// grpc-js server standing in for the agent: the token of the environment goes
// out as `authorization: Bearer <token>` on every stream; a refusal
// (UNAUTHENTICATED) ends the driver instead of a retry loop; a TLS CA that
// cannot be read is an error naming its variable.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import {
  ExecutorCallType,
  ExecutorEventType,
  ExecutorService,
  type ExecutorCall,
  type IExecutorEvent,
} from '@mesocosm/protocol';
import { ExecutorDriver, ExecutorRefusedError, silentLogger, type ExecutorEnvironment } from '../src/index.js';
import { waitFor } from './helpers/wait-for.js';

/** An executor API that lets in `Bearer good` only, and remembers what each stream presented. */
async function checkingAgent(): Promise<{
  address: string;
  presented: (string | undefined)[];
  streams: grpc.ServerDuplexStream<ExecutorCall, IExecutorEvent>[];
  stop(): void;
}> {
  const presented: (string | undefined)[] = [];
  const streams: grpc.ServerDuplexStream<ExecutorCall, IExecutorEvent>[] = [];
  const server = new grpc.Server();
  server.addService(ExecutorService, {
    subscribe: (call: grpc.ServerDuplexStream<ExecutorCall, IExecutorEvent>) => {
      const [value] = call.metadata.get('authorization');
      presented.push(typeof value === 'string' ? value : undefined);
      call.on('error', () => undefined);
      if (value !== 'Bearer good') {
        call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'no valid executor token' });
        return;
      }
      streams.push(call);
      call.on('data', (c: ExecutorCall) => {
        if (c.type === ExecutorCallType.SUBSCRIBE) call.write({ type: ExecutorEventType.SUBSCRIBED, subscribed: {} });
      });
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { address: `127.0.0.1:${port}`, presented, streams, stop: () => server.forceShutdown() };
}

const environment = (address: string, extra: Partial<ExecutorEnvironment> = {}): ExecutorEnvironment => ({
  agentEndpoint: address,
  executorId: 'ex-1',
  frameworkId: 'fw-1',
  agentId: '',
  sandbox: '',
  ...extra,
});

describe('executor driver: authentication', function () {
  this.timeout(10_000);
  let agent: Awaited<ReturnType<typeof checkingAgent>>;
  let driver: ExecutorDriver | undefined;
  beforeEach(async () => {
    agent = await checkingAgent();
  });
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    agent.stop();
  });

  it('sends its token on every stream, again after the agent ends one', async () => {
    driver = new ExecutorDriver({
      environment: environment(agent.address, { authenticationToken: 'good' }),
      logger: silentLogger,
      reconnectBackoffMs: 10,
    });
    await driver.start();
    agent.streams[0]!.end();
    await waitFor(() => agent.streams.length === 2 && driver?.isSubscribed, 'a second subscription');
    expect(agent.presented).to.deep.equal(['Bearer good', 'Bearer good']);
  });

  it('without a valid token: refused (UNAUTHENTICATED) once, and stops rather than retrying', async () => {
    for (const token of [undefined, 'bad']) {
      agent.presented.length = 0;
      const d = new ExecutorDriver({
        environment: environment(agent.address, token === undefined ? {} : { authenticationToken: token }),
        logger: silentLogger,
        reconnectBackoffMs: 10,
      });
      const err = await d.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ExecutorRefusedError);
      expect((err as ExecutorRefusedError).code).to.equal('UNAUTHENTICATED');
      expect((err as Error).message).to.contain('no valid executor token');
      await d.stopped;
      expect(agent.presented).to.deep.equal([token === undefined ? undefined : `Bearer ${token}`]);
    }
  });

  it('names MESOCOSM_EXECUTOR_TLS_CA when the CA it gives cannot be read', () => {
    expect(
      () => new ExecutorDriver({ environment: environment(agent.address, { tlsCa: '/nonexistent/ca.pem' }) }),
    ).to.throw(/MESOCOSM_EXECUTOR_TLS_CA: \/nonexistent\/ca.pem does not exist/);
  });
});
