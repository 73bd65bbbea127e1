// One timed HTTP GET from a process of its own (`node http-get-main.js <url>`):
// the body's bytes are counted and dropped, as `curl -o /dev/null` would, so
// that the time is the server's and the transfer's, not a busy bench
// process's (the memory scenario's holds 10,000 simulated agents). Prints
// `{"status":..,"headersMs":..,"ms":..,"bytes":..}` and exits.
import { get } from 'node:http';

const url = process.argv[2] ?? '';
const start = performance.now();
get(url, (res) => {
  const headersMs = performance.now() - start;
  let bytes = 0;
  res.on('data', (chunk: Buffer) => (bytes += chunk.length));
  res.on('end', () => {
    const ms = performance.now() - start;
    process.stdout.write(`${JSON.stringify({ status: res.statusCode ?? 0, headersMs, ms, bytes })}\n`);
  });
}).on('error', (err) => {
  process.stderr.write(`GET ${url}: ${err.message}\n`);
  process.exitCode = 1;
});
