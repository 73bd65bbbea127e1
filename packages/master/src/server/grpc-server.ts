// The master's gRPC server: scheduler, agent and operator services on one port.
import { Server } from '@grpc/grpc-js';
import {
  AgentService,
  grpcServerCredentials,
  OperatorService,
  SchedulerService,
  type TlsMaterial,
} from '@mesocosm/protocol';
import type { MasterCore } from '../core/master-core.js';
import { agentService } from './grpc-agent.js';
import { operatorService } from './grpc-operator.js';
import { schedulerService } from './grpc-scheduler.js';

/** Largest message accepted (an ACCEPT with many tasks fits comfortably). */
export const MAX_GRPC_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Starts the gRPC server on `ip:port` (0 = a free port), over TLS when `tls` is given; resolves with the bound port. @internal */
export async function startGrpcServer(
  core: MasterCore,
  ip: string,
  port: number,
  tls?: TlsMaterial,
): Promise<{ server: Server; port: number }> {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
    'grpc.keepalive_permit_without_calls': 1,
  });
  server.addService(SchedulerService, schedulerService(core));
  server.addService(AgentService, agentService(core));
  server.addService(OperatorService, operatorService(core));
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpcServerCredentials(tls), (err, p) => (err ? reject(err) : resolve(p)));
  });
  return { server, port: bound };
}

/** Stops the server: graceful for a moment, then forced. @internal */
export async function stopGrpcServer(server: Server, graceMs = 1000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
