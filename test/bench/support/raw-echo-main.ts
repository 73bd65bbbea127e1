// The bare gRPC server of support/raw-stream.ts as a process of its own
// (`node raw-echo-main.js`): the same-run limit of the scenarios whose master
// runs as a child process, so that the limit crosses the same process
// boundary. Prints a ready line, then serves until SIGTERM.
import { startRawServer } from './raw-stream.js';

const server = await startRawServer();
process.stdout.write(`${JSON.stringify({ event: 'ready', component: 'raw-grpc', http: '', grpc: server.address })}\n`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
