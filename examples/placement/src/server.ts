#!/usr/bin/env node
// The task each instance runs: an HTTP server on the port the framework got
// from the offer ($PORT0), bound to the agent's address ($HOST). It answers
// every GET with who it is, so that the framework can check that the right
// task answers on the right port.
import { createServer } from 'node:http';

const port = Number(process.env['PORT0']);
const host = process.env['HOST'] || '0.0.0.0';
const task = process.env['MESOS_TASK_ID'] ?? '';
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('server: PORT0 is not set: the task was launched without a port\n');
  process.exit(2);
}

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ task, port }));
});
server.listen(port, host, () => process.stdout.write(`serving ${task} on ${host}:${port}\n`));
const stop = (): void => void server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
