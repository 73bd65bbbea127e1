// The stream bounds of the master's gRPC edge, over real grpc-js streams on
// loopback: a stream whose calls wait for the core is paused (HTTP/2 flow
// control holds the peer back) and resumed as they are handled; a peer that
// stops reading while events pile up is cut off; a burst to a peer that
// reads is not.
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait-for.js';
import { expect } from 'chai';
import {
  duplexConnection,
  type DuplexConnection,
  type FlowLimits,
  type Overflow,
} from '../../src/server/duplex-connection.js';

const identity = (b: Buffer): Buffer => b;
const SERVICE: grpc.ServiceDefinition = {
  stream: {
    path: '/test.Duplex/Stream',
    requestStream: true,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** packages/master, where the peer process resolves @grpc/grpc-js from. */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A peer that opens the stream, says hello and prints a line per message it reads. */
const PEER_SCRIPT = `
import * as grpc from '@grpc/grpc-js';
const [path, port] = process.argv.slice(1);
const id = (b) => b;
const Client = grpc.makeGenericClientConstructor({ s: { path, requestStream: true, responseStream: true, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id } }, 'Peer');
const stream = new Client('127.0.0.1:' + port, grpc.credentials.createInsecure()).makeBidiStreamRequest(path, id, id);
stream.on('data', () => process.stdout.write('.\\n'));
stream.on('error', () => undefined);
stream.write(Buffer.from('hello'));
`;

interface Harness {
  client: grpc.Client;
  server: grpc.Server;
  /** The server side of the next stream opened. */
  opened: Promise<{ call: grpc.ServerDuplexStream<Buffer, Buffer>; conn: DuplexConnection<Buffer> }>;
}

async function start(
  onData: (m: Buffer) => Promise<void> | void,
  onEnd: () => void,
  limits: FlowLimits,
  onOverflow?: (o: Overflow) => void,
): Promise<Harness> {
  const server = new grpc.Server();
  let resolveOpened!: Harness['opened'] extends Promise<infer T> ? (v: T) => void : never;
  const opened = new Promise<Awaited<Harness['opened']>>((r) => (resolveOpened = r));
  server.addService(SERVICE, {
    stream(call: grpc.ServerDuplexStream<Buffer, Buffer>) {
      resolveOpened({
        call,
        conn: duplexConnection(call, onData, onEnd, { limits, ...(onOverflow ? { onOverflow } : {}) }),
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const Client = grpc.makeGenericClientConstructor(SERVICE, 'Duplex');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return { client, server, opened };
}

function stop(h: Harness): void {
  h.client.close();
  h.server.forceShutdown();
}

describe('duplexConnection stream bounds (real grpc-js)', function () {
  this.timeout(30_000);

  it('pauses a stream while pauseAt calls wait for the core, and resumes as they are handled', async () => {
    const waiting: Array<() => void> = [];
    let received = 0;
    const h = await start(
      () => {
        received++;
        return new Promise<void>((r) => waiting.push(r));
      },
      () => undefined,
      { pauseAt: 5, resumeAt: 2, stalledQueue: 1000, stallMs: 30_000 },
    );
    try {
      const stream = h.client.makeBidiStreamRequest(SERVICE.stream!.path, identity, identity);
      stream.on('data', () => undefined);
      stream.on('error', () => undefined);
      for (let i = 0; i < 50; i++) stream.write(Buffer.from([i]));
      const { call } = await h.opened;
      await waitFor(() => received >= 5, 'the first five calls', 5000);
      // Paused at once by the fifth: no sixth is delivered while five wait.
      expect(call.isPaused()).to.equal(true);
      expect(received).to.equal(5);
      // Handling three brings the count to the resume mark; then each one handled lets the next in.
      for (;;) {
        const next = waiting.shift();
        if (next) next();
        else if (received >= 50) break;
        else await new Promise((r) => setImmediate(r));
      }
      expect(received).to.equal(50);
      stream.end();
    } finally {
      stop(h);
    }
  });

  it('cuts off a peer that stops reading (its process frozen) while events pile up: onEnd, onOverflow, no more writes', async () => {
    let ended = 0;
    const overflows: Overflow[] = [];
    const h = await start(
      () => undefined,
      () => ended++,
      { pauseAt: 1000, resumeAt: 100, stalledQueue: 8, stallMs: 200 },
      (o) => overflows.push(o),
    );
    // The peer is another process that reads everything until it is stopped (SIGSTOP): then
    // the kernel's socket buffers fill and the master's writes stop completing.
    const port = Number(/:(\d+)$/.exec(h.client.getChannel().getTarget())?.[1]);
    const peer = spawn(
      process.execPath,
      ['--input-type=module', '-e', PEER_SCRIPT, SERVICE.stream!.path, String(port)],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const { call, conn } = await h.opened;
      const big = Buffer.alloc(256 * 1024, 1);
      conn.send(big);
      await new Promise<void>((resolve) => peer.stdout!.once('data', () => resolve())); // it read one
      peer.kill('SIGSTOP');
      const timer = setInterval(() => conn.send(big), 5);
      try {
        await waitFor(() => ended > 0, 'the stalled stream cut off', 20_000);
      } finally {
        clearInterval(timer);
      }
      expect(ended).to.equal(1);
      expect(overflows).to.have.length(1);
      expect(overflows[0]!.queued).to.be.greaterThan(8);
      expect(overflows[0]!.stalledMs).to.be.greaterThan(200);
      const queued = call.writableLength;
      for (let i = 0; i < 100; i++) conn.send(big);
      expect(call.writableLength).to.equal(queued);
    } finally {
      peer.kill('SIGKILL');
      stop(h);
    }
  });

  it('does not cut off a peer that reads a burst far over stalledQueue', async () => {
    let ended = 0;
    const h = await start(
      () => undefined,
      () => ended++,
      { pauseAt: 1000, resumeAt: 100, stalledQueue: 8, stallMs: 2000 },
    );
    try {
      const stream = h.client.makeBidiStreamRequest(SERVICE.stream!.path, identity, identity);
      let got = 0;
      stream.on('data', () => got++);
      stream.on('error', () => undefined);
      stream.write(Buffer.from('hello'));
      const { conn } = await h.opened;
      const msg = Buffer.alloc(1024, 2);
      for (let i = 0; i < 20_000; i++) conn.send(msg);
      await waitFor(() => got === 20_000, 'the whole burst read', 20_000);
      // A little more after the burst: sends still go through.
      for (let i = 0; i < 10; i++) conn.send(msg);
      await waitFor(() => got === 20_010, 'the sends after the burst', 5000);
      expect(ended).to.equal(0);
      stream.end();
    } finally {
      stop(h);
    }
  });
});
