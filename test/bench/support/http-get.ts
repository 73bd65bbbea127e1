// Timed GETs from a child process (support/http-get-main.ts), so that a busy
// bench process does not slow the client side of a large response down.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchError } from '../errors.js';

/** What one GET took, seen by a client process of its own. */
export interface TimedGet {
  status: number;
  /** Request to the response's headers, ms. */
  headersMs: number;
  /** Request to the last byte, ms. */
  ms: number;
  bytes: number;
}

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'http-get-main.js');

/** GETs `url` once from a new process; rejects when it fails or answers an error status. */
export function timedGet(url: string, timeoutMs = 120_000): Promise<TimedGet> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [MAIN, url], { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) return reject(new BenchError(`GET ${url} from a child process failed: ${stderr.trim() || err.message}`));
      let result: TimedGet;
      try {
        result = JSON.parse(stdout) as TimedGet;
      } catch {
        return reject(new BenchError(`GET ${url}: the child process printed ${JSON.stringify(stdout.slice(0, 200))}`));
      }
      if (result.status !== 200) return reject(new BenchError(`GET ${url} answered ${result.status}`));
      resolve(result);
    });
  });
}
